package ai.helicone.otlp;

import ai.helicone.TraceKind;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Records built directly, as the core would hand them to an exporter. */
final class TestRecords {
  static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

  static final String CHAT_REQUEST =
      "{\"model\":\"gpt-4o\",\"messages\":["
          + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
          + "{\"role\":\"user\",\"content\":\"Say hi\"}],\"temperature\":0.2}";
  static final String CHAT_RESPONSE =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-2024-08-06\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi!\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";

  private TestRecords() {}

  /** A successful chat completion with everything filled in. */
  static HeliconeRecord.Builder chat() {
    return HeliconeRecord.builder()
        .type(RecordType.LLM)
        .id(UUID.randomUUID().toString())
        .startTime(T0)
        .endTime(T0.plusMillis(1500))
        .provider("openai")
        .model("gpt-4o-2024-08-06")
        .requestModel("gpt-4o")
        .operation("chat")
        .usage(
            Usage.builder()
                .inputTokens(12L)
                .outputTokens(3L)
                .cachedInputTokens(4L)
                .cacheWriteTokens(2L)
                .reasoningTokens(1L)
                .build())
        .costUsd(new BigDecimal("0.00006"))
        .responseId("chatcmpl-1")
        .finishReasons(List.of("stop"))
        .requestParameters(
            Map.of(
                "temperature", 0.2,
                "max_tokens", 100L,
                "top_p", 0.9,
                "frequency_penalty", 0.5,
                "presence_penalty", 0.1,
                "stop", List.of("END"),
                "seed", 42L))
        .request(
            new CapturedRequest(
                "https://api.openai.com/v1/chat/completions",
                "POST",
                Map.of("Content-Type", "application/json"),
                CapturedBody.json(CHAT_REQUEST),
                false,
                false))
        .response(
            new CapturedResponse(
                200,
                Map.of("x-request-id", "req_1"),
                CapturedBody.json(CHAT_RESPONSE),
                null,
                false,
                false));
  }

  static HeliconeRecord.Builder streamedChat() {
    return chat().stream(true).timeToFirstToken(Duration.ofMillis(250));
  }

  static HeliconeRecord.Builder trace(TraceKind kind, String name) {
    return HeliconeRecord.builder()
        .type(RecordType.TRACE)
        .id(UUID.randomUUID().toString())
        .kind(kind)
        .name(name)
        .startTime(T0)
        .endTime(T0.plusMillis(40))
        .input(CapturedBody.json("{\"query\":\"weather\"}"))
        .output(CapturedBody.text("sunny"));
  }
}
