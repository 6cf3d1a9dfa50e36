package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the thread
class TraceTest {
  private final InMemoryExporter exporter = new InMemoryExporter();
  private Helicone helicone =
      Helicone.builder()
          .addExporter(exporter)
          .serviceName("trace-test")
          .addContextCapturer(() -> Map.of("traceparent", "00-abc-def-01"))
          .batchDelay(Duration.ofMillis(5))
          .build();

  @AfterEach
  void stop() {
    helicone.close();
  }

  private List<HeliconeRecord> flushed() {
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    return exporter.records();
  }

  record Hit(String doc, double score) {}

  @Test
  void callRecordsInputOutputAndTiming() {
    List<Hit> hits =
        helicone
            .trace("vector-search")
            .kind(TraceKind.VECTOR_DB)
            .input(Map.of("query", "revenue"))
            .property("Index", "docs")
            .call(() -> List.of(new Hit("q3.pdf", 0.9)));

    assertThat(hits).containsExactly(new Hit("q3.pdf", 0.9));
    HeliconeRecord r = flushed().get(0);
    assertThat(r.type()).isEqualTo(RecordType.TRACE);
    assertThat(r.name()).isEqualTo("vector-search");
    assertThat(r.kind()).isEqualTo(TraceKind.VECTOR_DB);
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.input()).isEqualTo(CapturedBody.json("{\"query\":\"revenue\"}"));
    assertThat(r.output()).isEqualTo(CapturedBody.json("[{\"doc\":\"q3.pdf\",\"score\":0.9}]"));
    assertThat(r.properties()).containsExactly(Map.entry("Index", "docs"));
    assertThat(r.contextAttributes())
        .containsEntry("traceparent", "00-abc-def-01")
        .containsEntry("service.name", "trace-test");
    assertThat(r.startTime()).isBeforeOrEqualTo(r.endTime());
    assertThat(r.request()).isNull();
  }

  @Test
  void errorIsRecordedAndRethrownUnchanged() {
    IllegalStateException failure = new IllegalStateException("weather service down");

    assertThatThrownBy(
            () ->
                helicone
                    .trace("get-weather")
                    .kind(TraceKind.TOOL)
                    .input("Paris")
                    .call(
                        () -> {
                          throw failure;
                        }))
        .isSameAs(failure);
    assertThatThrownBy(
            () ->
                helicone
                    .trace("side-effect")
                    .run(
                        () -> {
                          throw new UnsupportedOperationException();
                        }))
        .isInstanceOf(UnsupportedOperationException.class);

    List<HeliconeRecord> records = flushed();
    assertThat(records.get(0).status()).isEqualTo(RecordStatus.ERROR);
    assertThat(records.get(0).error())
        .isEqualTo("java.lang.IllegalStateException: weather service down");
    assertThat(records.get(0).input()).isEqualTo(CapturedBody.text("Paris"));
    assertThat(records.get(0).output()).isNull();
    assertThat(records.get(1).error()).isEqualTo("java.lang.UnsupportedOperationException");
  }

  @Test
  void secretsInTheErrorMessageAreRedactedInTheRecordButNotForTheCaller() {
    IllegalStateException failure =
        new IllegalStateException("GET https://tools.example/weather?key=query-secret-1 failed");

    assertThatThrownBy(
            () ->
                helicone
                    .trace("get-weather")
                    .run(
                        () -> {
                          throw failure;
                        }))
        .isSameAs(failure)
        .hasMessageContaining("query-secret-1");

    assertThat(flushed().get(0).error())
        .isEqualTo(
            "java.lang.IllegalStateException: GET https://tools.example/weather?key=[REDACTED]"
                + " failed");
  }

  @Test
  void tracesInheritSessionPathUserAndPropertiesAtStart() {
    String sessionId;
    HeliconeTrace trace;
    try (HeliconeSession session =
            helicone.session("Agent").userId("u-9").property("Env", "prod").start();
        HeliconeScope step = session.path("/plan")) {
      sessionId = session.id();
      trace = helicone.trace("plan").property("Step", "1").start();
    }
    // Closed outside the session: it keeps what was in effect when it started.
    trace.output("done").close();
    helicone.trace("outside").run(() -> {});

    List<HeliconeRecord> records = flushed();
    HeliconeRecord r = records.get(0);
    assertThat(r.sessionId()).isEqualTo(sessionId);
    assertThat(r.sessionName()).isEqualTo("Agent");
    assertThat(r.sessionPath()).isEqualTo("/plan");
    assertThat(r.userId()).isEqualTo("u-9");
    assertThat(r.properties()).containsExactly(Map.entry("Env", "prod"), Map.entry("Step", "1"));
    assertThat(r.output()).isEqualTo(CapturedBody.text("done"));
    assertThat(records.get(1).sessionId()).isNull();
    assertThat(records.get(1).userId()).isNull();
    assertThat(exporter.endedSessions()).containsExactly(sessionId);
  }

  @Test
  void inputIsTakenWhenGivenAndUnserializableValuesFallBackToText() {
    List<String> docs = new ArrayList<>(List.of("a"));
    Object opaque =
        new Object() {
          @Override
          public String toString() {
            return "opaque value";
          }
        };
    try (HeliconeTrace trace = helicone.trace("mutating").input(docs).start()) {
      docs.add("b");
      trace.output(opaque);
    }
    HeliconeRecord r = flushed().get(0);
    assertThat(r.input()).isEqualTo(CapturedBody.json("[\"a\"]"));
    assertThat(r.output()).isEqualTo(CapturedBody.text("opaque value"));
  }

  @Test
  void omitFlagsLeaveInputAndOutputOut() {
    try (HeliconeScope scope = helicone.context().omitRequest().attach()) {
      helicone.trace("private-in").input("secret prompt").call(() -> "visible");
    }
    try (HeliconeScope scope = helicone.context().omitResponse().attach()) {
      helicone.trace("private-out").input("visible").call(() -> "secret answer");
    }
    List<HeliconeRecord> records = flushed();
    assertThat(records.get(0).input()).isNull();
    assertThat(records.get(0).output()).isEqualTo(CapturedBody.text("visible"));
    assertThat(records.get(1).input()).isEqualTo(CapturedBody.text("visible"));
    assertThat(records.get(1).output()).isNull();
  }

  @Test
  void closingTwiceRecordsOnceAndAThrowingCapturerIsContained() {
    helicone.close();
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .addContextCapturer(
                () -> {
                  throw new IllegalStateException("capturer bug");
                })
            .batchDelay(Duration.ofMillis(5))
            .build();
    HeliconeTrace trace = helicone.trace("twice").start();
    trace.close();
    trace.output("late").close();

    List<HeliconeRecord> records = flushed();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).output()).isNull();
    assertThat(helicone.stats().sdkErrors()).isEqualTo(1);
  }
}
