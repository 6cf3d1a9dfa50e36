package ai.helicone.record;

import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.FrozenMap;
import ai.helicone.internal.record.RawBodies;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The response side of a captured LLM call. {@link #status()} is 0 when no response arrived
 * (transport error). For streams, {@link #rawBody()} is the raw stream text as received (up to the
 * capture limit) and {@link #body()} the reconstructed final message when an adapter could build
 * one.
 *
 * <p>A streamed response built with {@link #ofStream} holds its captured bytes once: the raw stream
 * text, from which {@link #body()} rebuilds the readable message on each call (and {@link
 * #rawBody()} decodes the text on each call). Exporters that need either call it once per record.
 * Immutable and thread-safe.
 */
public final class CapturedResponse {
  static {
    RawBodies.setResponseAccess(
        new RawBodies.ResponseAccess() {
          @Override
          public ByteChunks rawUtf8(CapturedResponse response) {
            return response.rawUtf8;
          }

          @Override
          public CapturedResponse ofStream(
              int status,
              Map<String, String> headers,
              ByteChunks rawUtf8,
              Function<InputStream, CapturedBody> rebuild,
              boolean truncated) {
            return stream(status, headers, rawUtf8, rebuild, truncated);
          }
        });
  }

  private final int status;
  private final Map<String, String> headers;
  private final CapturedBody body;
  // The raw stream as valid UTF-8, or null; never changed once set.
  private final ByteChunks rawUtf8;
  private final Function<InputStream, CapturedBody> rebuild;
  // True for ofStream: the body is derived from the raw stream.
  private final boolean derivedBody;
  private final boolean omitted;
  private final boolean truncated;

  /**
   * @param status the HTTP status code, or 0 when no response arrived
   * @param headers the redacted response headers
   * @param body the body (for streams, a readable reconstruction when available), or null
   * @param rawBody for streams, the raw text as received; otherwise null
   * @param omitted true when the body was left out on purpose (privacy)
   * @param truncated true when the body was longer than the capture limit
   */
  public CapturedResponse(
      int status,
      Map<String, String> headers,
      CapturedBody body,
      String rawBody,
      boolean omitted,
      boolean truncated) {
    this(
        status,
        FrozenMap.copyOf(headers),
        body,
        rawBody == null ? null : ByteChunks.of(rawBody.getBytes(StandardCharsets.UTF_8)),
        null,
        false,
        omitted,
        truncated);
  }

  private CapturedResponse(
      int status,
      Map<String, String> headers,
      CapturedBody body,
      ByteChunks rawUtf8,
      Function<InputStream, CapturedBody> rebuild,
      boolean derivedBody,
      boolean omitted,
      boolean truncated) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.rawUtf8 = rawUtf8;
    this.rebuild = rebuild;
    this.derivedBody = derivedBody;
    this.omitted = omitted;
    this.truncated = truncated;
  }

  /**
   * A streamed response that keeps only its raw stream.
   *
   * @param status the HTTP status code
   * @param headers the redacted response headers
   * @param rawUtf8 the raw stream, valid UTF-8 text; the array is used as is, not copied, so do not
   *     change it afterwards
   * @param rebuild rebuilds the readable message from the raw stream, or returns null; null when
   *     there is none, and {@link #body()} is then the raw text
   * @param truncated true when the stream was longer than the capture limit
   */
  public static CapturedResponse ofStream(
      int status,
      Map<String, String> headers,
      byte[] rawUtf8,
      Function<InputStream, CapturedBody> rebuild,
      boolean truncated) {
    return stream(
        status,
        headers,
        ByteChunks.of(Objects.requireNonNull(rawUtf8, "rawUtf8")),
        rebuild,
        truncated);
  }

  private static CapturedResponse stream(
      int status,
      Map<String, String> headers,
      ByteChunks rawUtf8,
      Function<InputStream, CapturedBody> rebuild,
      boolean truncated) {
    return new CapturedResponse(
        status, FrozenMap.copyOf(headers), null, rawUtf8, rebuild, true, false, truncated);
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The body, or null. For a response built with {@link #ofStream}, rebuilt from the raw stream on
   * each call (the raw text itself when nothing can be rebuilt).
   */
  public CapturedBody body() {
    if (body != null || rawUtf8 == null || !derivedBody) {
      return body;
    }
    if (rebuild != null) {
      try {
        CapturedBody rebuilt = rebuild.apply(rawUtf8.inputStream());
        if (rebuilt != null) {
          return rebuilt;
        }
      } catch (RuntimeException e) {
        // An adapter's rebuild failed: the raw text is still a faithful body.
      }
    }
    return CapturedBody.text(rawBody());
  }

  /** For streams, the raw stream text (decoded on each call); otherwise null. */
  public String rawBody() {
    return rawUtf8 == null ? null : rawUtf8.utf8();
  }

  /**
   * True when {@link #body()} and {@link #rawBody()} are derived on each call from the raw stream
   * bytes this response holds once (a response built with {@link #ofStream}).
   */
  public boolean derivesBodies() {
    return rawUtf8 != null && derivedBody;
  }

  /** The length in bytes of the raw stream held by a response built with {@link #ofStream}. */
  public int rawBodyLength() {
    return rawUtf8 == null ? 0 : rawUtf8.length();
  }

  public boolean omitted() {
    return omitted;
  }

  public boolean truncated() {
    return truncated;
  }

  /** A copy with other bodies. */
  public CapturedResponse withBody(
      CapturedBody newBody, String newRawBody, boolean newOmitted, boolean newTruncated) {
    return new CapturedResponse(status, headers, newBody, newRawBody, newOmitted, newTruncated);
  }

  @Override
  public String toString() {
    return "CapturedResponse{" + status + '}';
  }
}
