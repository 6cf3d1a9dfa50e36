package ai.helicone.record;

import java.util.Objects;

/**
 * A captured request or response body, or a trace's input or output, as text.
 *
 * <p>{@link #isJson()} is true only when {@link #text()} is one complete, valid JSON value, so
 * exporters can embed it as JSON; anything else (plain text, a truncated JSON document, a
 * placeholder for binary content) is exported as a string. Immutable and thread-safe.
 */
public final class CapturedBody {
  private final String text;
  private final boolean json;

  private CapturedBody(String text, boolean json) {
    this.text = Objects.requireNonNull(text, "text");
    this.json = json;
  }

  /** A body whose text is one complete JSON value. The caller vouches for its validity. */
  public static CapturedBody json(String json) {
    return new CapturedBody(json, true);
  }

  /** A body exported as a plain string. */
  public static CapturedBody text(String text) {
    return new CapturedBody(text, false);
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
