package ai.helicone.openai.bench;

import ai.helicone.internal.capture.Redaction;
import ai.helicone.internal.instrument.CallMetadata;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.RecordStatus;
import ai.helicone.spi.CapturedExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import okhttp3.Headers;

/**
 * The plain chat call of the {@code benchmarks} module as the capture hands it to the SDK's
 * threads: the exchange, with the headers OkHttp sends and receives there, redacted as the capture
 * does, and its call's metadata. Each call of a factory makes new bytes and maps, so that a
 * benchmark can cycle through copies that do not share memory. Used by this module's benchmarks and
 * by those of the exporters (through the test jar).
 */
public final class PlainCall {
  private static final String URL = "http://127.0.0.1:8080/v1/chat/completions";
  private static final Instant START = Instant.parse("2026-12-01T08:00:00.123456789Z");

  private PlainCall() {}

  /** A new copy of the exchange. */
  public static CapturedExchange exchange() {
    byte[] request = chatRequest();
    byte[] response = chatCompletion();
    CapturedExchange.Builder exchange =
        CapturedExchange.builder()
            .method("POST")
            .url(URL)
            .requestHeaders(
                Redaction.redactHeaders(
                    Headers.of(
                        "Authorization", "Bearer sk-bench-not-a-key",
                        "Content-Type", "application/json; charset=utf-8")))
            .responseStatus(200)
            .responseHeaders(
                Redaction.redactHeaders(
                    Headers.of(
                        "Content-Type",
                        "application/json",
                        "Content-Length",
                        Integer.toString(response.length))))
            .outcome(RecordStatus.SUCCESS)
            .startTime(START)
            .endTime(START.plusNanos(61_234_567))
            .timeToResponseHeaders(Duration.ofNanos(60_000_000))
            .readTimeline(new long[] {response.length}, new long[] {61_000_000});
    // Marked ASCII as the capture marks them, so that building a record needs no UTF-8 check.
    RawBodies.requestBody(exchange, ByteChunks.ofChecked(request), false);
    RawBodies.responseBody(exchange, ByteChunks.ofChecked(response), false);
    return exchange.build();
  }

  /** New metadata of a call with no context: its own request id and nothing else. */
  public static CallMetadata call() {
    return new CallMetadata(
        UUID.randomUUID().toString(), null, Map.of(), null, null, null, false, false, Map.of());
  }

  private static byte[] chatRequest() {
    return ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a"
            + " helpful assistant.\"},{\"role\":\"user\",\"content\":\"Summarise the plot of"
            + " Hamlet in three sentences.\"}],\"temperature\":0.2}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] chatCompletion() {
    StringBuilder content = new StringBuilder();
    while (content.length() < 600) {
      content.append("Hamlet, prince of Denmark, avenges his father's murder. ");
    }
    return ("{\n  \"id\": \"chatcmpl-bench\",\n  \"object\": \"chat.completion\",\n"
            + "  \"created\": 1732000000,\n  \"model\": \"gpt-4o-mini-2024-07-18\",\n"
            + "  \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \""
            + content
            + "\"},\n    \"finish_reason\": \"stop\"}],\n"
            + "  \"usage\": {\"prompt_tokens\": 32, \"completion_tokens\": 120,"
            + " \"total_tokens\": 152}\n}\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
