package ai.helicone.spi;

import ai.helicone.internal.capture.HeaderMap;
import ai.helicone.internal.record.Bodies;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.FrozenMap;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.RecordStatus;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One captured HTTP exchange as a {@link ProviderAdapter} sees it, on the export worker. Headers
 * are already redacted; bodies are the bytes the caller sent and read (decompressed), up to the
 * capture limit. Immutable and thread-safe.
 */
public final class CapturedExchange {
  static {
    RawBodies.setExchangeAccess(
        new RawBodies.ExchangeAccess() {
          @Override
          public ByteChunks responseBody(CapturedExchange exchange) {
            return exchange.responseBody;
          }

          @Override
          public void responseBody(Builder builder, ByteChunks body, boolean truncated) {
            builder.responseBody = body;
            builder.responseBodyTruncated = truncated;
          }

          @Override
          public ByteChunks requestBody(CapturedExchange exchange) {
            return exchange.requestBody;
          }

          @Override
          public void requestBody(Builder builder, ByteChunks body, boolean truncated) {
            builder.requestBody = body;
            builder.requestBodyTruncated = truncated;
          }

          @Override
          public boolean requestJsonType(CapturedExchange exchange) {
            return exchange.requestJsonType;
          }

          @Override
          public boolean responseJsonType(CapturedExchange exchange) {
            return exchange.responseJsonType;
          }
        });
  }

  private final String method;
  private final String url;
  private final Map<String, String> requestHeaders;
  // The bytes as given, not copied; null when no body was captured.
  private final ByteChunks requestBody;
  private final boolean requestBodyTruncated;
  private final int responseStatus;
  private final Map<String, String> responseHeaders;
  // Null when no body was captured.
  private final ByteChunks responseBody;
  private final boolean responseBodyTruncated;
  private final RecordStatus outcome;
  private final String transportError;
  private final Instant startTime;
  private final Instant endTime;
  private final Duration duration;
  private final Duration timeToResponseHeaders;
  private final long[] readOffsets;
  private final long[] readNanos;
  private final int readCount;
  // Asked for every record by the SDK's threads; answered once, where the headers are hot: on
  // another thread the first look-up in a map the calling thread wrote is a cache miss per key.
  private final boolean eventStream;
  private final boolean requestJsonType;
  private final boolean responseJsonType;

