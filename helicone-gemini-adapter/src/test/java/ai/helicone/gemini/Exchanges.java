package ai.helicone.gemini;

import ai.helicone.record.RecordStatus;
import ai.helicone.spi.CapturedExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Builds {@link CapturedExchange}s from fixtures without a server, with a chosen read timeline. */
public final class Exchanges {
  public static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
  public static final String REQUEST = Fixtures.text("request.json");

  private Exchanges() {}

  /** A response delivered in one read, 50 ms after the start. */
  public static CapturedExchange oneRead(String url, int status, String contentType, byte[] body) {
    return builder(url, status, contentType, body)
        .readTimeline(new long[] {body.length}, new long[] {Duration.ofMillis(50).toNanos()})
        .build();
  }

  /** A 200 JSON response delivered in one read. */
  public static CapturedExchange json(String url, byte[] body) {
    return oneRead(url, 200, "application/json; charset=UTF-8", body);
  }

  /**
   * A 200 response in which read {@code i} delivers the bytes up to {@code ends[i]} (exclusive),
   * {@code (i + 1) * step} after the start.
   */
  public static CapturedExchange reads(
      String url, String contentType, byte[] body, long[] ends, Duration step) {
    long[] nanos = new long[ends.length];
    for (int i = 0; i < ends.length; i++) {
      nanos[i] = step.toNanos() * (i + 1);
    }
    return builder(url, 200, contentType, body).readTimeline(ends, nanos).build();
  }

  public static CapturedExchange.Builder builder(
      String url, int status, String contentType, byte[] body) {
    return CapturedExchange.builder()
        .method("POST")
        .url(url)
        .requestHeaders(Map.of("Content-Type", "application/json"))
        .requestBody(REQUEST.getBytes(StandardCharsets.UTF_8), false)
        .responseStatus(status)
        .responseHeaders(Map.of("Content-Type", contentType))
        .responseBody(body, false)
        .outcome(status >= 400 ? RecordStatus.ERROR : RecordStatus.SUCCESS)
        .startTime(START)
        .endTime(START.plusMillis(500))
        .timeToResponseHeaders(Duration.ofMillis(5));
  }
}
