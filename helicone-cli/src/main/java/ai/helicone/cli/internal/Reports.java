package ai.helicone.cli.internal;

import ai.helicone.metrics.Aggregate;
import ai.helicone.metrics.Percentiles;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The tables of the commands, from records or from the shared aggregates. */
public final class Reports {
  private Reports() {}

  /** The columns of every aggregate table after the key. */
  static final List<String> AGGREGATE_COLUMNS =
      List.of(
          "requests",
          "errors",
          "rate_limited",
          "error_rate",
          "cost_usd",
          "input_tokens",
          "output_tokens",
          "cached_input_tokens",
          "reasoning_tokens",
          "cache_hit_rate",
          "latency_p50_ms",
          "latency_p95_ms",
          "latency_p99_ms",
          "ttft_p50_ms",
          "ttft_p95_ms",
          "ttft_p99_ms");

  /** One row per key of a grouping, in the grouping's order. */
  public static Table aggregates(String keyColumn, Map<String, Aggregate> groups) {
    List<String> columns = new ArrayList<>();
    columns.add(keyColumn);
    columns.addAll(AGGREGATE_COLUMNS);
    Table t = new Table(columns);
    groups.forEach((key, a) -> t.add(aggregateRow(key, a)));
    return t;
  }

  static List<Object> aggregateRow(String key, Aggregate a) {
    List<Object> row = new ArrayList<>();
    row.add(key);
    row.add(a.requests());
    row.add(a.errors());
    row.add(a.rateLimited());
    row.add(a.errorRate());
    row.add(a.costUsd());
    row.add(a.inputTokens());
    row.add(a.outputTokens());
    row.add(a.cachedInputTokens());
    row.add(a.reasoningTokens());
    row.add(a.cacheHitRate());
    addPercentiles(row, a.latency());
    addPercentiles(row, a.timeToFirstToken());
    return row;
  }

  private static void addPercentiles(List<Object> row, Percentiles p) {
    row.add(p.count() == 0 ? null : millis(p.p50()));
    row.add(p.count() == 0 ? null : millis(p.p95()));
    row.add(p.count() == 0 ? null : millis(p.p99()));
  }

  static Double millis(Duration d) {
    return d == null ? null : d.toNanos() / 1_000_000.0;
  }

  /** One row per request (and trace), in start order. */
  public static Table requests(List<HeliconeRecord> records) {
    Table t =
        new Table(
            List.of(
                "start",
                "id",
                "type",
                "session",
                "path",
                "user",
                "provider",
                "model",
                "status",
                "duration_ms",
                "ttft_ms",
                "input_tokens",
                "output_tokens",
                "cost_usd",
                "error"));
    List<HeliconeRecord> sorted = new ArrayList<>(records);
    sorted.sort(
        Comparator.comparing(
            HeliconeRecord::startTime, Comparator.nullsFirst(Comparator.naturalOrder())));
    for (HeliconeRecord r : sorted) {
      List<Object> row = new ArrayList<>();
      row.add(r.startTime() == null ? null : r.startTime().toString());
      row.add(r.id());
      row.add(r.type() == RecordType.LLM ? "llm" : "trace:" + (r.name() == null ? "" : r.name()));
      row.add(r.sessionId());
      row.add(r.sessionPath());
      row.add(r.userId());
      row.add(r.provider());
      row.add(r.model() != null ? r.model() : r.requestModel());
      row.add(RecordFilter.statusOf(r));
      row.add(millis(r.duration()));
      row.add(millis(r.timeToFirstToken()));
      row.add(r.usage() == null ? null : r.usage().inputTokens());
      row.add(r.usage() == null ? null : r.usage().outputTokens());
      row.add(r.costUsd());
      row.add(r.error());
      t.add(row);
    }
    return t;
  }

  /** A session and its paths: what ran, how long, how many requests, what it cost. */
  public static final class SessionNode {
    final String id;
    final String name;
    final String path;
    Instant start;
    Instant end;
    long requests;
    long traces;
    BigDecimal cost = BigDecimal.ZERO;
    final Map<String, SessionNode> children = new TreeMap<>();

    SessionNode(String id, String name, String path) {
      this.id = id;
      this.name = name;
      this.path = path;
    }

    void add(HeliconeRecord r) {
      if (r.type() == RecordType.LLM) {
        requests++;
      } else {
        traces++;
      }
      if (r.costUsd() != null) {
        cost = cost.add(r.costUsd());
      }
      if (r.startTime() != null && (start == null || r.startTime().isBefore(start))) {
        start = r.startTime();
      }
      if (r.endTime() != null && (end == null || r.endTime().isAfter(end))) {
        end = r.endTime();
      }
    }

    Double durationMs() {
      return start == null || end == null ? null : millis(Duration.between(start, end));
    }
  }

  /** Sessions in start order, each with its path tree. Records outside a session are left out. */
  public static List<SessionNode> sessions(List<HeliconeRecord> records) {
    Map<String, SessionNode> sessions = new LinkedHashMap<>();
    for (HeliconeRecord r : records) {
      if (r.sessionId() == null) {
        continue;
      }
      SessionNode s =
          sessions.computeIfAbsent(r.sessionId(), id -> new SessionNode(id, r.sessionName(), "/"));
      s.add(r);
      String path = r.sessionPath();
      if (path == null || path.isEmpty() || path.equals("/")) {
        continue;
      }
      SessionNode node = s;
      StringBuilder prefix = new StringBuilder();
      for (String part : path.split("/", -1)) {
        if (part.isEmpty()) {
          continue;
        }
        prefix.append('/').append(part);
        String p = prefix.toString();
        node = node.children.computeIfAbsent(p, k -> new SessionNode(s.id, s.name, k));
        node.add(r);
      }
    }
    List<SessionNode> out = new ArrayList<>(sessions.values());
    out.sort(
        Comparator.comparing(
            (SessionNode n) -> n.start, Comparator.nullsLast(Comparator.naturalOrder())));
    return out;
  }

  /** The sessions as rows: one per session and one per path, paths indented in the table. */
  public static Table sessionTable(List<SessionNode> sessions, boolean indent) {
    Table t =
        new Table(
            List.of(
                "session",
                "name",
                "path",
                "requests",
                "traces",
                "cost_usd",
                "duration_ms",
                "start"));
    for (SessionNode s : sessions) {
      addSessionRows(t, s, 0, indent);
    }
    return t;
  }

  private static void addSessionRows(Table t, SessionNode n, int depth, boolean indent) {
    List<Object> row = new ArrayList<>();
    row.add(n.id);
    row.add(n.name);
    row.add(indent ? "  ".repeat(depth) + n.path : n.path);
    row.add(n.requests);
    row.add(n.traces);
    row.add(n.cost);
    row.add(n.durationMs());
    row.add(n.start == null ? null : n.start.toString());
    t.add(row);
    for (SessionNode c : n.children.values()) {
      addSessionRows(t, c, depth + 1, indent);
    }
  }
}
