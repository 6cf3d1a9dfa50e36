package ai.helicone.openai;

import ai.helicone.record.RecordStatus;
import ai.helicone.spi.CapturedExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link CapturedExchange}s from fixtures without a server, with a chosen read timeline.
 * Provider-neutral: the Anthropic adapter's tests use it too, through this module's test jar.
 */
public final class Exchanges {
  public static final Instant START = Instant.parse("2026-01-02T03:04:05Z");

  private Exchanges() {}

  /** A 200 JSON response delivered in one read, 50 ms after the start. */
  public static CapturedExchange json(String url, String request, byte[] response) {
    return builder(url, request, 200, "application/json", response)
        .readTimeline(new long[] {response.length}, new long[] {Duration.ofMillis(50).toNanos()})
        .build();
  }

  /** A 200 body of the given content type delivered in one read, 50 ms after the start. */
  public static CapturedExchange body(
      String url, String request, String contentType, byte[] response) {
    return builder(url, request, 200, contentType, response)
        .readTimeline(new long[] {response.length}, new long[] {Duration.ofMillis(50).toNanos()})
        .build();
  }

  /** A response with the given status and JSON body. */
  public static CapturedExchange status(String url, String request, int status, byte[] response) {
    return builder(url, request, status, "application/json", response)
        .readTimeline(new long[] {response.length}, new long[] {Duration.ofMillis(50).toNanos()})
        .build();
  }

  /**
   * A 200 event stream in which event {@code i} (blocks separated by a blank line) is delivered by
   * its own read, {@code (i + 1) * step} after the start.
   */
  public static CapturedExchange eventPerRead(
      String url, String request, byte[] stream, Duration step) {
    return eventPerReadBuilder(url, request, stream, step).build();
  }

  public static CapturedExchange.Builder eventPerReadBuilder(
      String url, String request, byte[] stream, Duration step) {
    List<Long> offsets = eventEnds(stream);
    long[] ends = new long[offsets.size()];
    long[] nanos = new long[offsets.size()];
    for (int i = 0; i < ends.length; i++) {
      ends[i] = offsets.get(i);
      nanos[i] = step.toNanos() * (i + 1);
    }
    return builder(url, request, 200, "text/event-stream; charset=utf-8", stream)
        .readTimeline(ends, nanos);
  }

  /** The offsets just past each blank-line-terminated event, and the end of the stream. */
  public static List<Long> eventEnds(byte[] stream) {
    List<Long> ends = new ArrayList<>();
    for (int i = 1; i < stream.length; i++) {
      if (stream[i] == '\n' && stream[i - 1] == '\n') {
        ends.add((long) i + 1);
      }
    }
    if (ends.isEmpty() || ends.get(ends.size() - 1) != stream.length) {
      ends.add((long) stream.length);
    }
    return ends;
  }

  public static CapturedExchange.Builder builder(
      String url, String request, int status, String contentType, byte[] response) {
    return CapturedExchange.builder()
        .method("POST")
        .url(url)
        .requestHeaders(Map.of("Content-Type", "application/json"))
        .requestBody(request == null ? null : request.getBytes(StandardCharsets.UTF_8), false)
        .responseStatus(status)
        .responseHeaders(Map.of("Content-Type", contentType))
        .responseBody(response, false)
        .outcome(status >= 400 ? RecordStatus.ERROR : RecordStatus.SUCCESS)
        .startTime(START)
        .endTime(START.plusMillis(500))
        .timeToResponseHeaders(Duration.ofMillis(5));
  }
}
