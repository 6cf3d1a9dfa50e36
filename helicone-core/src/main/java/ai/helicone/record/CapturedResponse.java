package ai.helicone.record;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The response side of a captured LLM call. {@link #status()} is 0 when no response arrived
 * (transport error). For streams, {@link #body()} is the reconstructed final message when an
 * adapter could build one, and {@link #rawBody()} is the raw stream text as received (up to the
 * capture limit). Immutable and thread-safe.
 */
public final class CapturedResponse {
  private final int status;
  private final Map<String, String> headers;
  private final CapturedBody body;
  private final String rawBody;
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
    this.status = status;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body;
    this.rawBody = rawBody;
    this.omitted = omitted;
    this.truncated = truncated;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public CapturedBody body() {
    return body;
  }

  /** For streams, the raw stream text; otherwise null. */
  public String rawBody() {
    return rawBody;
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
