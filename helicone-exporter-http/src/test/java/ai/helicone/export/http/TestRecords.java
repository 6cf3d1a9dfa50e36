package ai.helicone.export.http;

import ai.helicone.TraceKind;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Records built directly, as the core would hand them to an exporter. */
final class TestRecords {
  /** 1795687200 s and 250 ms after the epoch. */
  static final Instant START = Instant.parse("2026-11-26T10:00:00.250Z");

  static final String ID = "0b6f5a3e-8f1e-4c8a-9d3b-2a1c5e7f9a10";
  static final String CHAT_URL = "https://api.openai.com/v1/chat/completions";
  static final String CHAT_REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String CHAT_RESPONSE =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,\"total_tokens\":10}}";

  /** Provider secrets that the core would have redacted; they must not leave the exporter. */
  static final String PROVIDER_SECRET = "sk-proj-SECRET123";

  private TestRecords() {}

  static Map<String, String> requestHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + PROVIDER_SECRET);
    headers.put("api-key", PROVIDER_SECRET);
    headers.put("Content-Type", "application/json");
    return headers;
  }

  static Map<String, String> responseHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("x-request-id", "req_123");
    headers.put("openai-organization", "org-" + PROVIDER_SECRET);
    headers.put("set-cookie", "session=" + PROVIDER_SECRET);
    return headers;
  }

  /** A chat request with the usual headers and {@code body}. */
  static CapturedRequest chatRequest(CapturedBody body) {
    return new CapturedRequest(CHAT_URL, "POST", requestHeaders(), body, false, false);
  }

  static HeliconeRecord.Builder llm() {
    return HeliconeRecord.builder()
        .type(RecordType.LLM)
        .id(ID)
        .sessionId("sess-1")
        .sessionPath("/research/analysis")
        .sessionName("Research")
        .userId("user-1")
        .property("Environment", "test")
        .startTime(START)
        .endTime(START.plusMillis(1500))
        .timeToFirstToken(Duration.ofMillis(300))
        .provider("openai")
        .model("gpt-4o-mini-2024-07-18")
        .requestModel("gpt-4o-mini")
        .operation("chat")
        .usage(Usage.builder().inputTokens(8L).outputTokens(2L).build())
        .request(chatRequest(CapturedBody.json(CHAT_REQUEST)))
        .response(
            new CapturedResponse(
                200, responseHeaders(), CapturedBody.json(CHAT_RESPONSE), null, false, false));
  }

  static HeliconeRecord plainCall() {
    return llm().build();
  }

  static HeliconeRecord stream(String rawSse, RecordStatus status) {
    String request =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
            + "\"stream\":true}";
    return llm().stream(true)
        .status(status)
        .request(chatRequest(CapturedBody.json(request)))
        .response(
            new CapturedResponse(
                200,
                Map.of("Content-Type", "text/event-stream"),
                CapturedBody.text("Hello"),
                rawSse,
                false,
                false))
        .build();
  }

  static HeliconeRecord trace(
      TraceKind kind, String name, CapturedBody input, CapturedBody output) {
    return HeliconeRecord.builder()
        .type(RecordType.TRACE)
        .id(UUID.randomUUID().toString())
        .sessionId("sess-1")
        .name(name)
        .kind(kind)
        .startTime(START)
        .endTime(START.plusMillis(40))
        .input(input)
        .output(output)
        .build();
  }
}
