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
 * The aggregates of one grouping (by model, by user, ...), bounded to its busiest keys with the
 * Space-Saving rule: when the table is full, a new key replaces the key with the lowest rank, whose
 * calls move to {@link MetricsView#OTHER}, and starts from that rank plus one. Keys that keep
 * receiving calls therefore keep their rows, and rows plus other always add up to the total. Not
 * thread-safe.
 */
final class GroupTable {
  private static final class Row {
    final Accumulator acc = new Accumulator();
    long rank;
  }

  private final int maxKeys;
  private final Map<String, Row> rows = new HashMap<>();
  private Accumulator other;

  GroupTable(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  Accumulator row(String key) {
    Row row = rows.get(key);
    if (row == null) {
      long rank = 0;
      if (rows.size() >= maxKeys) {
        Map.Entry<String, Row> lowest = null;
        for (Map.Entry<String, Row> e : rows.entrySet()) {
          if (lowest == null || e.getValue().rank < lowest.getValue().rank) {
            lowest = e;
          }
        }
        if (lowest == null) {
          // maxKeys of 0: every call goes to other.
          return otherAccumulator();
        }
        rows.remove(lowest.getKey());
        otherAccumulator().addAll(lowest.getValue().acc);
        rank = lowest.getValue().rank;
      }
      row = new Row();
      row.rank = rank;
      rows.put(key, row);
    }
    row.rank++;
    return row.acc;
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
