package ai.helicone.record;

import ai.helicone.internal.record.FrozenMap;
import java.util.Map;
import java.util.Objects;

/**
 * The request side of a captured LLM call. Secrets in headers and the query string are already
 * redacted. {@link #body()} is null when the body was omitted, absent or could not be read
 * (one-shot and duplex bodies). Immutable and thread-safe.
 */
public final class CapturedRequest {
  private final String url;
  private final String method;
  private final Map<String, String> headers;
  private final CapturedBody body;
  private final boolean omitted;
  private final boolean truncated;

  /**
   * @param url the redacted request URL
   * @param method the HTTP method
   * @param headers the redacted request headers, multiple values joined with {@code ", "}
   * @param body the body, or null
   * @param omitted true when the body was left out on purpose (privacy)
   * @param truncated true when the body was longer than the capture limit
   */
  public CapturedRequest(
      String url,
      String method,
      Map<String, String> headers,
      CapturedBody body,
      boolean omitted,
      boolean truncated) {
    this.url = Objects.requireNonNull(url, "url");
    this.method = Objects.requireNonNull(method, "method");
    this.headers = FrozenMap.copyOf(headers);
    this.body = body;
    this.omitted = omitted;
    this.truncated = truncated;
  }

  public String url() {
    return url;
  }

  public String method() {
    return method;
  }

  /** Redacted headers in the order they were sent. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body, or null. */
  public CapturedBody body() {
    return body;
  }

  public boolean omitted() {
    return omitted;
  }

  public boolean truncated() {
    return truncated;
  }

  /** A copy with another body (used when the body is omitted or replaced by a readable form). */
  public CapturedRequest withBody(CapturedBody newBody, boolean newOmitted, boolean newTruncated) {
    return new CapturedRequest(url, method, headers, newBody, newOmitted, newTruncated);
  }

  @Override
  public String toString() {
    return "CapturedRequest{" + method + ' ' + url + '}';
  }
}