  private CapturedExchange(Builder b) {
    this.method = Objects.requireNonNull(b.method, "method");
    this.url = Objects.requireNonNull(b.url, "url");
    this.requestHeaders = lowerCaseKeys(b.requestHeaders);
    this.requestBody = b.requestBody;
    this.requestBodyTruncated = b.requestBodyTruncated;
    this.responseStatus = b.responseStatus;
    this.responseHeaders = lowerCaseKeys(b.responseHeaders);
    this.responseBody = b.responseBody;
    this.responseBodyTruncated = b.responseBodyTruncated;
    this.outcome = Objects.requireNonNull(b.outcome, "outcome");
    this.transportError = b.transportError;
    this.startTime = Objects.requireNonNull(b.startTime, "startTime");
    this.endTime = Objects.requireNonNull(b.endTime, "endTime");
    this.duration = b.duration != null ? b.duration : Duration.between(b.startTime, b.endTime);
    this.timeToResponseHeaders = b.timeToResponseHeaders;
    if (b.readOffsets == null || b.readNanos == null) {
      this.readOffsets = new long[0];
      this.readNanos = new long[0];
      this.readCount = 0;
    } else {
      this.readOffsets = b.readOffsets;
      this.readNanos = b.readNanos;
      this.readCount = b.readCount;
    }
    String type = responseHeaders.get("content-type");
    this.eventStream =
        type != null && type.regionMatches(true, 0, EVENT_STREAM, 0, EVENT_STREAM.length());
    this.responseJsonType = Bodies.isJsonContentType(type);
    this.requestJsonType = Bodies.isJsonContentType(requestHeaders.get("content-type"));
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> headers) {
    if (headers instanceof HeaderMap) {
      return headers; // captured headers: already unmodifiable, names in lower case
    }
    Map<String, String> out = new LinkedHashMap<>();
    headers.forEach((k, v) -> out.merge(k.toLowerCase(Locale.ROOT), v, (a, c) -> a + ", " + c));
    return FrozenMap.adopt(out); // records share it instead of copying it again
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  public String method() {
    return method;
  }

  /** The request URL, with secrets in the query string redacted. */
  public String url() {
    return url;
  }

  /** Redacted request headers, names in lower case. */
  public Map<String, String> requestHeaders() {
    return requestHeaders;
  }

  /** A request header by case-insensitive name, or null. */
  public String requestHeader(String name) {
    return requestHeaders.get(name.toLowerCase(Locale.ROOT));
  }

  /** True when a request body was captured. */
  public boolean hasRequestBody() {
    return requestBody != null;
  }

  /** The captured request body as a stream; empty when none was captured. */
  public InputStream requestBodyStream() {
    return (requestBody == null ? ByteChunks.EMPTY : requestBody).inputStream();
  }

  /** The captured request body decoded as UTF-8, or null when none was captured. */
  public String requestBodyText() {
    return requestBody == null ? null : requestBody.utf8();
  }

  /** The number of captured request bytes. */
  public int requestBodyLength() {
    return requestBody == null ? 0 : requestBody.length();
  }

  public boolean requestBodyTruncated() {
    return requestBodyTruncated;
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int responseStatus() {
    return responseStatus;
  }

  /** Redacted response headers, names in lower case. */
  public Map<String, String> responseHeaders() {
    return responseHeaders;
  }

  /** A response header by case-insensitive name, or null. */
  public String responseHeader(String name) {
    return responseHeaders.get(name.toLowerCase(Locale.ROOT));
  }

  private static final String EVENT_STREAM = "text/event-stream";

  /** True when the response is a server-sent-event stream. */
  public boolean isEventStream() {
    return eventStream;
  }

  /** True when a response body was captured. */
  public boolean hasResponseBody() {
    return responseBody != null;
  }

  /** The number of captured response bytes. */
  public int responseBodyLength() {
    return responseBody == null ? 0 : responseBody.length();
  }

  /** The captured response body as a stream; empty when none was captured. */
  public InputStream responseBodyStream() {
    return (responseBody == null ? ByteChunks.EMPTY : responseBody).inputStream();
  }

  /** A copy of the captured response bytes; empty when none were captured. */
  public byte[] responseBodyBytes() {
    return responseBody == null ? new byte[0] : responseBody.copy();
  }

  /** The captured response body decoded as UTF-8, or null when none was captured. */
  public String responseBodyText() {
    return responseBody == null ? null : responseBody.utf8();
  }

  public boolean responseBodyTruncated() {
    return responseBodyTruncated;
  }

  /** How the exchange ended, as seen by the transport (before any adapter looked at the body). */
  public RecordStatus outcome() {
    return outcome;
  }

  /** The transport error, such as {@code java.net.SocketException: Connection reset}, or null. */
  public String transportError() {
    return transportError;
  }

  public Instant startTime() {
    return startTime;
  }

  public Instant endTime() {
    return endTime;
  }

  public Duration duration() {
    return duration;
  }

  /** From the start of the call to the arrival of the response headers; null without a response. */
  public Duration timeToResponseHeaders() {
    return timeToResponseHeaders;
  }

  /**
   * When the response byte at {@code offset} reached the caller, measured from the start of the
   * call; null when unknown (no body, or the offset lies beyond what was captured). For captured
   * calls it is exact to a tenth of a millisecond: reads closer together than that count as
   * arriving with the first of them. Adapters use it for time to first token: they find where the
   * first content starts in the body and ask for its time here, so that nothing is parsed on the
   * caller's thread.
   */
  public Duration timeAtResponseOffset(long offset) {
    if (offset < 0) {
      return null;
    }
    // readOffsets[i] is the offset just past the bytes delivered by read i, in increasing order.
    int lo = 0;
    int hi = readCount - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (readOffsets[mid] > offset) {
        found = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return found < 0 ? null : Duration.ofNanos(readNanos[found]);
  }

  /** Builds a {@link CapturedExchange}; used by the instrumentation and by adapter tests. */
  public static final class Builder {
    private String method;
    private String url;
    private Map<String, String> requestHeaders = Map.of();
    private ByteChunks requestBody;
    private boolean requestBodyTruncated;
    private int responseStatus;
    private Map<String, String> responseHeaders = Map.of();
    private ByteChunks responseBody;
    private boolean responseBodyTruncated;
    private RecordStatus outcome = RecordStatus.SUCCESS;
    private String transportError;
    private Instant startTime;
    private Instant endTime;
    private Duration duration;
    private Duration timeToResponseHeaders;
    private long[] readOffsets;
    private long[] readNanos;
    private int readCount;

    private Builder() {}

    public Builder method(String v) {
      this.method = v;
      return this;
    }

    public Builder url(String v) {
      this.url = v;
      return this;
    }

    public Builder requestHeaders(Map<String, String> v) {
      this.requestHeaders = v;
      return this;
    }

    /** The request body; the array is used as is, not copied, so do not change it afterwards. */
    public Builder requestBody(byte[] v, boolean truncated) {
      this.requestBody = v == null ? null : ByteChunks.of(v);
      this.requestBodyTruncated = truncated;
      return this;
    }

    public Builder responseStatus(int v) {
      this.responseStatus = v;
      return this;
    }

    public Builder responseHeaders(Map<String, String> v) {
      this.responseHeaders = v;
      return this;
    }

    /** The response body; the array is used as is, not copied, so do not change it afterwards. */
    public Builder responseBody(byte[] v, boolean truncated) {
      this.responseBody = v == null ? null : ByteChunks.of(v);
      this.responseBodyTruncated = truncated;
      return this;
    }

    public Builder outcome(RecordStatus v) {
      this.outcome = v;
      return this;
    }

    public Builder transportError(String v) {
      this.transportError = v;
      return this;
    }

    public Builder startTime(Instant v) {
      this.startTime = v;
      return this;
    }

    public Builder endTime(Instant v) {
      this.endTime = v;
      return this;
    }

    public Builder duration(Duration v) {
      this.duration = v;
      return this;
    }

    public Builder timeToResponseHeaders(Duration v) {
      this.timeToResponseHeaders = v;
      return this;
    }

    /**
     * The read timeline of the response body: after read {@code i}, {@code offsetsAfterRead[i]}
     * bytes had been delivered, {@code nanosSinceStart[i]} after the start of the call. Offsets
     * must increase. The arrays are used as they are, not copied, so do not change them afterwards.
     */
    public Builder readTimeline(long[] offsetsAfterRead, long[] nanosSinceStart) {
      if (offsetsAfterRead.length != nanosSinceStart.length) {
        throw new IllegalArgumentException("read offsets and times differ in length");
      }
      return readTimeline(offsetsAfterRead, nanosSinceStart, offsetsAfterRead.length);
    }

    /**
     * Like {@link #readTimeline(long[], long[])} with only the first {@code count} entries of each
     * array. The arrays are used as they are, not copied, so do not change them afterwards.
     */
    public Builder readTimeline(long[] offsetsAfterRead, long[] nanosSinceStart, int count) {
      if (count < 0 || count > offsetsAfterRead.length || count > nanosSinceStart.length) {
        throw new IllegalArgumentException("count exceeds the timeline arrays");
      }
      this.readOffsets = offsetsAfterRead;
      this.readNanos = nanosSinceStart;
      this.readCount = count;
      return this;
    }

    public CapturedExchange build() {
      return new CapturedExchange(this);
    }
  }
}
