package ai.helicone.cli.internal;

import ai.helicone.metrics.Aggregate;
import ai.helicone.metrics.MetricsView;
import ai.helicone.record.HeliconeRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes the offline HTML report: one file with its styles, script and data inside, no request to
 * anything else. The figures come from the same aggregates as the other commands.
 */
public final class HtmlReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATA_MARK = "{\"__data__\":0}";

  private HtmlReport() {}

  public static void write(
      List<HeliconeRecord> records, MetricsView view, String featureProperty, Path file) {
    String page =
        template().replace(DATA_MARK, safeForScript(data(records, view, featureProperty)));
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String data(List<HeliconeRecord> records, MetricsView view, String featureProperty) {
    ObjectNode root = JSON.createObjectNode();
    root.put("featureProperty", featureProperty);
    root.set("total", aggregate(view.total()));
    root.set("byUser", group(view.byUser()));
    root.set("byFeature", group(view.byProperty(featureProperty)));
    root.set("byModel", group(view.byModel()));
    ArrayNode sessions = root.putArray("sessions");
    for (Reports.SessionNode s : Reports.sessions(records)) {
      ObjectNode o = sessions.addObject();
      o.put("id", s.id);
      o.put("name", s.name);
      o.put("start", s.start == null ? null : s.start.toString());
      o.put("durationMs", s.durationMs());
      o.put("requests", s.requests);
      o.put("cost", s.cost);
      ArrayNode spans = o.putArray("spans");
      for (HeliconeRecord r : records) {
        if (!s.id.equals(r.sessionId()) || r.startTime() == null || s.start == null) {
          continue;
        }
        ObjectNode span = spans.addObject();
        span.put("offsetMs", Reports.millis(Duration.between(s.start, r.startTime())));
        span.put("durationMs", Reports.millis(r.duration()));
        span.put("path", r.sessionPath());
        span.put(
            "label",
            r.name() != null ? r.name() : r.model() != null ? r.model() : r.requestModel());
        span.put("status", RecordFilter.statusOf(r));
        span.put("cost", r.costUsd());
      }
    }
    Table requests = Reports.requests(records);
    ArrayNode rows = root.putArray("requests");
    for (List<Object> row : requests.rows()) {
      ArrayNode a = rows.addArray();
      for (Object v : row) {
        a.add(Table.text(v));
      }
    }
    return root.toString();
  }

  private static ObjectNode group(Map<String, Aggregate> groups) {
    ObjectNode o = JSON.createObjectNode();
    groups.forEach((k, a) -> o.set(k, aggregate(a)));
    return o;
  }

  private static ObjectNode aggregate(Aggregate a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("requests", a.requests());
    o.put("errors", a.errors());
    o.put("rateLimited", a.rateLimited());
    o.put("errorRate", a.errorRate());
    o.put("cost", a.costUsd());
    o.put("inputTokens", a.inputTokens());
    o.put("outputTokens", a.outputTokens());
    o.put("cacheHitRate", a.cacheHitRate());
    o.put("latencyP50", Reports.millis(a.latency().p50()));
    o.put("latencyP95", Reports.millis(a.latency().p95()));
    o.put("latencyP99", Reports.millis(a.latency().p99()));
    o.put("ttftCount", a.timeToFirstToken().count());
    o.put("ttftP50", Reports.millis(a.timeToFirstToken().p50()));
    o.put("ttftP95", Reports.millis(a.timeToFirstToken().p95()));
    o.put("ttftP99", Reports.millis(a.timeToFirstToken().p99()));
    return o;
  }

  /** JSON inside a script element: nothing in it may close the element or open a comment. */
  static String safeForScript(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  private static String template() {
    try (InputStream in = HtmlReport.class.getResourceAsStream("report.html")) {
      if (in == null) {
        throw new IllegalStateException("report.html is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
