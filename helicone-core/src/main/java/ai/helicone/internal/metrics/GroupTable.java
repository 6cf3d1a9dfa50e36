package ai.helicone.internal.metrics;

import ai.helicone.metrics.Aggregate;
import ai.helicone.metrics.MetricsView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregates of one grouping (by model, by user, ...), bounded to its busiest keys. The first
 * {@code maxKeys} keys get rows. When the table is full, the calls of a new key go to {@link
 * MetricsView#OTHER} while its calls are counted (in a bounded map of candidates); once a candidate
 * has been seen more often than the least busy row, that row's calls move to other and the
 * candidate gets the row (the Space-Saving rule, applied only when a candidate overtakes, so that
 * many distinct keys cost a map update rather than an eviction per call). Rows plus other always
 * add up to the total. Not thread-safe.
 */
final class GroupTable {
  private static final class Row {
    final Accumulator acc = new Accumulator();
    long rank;
  }

  private final int maxKeys;
  private final Map<String, Row> rows = new HashMap<>();
  private final Map<String, Long> candidates = new HashMap<>();
  private long leastRank;
  private Accumulator other;

  GroupTable(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  Accumulator row(String key) {
    Row row = rows.get(key);
    if (row == null) {
      if (rows.size() < maxKeys) {
        row = new Row();
        rows.put(key, row);
      } else {
        row = promote(key);
        if (row == null) {
          return otherAccumulator();
        }
      }
    }
    row.rank++;
    return row.acc;
  }

  /** The new row of {@code key} when it has overtaken the least busy row, otherwise null. */
  private Row promote(String key) {
    long seen = candidates.merge(key, 1L, Long::sum);
    if (candidates.size() > 4 * Math.max(1, maxKeys)) {
      // Bounded memory: forget the candidates; busy keys come back quickly.
      candidates.clear();
    }
    if (seen <= leastRank) {
      return null;
    }
    Map.Entry<String, Row> least = null;
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      if (least == null || e.getValue().rank < least.getValue().rank) {
        least = e;
      }
    }
    if (least == null) {
      return null; // maxKeys of 0: every call goes to other
    }
    leastRank = least.getValue().rank;
    if (seen <= leastRank) {
      return null;
    }
    rows.remove(least.getKey());
    otherAccumulator().addAll(least.getValue().acc);
    candidates.remove(key);
    Row row = new Row();
    row.rank = seen - 1;
    rows.put(key, row);
    leastRank = 0; // recomputed at the next candidate that might overtake
    return row;
  }

  private Accumulator otherAccumulator() {
    if (other == null) {
      other = new Accumulator();
    }
    return other;
  }

  /** Adds every row of {@code from} to this table. */
  void addAll(GroupTable from) {
    for (Map.Entry<String, Row> e : from.rows.entrySet()) {
      Row row = rows.computeIfAbsent(e.getKey(), k -> new Row());
      row.acc.addAll(e.getValue().acc);
      row.rank += e.getValue().rank;
    }
    if (from.other != null) {
      otherAccumulator().addAll(from.other);
    }
  }

  /** The rows, busiest first, cut to the bound; what is cut goes to other. */
  Map<String, Aggregate> view() {
    List<Map.Entry<String, Row>> sorted = new ArrayList<>(rows.entrySet());
    sorted.sort(
        Comparator.comparingLong((Map.Entry<String, Row> e) -> e.getValue().acc.requests)
            .reversed()
            .thenComparing(Map.Entry::getKey));
    Map<String, Aggregate> out = new LinkedHashMap<>();
    Accumulator rest = other == null ? null : other.copy();
    for (int i = 0; i < sorted.size(); i++) {
      Map.Entry<String, Row> e = sorted.get(i);
      if (i < maxKeys) {
        out.put(e.getKey(), e.getValue().acc.toAggregate());
      } else {
        if (rest == null) {
          rest = new Accumulator();
        }
        rest.addAll(e.getValue().acc);
      }
    }
    if (rest != null && rest.requests > 0) {
      out.put(MetricsView.OTHER, rest.toAggregate());
    }
    return out;
  }
}
