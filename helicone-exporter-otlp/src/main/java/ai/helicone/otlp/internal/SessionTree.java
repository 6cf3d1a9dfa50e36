package ai.helicone.otlp.internal;

import ai.helicone.record.HeliconeRecord;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Tracks open sessions so that, when a session ends, its root span and one span per session path
 * prefix can be emitted covering the earliest start and latest end of the records below them.
 *
 * <p>Memory is bounded: at most {@code maxOpenSessions} sessions (the least recently used one is
 * closed early beyond that), at most {@code maxNodesPerSession} path nodes each (deeper records
 * hang from the deepest tracked prefix), sessions idle for {@code idleTimeout} are closed early,
 * and when spans are held back (see {@code holdRecordSpans}) at most {@code maxHeldSpansPerSession}
 * per session. Closing early emits what was seen so far. Not thread-safe: used by the exporter's
 * single worker.
 */
public final class SessionTree {
  private final RecordSpanMapper mapper;
  private final int maxOpenSessions;
  private final int maxNodesPerSession;
  private final int maxHeldSpansPerSession;
  private final long idleTimeoutNanos;
  private final boolean holdRecordSpans;
  private final LongSupplier nanoClock;
  private final LinkedHashMap<String, Session> open = new LinkedHashMap<>(16, 0.75f, true);
  private final List<SpanData> closedEarly = new ArrayList<>();

  /**
   * @param holdRecordSpans true to keep the records' spans until the session ends and return them
   *     after the session's own spans (needed when spans go through a tracer, which cannot be given
   *     span ids, so parents must be created before their children)
   */
  public SessionTree(
      RecordSpanMapper mapper,
      int maxOpenSessions,
      int maxNodesPerSession,
      int maxHeldSpansPerSession,
      Duration idleTimeout,
      boolean holdRecordSpans,
      LongSupplier nanoClock) {
    this.mapper = mapper;
    this.maxOpenSessions = maxOpenSessions;
    this.maxNodesPerSession = maxNodesPerSession;
    this.maxHeldSpansPerSession = maxHeldSpansPerSession;
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.holdRecordSpans = holdRecordSpans;
    this.nanoClock = nanoClock;
  }

  /** Whether record spans of sessions must be passed to {@link #hold} instead of exported. */
  public boolean holdsRecordSpans() {
    return holdRecordSpans;
  }

  /**
   * Notes a record of a session and returns the span id its span must have as parent: the node of
   * its path, or the session root.
   */
  public String observe(HeliconeRecord r) {
    String sessionId = r.sessionId();
    Session s = open.get(sessionId);
    if (s == null) {
      if (open.size() >= maxOpenSessions) {
        Iterator<Map.Entry<String, Session>> eldest = open.entrySet().iterator();
        Map.Entry<String, Session> e = eldest.next();
        eldest.remove();
        closedEarly.addAll(spansOf(e.getKey(), e.getValue()));
      }
      s = new Session();
      open.put(sessionId, s);
    }
    s.lastTouched = nanoClock.getAsLong();
    if (r.sessionName() != null) {
      s.name = r.sessionName();
    }
    long start = RecordSpanMapper.nanos(r.startTime());
    long end = RecordSpanMapper.nanos(r.endTime());
    s.widen("", start, end);
    String deepest = "";
    for (String prefix : prefixes(r.sessionPath())) {
      if (!s.nodes.containsKey(prefix) && s.nodes.size() > maxNodesPerSession) {
        break;
      }
      s.widen(prefix, start, end);
      deepest = prefix;
    }
    return Ids.pathSpanId(sessionId, deepest);
  }

  /** Keeps a record span of an open session until the session ends (see the constructor). */
  public void hold(String sessionId, SpanData span) {
    Session s = open.get(sessionId);
    if (s == null) {
      closedEarly.add(span);
      return;
    }
    s.held.add(span);
    if (s.held.size() >= maxHeldSpansPerSession) {
      open.remove(sessionId);
      closedEarly.addAll(spansOf(sessionId, s));
    }
  }

  /**
   * Closes a session: its root span, then one span per path prefix (parents before children), then
   * any held record spans. Empty when nothing of the session was seen.
   */
  public List<SpanData> end(String sessionId, String sessionName) {
    Session s = open.remove(sessionId);
    if (s == null) {
      return List.of();
    }
    if (sessionName != null) {
      s.name = sessionName;
    }
    return spansOf(sessionId, s);
  }

  /** Closes idle sessions and returns every span of sessions closed early since the last call. */
  public List<SpanData> takeClosedEarly() {
    long now = nanoClock.getAsLong();
    Iterator<Map.Entry<String, Session>> it = open.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Session> e = it.next();
      if (now - e.getValue().lastTouched >= idleTimeoutNanos) {
        it.remove();
        closedEarly.addAll(spansOf(e.getKey(), e.getValue()));
      }
    }
    if (closedEarly.isEmpty()) {
      return List.of();
    }
    List<SpanData> out = new ArrayList<>(closedEarly);
    closedEarly.clear();
    return out;
  }

  /** Closes every open session, when the exporter shuts down, and returns all their spans. */
  public List<SpanData> takeAll() {
    for (Map.Entry<String, Session> e : open.entrySet()) {
      closedEarly.addAll(spansOf(e.getKey(), e.getValue()));
    }
    open.clear();
    List<SpanData> out = new ArrayList<>(closedEarly);
    closedEarly.clear();
    return out;
  }

  /** Number of sessions being tracked. */
  public int openSessions() {
    return open.size();
  }

  private List<SpanData> spansOf(String sessionId, Session s) {
    List<SpanData> out = new ArrayList<>(s.nodes.size() + s.held.size());
    for (Map.Entry<String, long[]> node : s.nodes.entrySet()) {
      String path = node.getKey();
      String parentId = path.isEmpty() ? null : Ids.pathSpanId(sessionId, parentPath(path));
      out.add(
          mapper.sessionNodeSpan(
              sessionId, s.name, path, parentId, node.getValue()[0], node.getValue()[1]));
    }
    out.addAll(s.held);
    return out;
  }

  /** {@code /a/b/c} → {@code /a, /a/b, /a/b/c}; empty segments are ignored. */
  static List<String> prefixes(String path) {
    List<String> out = new ArrayList<>();
    if (path == null) {
      return out;
    }
    StringBuilder sb = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (segment.isBlank()) {
        continue;
      }
      sb.append('/').append(segment.trim());
      out.add(sb.toString());
    }
    return out;
  }

  private static String parentPath(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "" : path.substring(0, slash);
  }

  private static final class Session {
    String name;
    long lastTouched;
    // Insertion order puts every prefix after its parent, so parents are emitted first.
    final LinkedHashMap<String, long[]> nodes = new LinkedHashMap<>();
    final List<SpanData> held = new ArrayList<>();

    void widen(String path, long start, long end) {
      long[] range = nodes.get(path);
      if (range == null) {
        nodes.put(path, new long[] {start, end});
      } else {
        range[0] = Math.min(range[0], start);
        range[1] = Math.max(range[1], end);
      }
    }
  }
}
