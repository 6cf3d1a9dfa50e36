package ai.helicone.otlp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordType;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionTreeTest {
  private final RecordSpanMapper mapper =
      new RecordSpanMapper(
          new RecordSpanMapper.Options(false, false, SemanticNames.Version.DEFAULT),
          Resource.empty(),
          InstrumentationScopeInfo.create("t"));
  private final AtomicLong clock = new AtomicLong();

  private SessionTree tree(int maxSessions, int maxNodes, int maxHeld, boolean hold) {
    return new SessionTree(
        mapper, maxSessions, maxNodes, maxHeld, Duration.ofMinutes(1), hold, clock::get);
  }

  private static HeliconeRecord record(String session, String path) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return HeliconeRecord.builder()
        .type(RecordType.LLM)
        .id(UUID.randomUUID().toString())
        .sessionId(session)
        .sessionPath(path)
        .startTime(t)
        .endTime(t.plusSeconds(1))
        .build();
  }

  private static List<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).toList();
  }

  @Test
  void pathsAreNormalisedIntoPrefixes() {
    assertThat(SessionTree.prefixes("/a/b/c")).containsExactly("/a", "/a/b", "/a/b/c");
    assertThat(SessionTree.prefixes("a//b/")).containsExactly("/a", "/a/b");
    assertThat(SessionTree.prefixes("/")).isEmpty();
    assertThat(SessionTree.prefixes(null)).isEmpty();
  }

  @Test
  void parentIsTheNodeOfTheRecordsPath() {
    SessionTree tree = tree(10, 10, 10, false);

    assertThat(tree.observe(record("s", "/a/b"))).isEqualTo(Ids.pathSpanId("s", "/a/b"));
    assertThat(tree.observe(record("s", null))).isEqualTo(Ids.sessionRootSpanId("s"));
    assertThat(names(tree.end("s", "N"))).containsExactly("session N", "/a", "/a/b");
    assertThat(tree.end("s", "N")).isEmpty();
    assertThat(tree.openSessions()).isZero();
  }

  @Test
  void leastRecentlyUsedSessionIsClosedEarlyBeyondTheLimit() {
    SessionTree tree = tree(2, 10, 10, false);
    tree.observe(record("s1", "/a"));
    tree.observe(record("s2", "/a"));
    tree.observe(record("s1", "/b"));

    tree.observe(record("s3", null));

    List<SpanData> closed = tree.takeClosedEarly();
    assertThat(closed).extracting(SpanData::getTraceId).containsOnly(Ids.sessionTraceId("s2"));
    assertThat(names(closed)).containsExactly("session", "/a");
    assertThat(tree.openSessions()).isEqualTo(2);
  }

  @Test
  void idleSessionsAreClosedEarly() {
    SessionTree tree = tree(10, 10, 10, false);
    tree.observe(record("old", "/a"));
    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    tree.observe(record("new", "/a"));
    clock.addAndGet(Duration.ofSeconds(31).toNanos());

    assertThat(tree.takeClosedEarly())
        .extracting(SpanData::getTraceId)
        .containsOnly(Ids.sessionTraceId("old"));
    assertThat(tree.openSessions()).isEqualTo(1);
    assertThat(tree.takeClosedEarly()).isEmpty();
  }

  @Test
  void pathNodesPerSessionAreBounded() {
    SessionTree tree = tree(10, 2, 10, false);
    tree.observe(record("s", "/a"));
    tree.observe(record("s", "/b"));

    // No room for /c: the record hangs from the deepest tracked prefix, here the root.
    assertThat(tree.observe(record("s", "/c/d"))).isEqualTo(Ids.sessionRootSpanId("s"));
    assertThat(names(tree.end("s", null))).containsExactly("session", "/a", "/b");
  }

  @Test
  void heldSpansFollowTheSessionSpansAndAreBounded() {
    SessionTree tree = tree(10, 10, 2, true);
    HeliconeRecord first = record("s", "/a");
    tree.observe(first);
    tree.hold(
        "s", mapper.toSpan(first, new RecordSpanMapper.Placement(Ids.sessionTraceId("s"), null)));
    assertThat(tree.takeClosedEarly()).isEmpty();
    HeliconeRecord second = record("s", "/a");
    tree.observe(second);

    tree.hold(
        "s", mapper.toSpan(second, new RecordSpanMapper.Placement(Ids.sessionTraceId("s"), null)));

    assertThat(names(tree.takeClosedEarly())).containsExactly("session", "/a", "chat", "chat");
    assertThat(tree.openSessions()).isZero();
  }
}
