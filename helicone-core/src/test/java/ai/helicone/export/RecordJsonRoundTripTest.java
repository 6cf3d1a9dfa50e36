package ai.helicone.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.TraceKind;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordJsonRoundTripTest {

  /** A record with every field set to a value other than its default. */
  static HeliconeRecord fullLlmRecord() {
    Map<String, String> reqHeaders = new LinkedHashMap<>();
    reqHeaders.put("Content-Type", "application/json");
    reqHeaders.put("Authorization", "[REDACTED]");
    Map<String, String> resHeaders = new LinkedHashMap<>();
    resHeaders.put("x-request-id", "req-9");
    resHeaders.put("content-type", "text/event-stream");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("temperature", 0.7);
    params.put("max_tokens", 256L);
    params.put("stream", true);
    params.put("stop", List.of("\n\n", "END"));
    params.put("seed", null);
    return HeliconeRecord.builder()
        .type(RecordType.LLM)
        .id("5f0c6a3e-1b7d-4c8e-9f2a-3d4e5f6a7b8c")
        .sessionId("s-1")
        .sessionPath("/research/analysis")
        .sessionName("Doc \"analyzer\" ✓")
        .userId("user-ü")
        .property("Environment", "prod")
        .property("Tier", "gold")
        .startTime(Instant.parse("2026-11-26T10:00:00.123456789Z"))
        .endTime(Instant.parse("2026-11-26T10:00:01.987654321Z"))
        .duration(Duration.ofNanos(1_864_197_533L))
        .timeToFirstToken(Duration.ofNanos(120_000_001L))
        .provider("openai")
        .model("gpt-4o-mini-2024-07-18")
        .requestModel("gpt-4o-mini")
        .operation("chat")
        .stream(true)
        .status(RecordStatus.ERROR)
        .error("stream ended with an error: overloaded")
        .usage(
            Usage.builder()
                .inputTokens(12L)
                .outputTokens(30L)
                .cachedInputTokens(4L)
                .cacheWriteTokens(2L)
                .reasoningTokens(7L)
                .inputAudioTokens(1L)
                .outputAudioTokens(3L)
                .totalTokens(45L)
                .estimated(true)
                .build())
        .costUsd(new BigDecimal("0.00001980000000000001"))
        .responseId("chatcmpl-1")
        .finishReasons(List.of("stop", "length"))
        .requestParameters(params)
        .request(
            new CapturedRequest(
                "https://api.openai.com/v1/chat/completions?key=[REDACTED]",
                "POST",
                reqHeaders,
                CapturedBody.json("{\"model\":\"gpt-4o-mini\",\"n\":[1,2.5,null,true]}"),
                false,
                true))
        .response(
            new CapturedResponse(
                200,
                resHeaders,
                CapturedBody.json("{\"id\":\"chatcmpl-1\",\"choices\":[]}"),
                "data: {\"x\":1}\n\ndata: [DONE]\n\n",
                true,
                false))
        .contextAttributes(Map.of("traceparent", "00-abc-def-01"))
        .build();
  }

  @Test
  void everyFieldOfAnLlmRecordSurvivesTheRoundTrip() {
    HeliconeRecord in = fullLlmRecord();
    HeliconeRecord out = RecordJson.fromJson(RecordJson.toJson(in));

    assertSameFields(out, in);
    // Written again, the copy gives the same line.
    assertThat(RecordJson.toJson(out)).isEqualTo(RecordJson.toJson(in));
  }

  @Test
  void everyFieldOfATraceRecordSurvivesTheRoundTrip() {
    HeliconeRecord in =
        HeliconeRecord.builder()
            .type(RecordType.TRACE)
            .id("trace-1")
            .sessionId("s-2")
            .name("get-weather")
            .kind(TraceKind.VECTOR_DB)
            .startTime(Instant.parse("2026-11-26T10:00:00Z"))
            .endTime(Instant.parse("2026-11-26T10:00:00.003Z"))
            .status(RecordStatus.CANCELLED)
            .input(CapturedBody.text("{not json"))
            .output(CapturedBody.json("[1,{\"a\":\"b\"}]"))
            .build();
    HeliconeRecord out = RecordJson.fromJson(RecordJson.toJson(in));

    assertSameFields(out, in);
    assertThat(out.request()).isNull();
    assertThat(out.response()).isNull();
    assertThat(out.usage()).isNull();
    assertThat(out.costUsd()).isNull();
    assertThat(out.timeToFirstToken()).isNull();
  }

  @Test
  void jsonBodiesComeBackCompactAndTheSameValue() {
    HeliconeRecord in = TestRecords.llm(null, null); // request body is pretty-printed JSON
    HeliconeRecord out = RecordJson.fromJson(RecordJson.toJson(in));

    assertThat(out.request().body().isJson()).isTrue();
    assertThat(out.request().body().text()).isEqualTo("{\"model\":\"gpt-4o-mini\"}");
    assertThat(out.duration()).isEqualTo(Duration.ofNanos(420_123_456));
  }

  @Test
  void durationsKeepThreeDecimalsWhenThatIsExact() {
    HeliconeRecord in =
        TestRecords.llm(null, null).toBuilder().duration(Duration.ofMillis(420)).build();

    assertThat(RecordJson.toJson(in)).contains("\"durationMs\":420.000");
  }

  @Test
  void rejectsWhatIsNotARecord() {
    assertThatThrownBy(() -> RecordJson.fromJson("{\"schema\":1,\"type\":\"llm\""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecordJson.fromJson("[1]"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecordJson.fromJson("{\"schema\":99,\"type\":\"llm\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema");
    assertThatThrownBy(() -> RecordJson.fromJson("{\"schema\":1,\"type\":\"llm\",\"id\":\"x\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startTime");
  }

  static void assertSameFields(HeliconeRecord out, HeliconeRecord in) {
    assertThat(out.type()).isEqualTo(in.type());
    assertThat(out.id()).isEqualTo(in.id());
    assertThat(out.sessionId()).isEqualTo(in.sessionId());
    assertThat(out.sessionPath()).isEqualTo(in.sessionPath());
    assertThat(out.sessionName()).isEqualTo(in.sessionName());
    assertThat(out.userId()).isEqualTo(in.userId());
    assertThat(out.properties()).containsExactlyEntriesOf(in.properties());
    assertThat(out.name()).isEqualTo(in.name());
    assertThat(out.kind()).isEqualTo(in.kind());
    assertThat(out.startTime()).isEqualTo(in.startTime());
    assertThat(out.endTime()).isEqualTo(in.endTime());
    assertThat(out.duration()).isEqualTo(in.duration());
    assertThat(out.timeToFirstToken()).isEqualTo(in.timeToFirstToken());
    assertThat(out.provider()).isEqualTo(in.provider());
    assertThat(out.model()).isEqualTo(in.model());
    assertThat(out.requestModel()).isEqualTo(in.requestModel());
    assertThat(out.operation()).isEqualTo(in.operation());
    assertThat(out.stream()).isEqualTo(in.stream());
    assertThat(out.status()).isEqualTo(in.status());
    assertThat(out.error()).isEqualTo(in.error());
    assertThat(out.usage()).isEqualTo(in.usage());
    if (in.costUsd() == null) {
      assertThat(out.costUsd()).isNull();
    } else {
      assertThat(out.costUsd()).isEqualByComparingTo(in.costUsd());
    }
    assertThat(out.responseId()).isEqualTo(in.responseId());
    assertThat(out.finishReasons()).isEqualTo(in.finishReasons());
    assertThat(out.requestParameters()).containsExactlyEntriesOf(in.requestParameters());
    if (in.request() != null) {
      assertThat(out.request().url()).isEqualTo(in.request().url());
      assertThat(out.request().method()).isEqualTo(in.request().method());
      assertThat(out.request().headers()).containsExactlyEntriesOf(in.request().headers());
      assertThat(out.request().body()).isEqualTo(in.request().body());
      assertThat(out.request().omitted()).isEqualTo(in.request().omitted());
      assertThat(out.request().truncated()).isEqualTo(in.request().truncated());
    }
    if (in.response() != null) {
      assertThat(out.response().status()).isEqualTo(in.response().status());
      assertThat(out.response().headers()).containsExactlyEntriesOf(in.response().headers());
      assertThat(out.response().body()).isEqualTo(in.response().body());
      assertThat(out.response().rawBody()).isEqualTo(in.response().rawBody());
      assertThat(out.response().omitted()).isEqualTo(in.response().omitted());
      assertThat(out.response().truncated()).isEqualTo(in.response().truncated());
    }
    assertThat(out.input()).isEqualTo(in.input());
    assertThat(out.output()).isEqualTo(in.output());
    assertThat(out.contextAttributes()).containsExactlyEntriesOf(in.contextAttributes());
  }
}
