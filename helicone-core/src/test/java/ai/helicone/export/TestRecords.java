package ai.helicone.export;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Records for exporter tests. */
public final class TestRecords {
  private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

  private TestRecords() {}

  public static HeliconeRecord llm(String sessionId, String path) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    return HeliconeRecord.builder()
        .type(RecordType.LLM)
        .id(UUID.randomUUID().toString())
        .sessionId(sessionId)
        .sessionPath(path)
        .sessionName(sessionId == null ? null : "Doc")
        .userId("user-1")
        .property("Environment", "test")
        .startTime(START)
        .endTime(START.plusMillis(420))
        .duration(Duration.ofNanos(420_123_456))
        .timeToFirstToken(Duration.ofMillis(120))
        .provider("openai")
        .model("gpt-4o-mini-2024-07-18")
        .requestModel("gpt-4o-mini")
        .operation("chat")
        .usage(Usage.builder().inputTokens(12L).outputTokens(30L).build())
        .costUsd(new BigDecimal("0.0000198"))
        .request(
            new CapturedRequest(
                "https://api.openai.com/v1/chat/completions",
                "POST",
                headers,
                CapturedBody.json("{\n  \"model\": \"gpt-4o-mini\"\n}"),
                false,
                false))
        .response(
            new CapturedResponse(
                200, Map.of(), CapturedBody.json("{\"id\":\"chatcmpl-1\"}"), null, false, false))
        .build();
  }

  public static HeliconeRecord trace(String sessionId, String path, String name) {
    return HeliconeRecord.builder()
        .type(RecordType.TRACE)
        .id(UUID.randomUUID().toString())
        .sessionId(sessionId)
        .sessionPath(path)
        .name(name)
        .kind(TraceKind.TOOL)
        .startTime(START)
        .endTime(START.plusMillis(3))
        .input(CapturedBody.text("Paris"))
        .output(CapturedBody.json("{\"temp\":21}"))
        .build();
  }
}
