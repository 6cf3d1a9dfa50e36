package ai.helicone.export;

import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Prints one readable line per record and, when a session closes, the session as a tree of its
 * paths with durations, tokens and cost. Meant for development. Remembers the records of at most
 * {@value #MAX_OPEN_SESSIONS} open sessions (the oldest are forgotten first), so memory stays
 * bounded even when sessions are never closed. Thread-safe.
 */
public final class ConsoleExporter implements HeliconeExporter {
  static final int MAX_OPEN_SESSIONS = 256;
  private static final int MAX_RECORDS_PER_SESSION = 10_000;

  private final PrintStream out;
  private final Map<String, List<HeliconeRecord>> openSessions =
      new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<HeliconeRecord>> eldest) {
          return size() > MAX_OPEN_SESSIONS;
        }
      };

  /** Prints to {@code System.out}. */
  public ConsoleExporter() {
    this(System.out);
  }

  /** Prints to {@code out}. */
  public ConsoleExporter(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public synchronized ExportResult export(List<HeliconeRecord> records) {
    for (HeliconeRecord r : records) {
      out.println("[helicone] " + describe(r) + context(r));
      if (r.sessionId() != null) {
        List<HeliconeRecord> list =
            openSessions.computeIfAbsent(r.sessionId(), k -> new ArrayList<>());
        if (list.size() < MAX_RECORDS_PER_SESSION) {
          list.add(r);
        }
      }
    }
    out.flush();
    return ExportResult.success();
  }

  @Override
  public synchronized void sessionEnded(String sessionId, String sessionName) {
    List<HeliconeRecord> records = openSessions.remove(sessionId);
    out.print(renderSessionTree(sessionId, sessionName, records == null ? List.of() : records));
    out.flush();
  }

  /** The session tree as printed when the session closes; one line per node and record. */
  static String renderSessionTree(String id, String name, List<HeliconeRecord> records) {
    Node root = new Node("");
    for (HeliconeRecord r : records) {
      root.descend(r.sessionPath()).records.add(r);
    }
    StringBuilder sb = new StringBuilder();
    sb.append("[helicone] session ")
        .append(name != null ? '"' + name + "\" " : "")
        .append(id)
        .append(": ")
        .append(root.summary())
        .append('\n');
    root.render(sb, "");
    return sb.toString();
  }

  private static String describe(HeliconeRecord r) {
    StringBuilder sb = new StringBuilder();
    if (r.type() == RecordType.LLM) {
      sb.append(r.operation() != null ? r.operation() : "llm");
      sb.append(' ').append(r.model() != null ? r.model() : "?");
      if (r.provider() != null) {
        sb.append(" (").append(r.provider()).append(')');
      }
      if (r.stream()) {
        sb.append(" stream");
      }
      if (r.response() != null && r.response().status() > 0) {
        sb.append(' ').append(r.response().status());
      }
    } else {
      sb.append(r.kind() != null ? r.kind().name().toLowerCase(Locale.ROOT) : "trace");
      sb.append(' ').append(r.name());
    }
    sb.append(' ').append(millis(r.duration()));
    if (r.timeToFirstToken() != null) {
      sb.append(" ttft ").append(millis(r.timeToFirstToken()));
    }
    sb.append(tokens(r.usage()));
    if (r.costUsd() != null) {
      sb.append(' ').append(dollars(r.costUsd()));
    }
    if (r.status() != RecordStatus.SUCCESS) {
      sb.append(' ').append(r.status().wireName().toUpperCase(Locale.ROOT));
      if (r.error() != null) {
        sb.append(": ").append(r.error());
      }
    }
    return sb.toString();
  }

  private static String context(HeliconeRecord r) {
    StringBuilder sb = new StringBuilder();
    if (r.sessionId() != null) {
      sb.append(" session=").append(r.sessionId());
    }
    if (r.sessionPath() != null) {
      sb.append(" path=").append(r.sessionPath());
    }
    if (r.userId() != null) {
      sb.append(" user=").append(r.userId());
    }
    return sb.toString();
  }

  private static String tokens(Usage u) {
    if (u == null || u.totalTokens() == null) {
      return "";
    }
    return " tokens "
        + (u.inputTokens() != null ? u.inputTokens() : "?")
        + "→"
        + (u.outputTokens() != null ? u.outputTokens() : "?")
        + (u.estimated() ? " (estimated)" : "");
  }

  private static String millis(Duration d) {
    return BigDecimal.valueOf(d.toNanos() / 100_000, 1).toPlainString() + "ms";
  }

  private static String dollars(BigDecimal usd) {
    return "$" + usd.setScale(6, RoundingMode.HALF_UP).toPlainString();
  }

  /** One path segment of a session, with the records made under exactly that path. */
  private static final class Node {
    final String path;
    final Map<String, Node> children = new LinkedHashMap<>();
    final List<HeliconeRecord> records = new ArrayList<>();

    Node(String path) {
      this.path = path;
    }

    Node descend(String sessionPath) {
      Node node = this;
      if (sessionPath == null) {
        return node;
      }
      StringBuilder prefix = new StringBuilder();
      for (String segment : sessionPath.split("/", -1)) {
        if (!segment.isEmpty()) {
          prefix.append('/').append(segment);
          String p = prefix.toString();
          node = node.children.computeIfAbsent(p, Node::new);
        }
      }
      return node;
    }

    String summary() {
      long[] counts = new long[3];
      BigDecimal[] cost = {null};
      Instant[] span = {null, null};
      accumulate(counts, cost, span);
      Duration elapsed = span[0] == null ? Duration.ZERO : Duration.between(span[0], span[1]);
      return counts[0]
          + " call(s), "
          + counts[1]
          + " trace(s), "
          + millis(elapsed)
          + ", "
          + counts[2]
          + " tokens"
          + (cost[0] != null ? ", " + dollars(cost[0]) : "");
    }

    private void accumulate(long[] counts, BigDecimal[] cost, Instant[] span) {
      for (HeliconeRecord r : records) {
        counts[r.type() == RecordType.LLM ? 0 : 1]++;
        if (r.usage() != null && r.usage().totalTokens() != null) {
          counts[2] += r.usage().totalTokens();
        }
        if (r.costUsd() != null) {
          cost[0] = cost[0] == null ? r.costUsd() : cost[0].add(r.costUsd());
        }
        span[0] = span[0] == null || r.startTime().isBefore(span[0]) ? r.startTime() : span[0];
        span[1] = span[1] == null || r.endTime().isAfter(span[1]) ? r.endTime() : span[1];
      }
      for (Node child : children.values()) {
        child.accumulate(counts, cost, span);
      }
    }

    /** When the earliest record at or below this node started. */
    Instant start() {
      Instant earliest = null;
      for (HeliconeRecord r : records) {
        earliest = earliest == null || r.startTime().isBefore(earliest) ? r.startTime() : earliest;
      }
      for (Node child : children.values()) {
        Instant s = child.start();
        earliest = earliest == null || (s != null && s.isBefore(earliest)) ? s : earliest;
      }
      return earliest;
    }

    void render(StringBuilder sb, String indent) {
      // Records and sub-paths in the order they started, so the tree reads as the session ran.
      List<Object> items = new ArrayList<>(records);
      items.addAll(children.values());
      items.sort(
          Comparator.comparing(
              item -> item instanceof Node n ? n.start() : ((HeliconeRecord) item).startTime(),
              Comparator.nullsLast(Comparator.naturalOrder())));
      for (int i = 0; i < items.size(); i++) {
        boolean last = i == items.size() - 1;
        sb.append("[helicone] ").append(indent).append(last ? "└─ " : "├─ ");
        Object item = items.get(i);
        if (item instanceof Node child) {
          sb.append(child.path).append("  ").append(child.summary()).append('\n');
          child.render(sb, indent + (last ? "   " : "│  "));
        } else {
          sb.append(describe((HeliconeRecord) item)).append('\n');
        }
      }
    }
  }

  @Override
  public String toString() {
    return "ConsoleExporter";
  }
}
