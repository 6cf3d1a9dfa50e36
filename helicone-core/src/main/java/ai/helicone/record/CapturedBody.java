package ai.helicone.record;

import ai.helicone.internal.record.RawBodies;
import java.util.Objects;

/**
 * A captured request or response body, or a trace's input or output, as text.
 *
 * <p>{@link #isJson()} is true only when {@link #text()} is one complete, valid JSON value, so
 * exporters can embed it as JSON; anything else (plain text, a truncated JSON document, a
 * placeholder for binary content) is exported as a string. Immutable and thread-safe.
 */
public final class CapturedBody {
  static {
    RawBodies.setJsonAccess(
        new RawBodies.JsonAccess() {
          @Override
          public CapturedBody verified(String json) {
            return new CapturedBody(json, true, true);
          }

          @Override
          public boolean isVerified(CapturedBody body) {
            return body.verified;
          }
        });
  }

  private final String text;
  private final boolean json;
  // True when the SDK itself parsed or wrote the text as JSON: writers need not check it again.
  private final boolean verified;

  private CapturedBody(String text, boolean json, boolean verified) {
    this.text = Objects.requireNonNull(text, "text");
    this.json = json;
    this.verified = verified;
  }

  /** A body whose text is one complete JSON value. The caller vouches for its validity. */
  public static CapturedBody json(String json) {
    return new CapturedBody(json, true, false);
  }

  /** A body exported as a plain string. */
  public static CapturedBody text(String text) {
    return new CapturedBody(text, false, false);
  }

  /** The body's text. */
  public String text() {
    return text;
  }

  /** True when {@link #text()} is one complete JSON value. */
  public boolean isJson() {
    return json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CapturedBody other && other.json == json && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + Boolean.hashCode(json);
  }

  @Override
  public String toString() {
    return json ? text : '"' + text + '"';
  }
}
