package ai.helicone.internal.export;

import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.FrozenMap;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.CapturedExchange;
import java.util.Map;

/**
 * Estimates of the heap a queued record or captured exchange holds, for the {@link MemoryBudget}.
 * The large parts (bodies, URLs, headers) are counted as the JVM stores them (one byte per
 * character for Latin-1 strings, two otherwise); the rest is covered by a fixed allowance.
 */
public final class RecordSize {
  /** Object headers, ids, timestamps, usage, small maps: what a record costs besides its texts. */
  static final long FIXED_OVERHEAD = 1024;

  private RecordSize() {}

  /** The bytes a captured exchange holds until its record is built. */
  public static long of(CapturedExchange exchange) {
    return FIXED_OVERHEAD
        + exchange.requestBodyLength()
        + exchange.responseBodyLength()
        + text(exchange.url())
        + headers(exchange.requestHeaders())
        + headers(exchange.responseHeaders());
  }

  /** The bytes a built record holds. */
  // Identity, not equality, tells whether the body and the raw body are one string in memory.
  @SuppressWarnings("ReferenceEquality")
  public static long of(HeliconeRecord record) {
    long size = FIXED_OVERHEAD + text(record.error()) + text(record.name());
    size += body(record.input()) + body(record.output());
    CapturedRequest request = record.request();
    if (request != null) {
      size += text(request.url()) + headers(request.headers()) + body(request.body());
    }
    CapturedResponse response = record.response();
    if (response != null && response.derivesBodies()) {
      // Only the raw stream bytes are held; bodies are derived when an exporter writes them.
      size += headers(response.headers()) + 16L + response.rawBodyLength();
    } else if (response != null) {
      size += headers(response.headers()) + body(response.body());
      String raw = response.rawBody();
      // A stream recorded as it came shares one string between body and raw body.
      if (raw != null && (response.body() == null || raw != response.body().text())) {
        size += text(raw);
      }
    }
    return size;
  }

  private static long body(CapturedBody body) {
    if (body == null) {
      return 0;
    }
    // Counted as held, without decoding bytes that may never be decoded.
    ByteChunks bytes = RawBodies.undecodedBytes(body);
    return bytes != null ? 24L + bytes.length() : text(body.text());
  }

  // HTTP header text is ASCII (Latin-1 at the most in odd responses): one byte per character, not
  // worth scanning on every call.
  private static long headers(Map<String, String> headers) {
    long size = 0;
    if (headers instanceof FrozenMap<String> frozen) {
      for (int i = 0, n = frozen.size(); i < n; i++) {
        size += 32 + latin1(frozen.keyAt(i)) + latin1(frozen.valueAt(i));
      }
    } else if (headers != null) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        size += 32 + latin1(e.getKey()) + latin1(e.getValue());
      }
    }
    return size;
  }

  private static long latin1(String s) {
    return s == null ? 0 : 24L + s.length();
  }

  private static long text(String s) {
    if (s == null) {
      return 0;
    }
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) > 0xFF) {
        return 24 + 2L * n;
      }
    }
    return 24L + n;
  }
}
