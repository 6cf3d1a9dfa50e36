package ai.helicone.record;

import ai.helicone.internal.parse.Json;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.RawBodies;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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

          @Override
          public CapturedBody written(JsonNode tree) {
            return new CapturedBody(Objects.requireNonNull(tree, "tree"));
          }

          @Override
          public CapturedBody decodedWhenAsked(ByteChunks utf8Json) {
            return new CapturedBody(Objects.requireNonNull(utf8Json, "utf8Json"));
          }

          @Override
          public Object unwritten(CapturedBody body) {
            if (body.text != null) {
              return null;
            }
            synchronized (body) {
              return body.text == null ? body.source : null;
            }
          }
        });
  }

  // Null only for a body the SDK made from a tree it wrote or from bytes it read, until someone
  // asks for its text: a JSON writer can write the source where it goes without this String.
  private volatile String text;
  // A JsonNode or UTF-8 bytes (ByteChunks); guarded by this, and let go once the text exists.
  private Object source;
  private final boolean json;
  // True when the SDK itself parsed or wrote the text as JSON: writers need not check it again.
  private final boolean verified;

  private CapturedBody(String text, boolean json, boolean verified) {
    this.text = Objects.requireNonNull(text, "text");
    this.json = json;
    this.verified = verified;
  }

  private CapturedBody(Object source) {
    this.source = source;
    this.json = true;
    this.verified = true;
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
    String t = text;
    return t != null ? t : fromSource();
  }

  private synchronized String fromSource() {
    if (text == null) {
      String written;
      if (source instanceof ByteChunks bytes) {
        written = bytes.utf8();
      } else {
        try {
          written = Json.MAPPER.writeValueAsString(source);
        } catch (JsonProcessingException e) {
          // Trees the SDK builds always serialise; this is the node's own rendering, just in case.
          written = source.toString();
        }
      }
      text = written;
      source = null;
    }
    return text;
  }

  /** True when {@link #text()} is one complete JSON value. */
  public boolean isJson() {
    return json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CapturedBody other && other.json == json && other.text().equals(text());
  }

  @Override
  public int hashCode() {
    return text().hashCode() * 31 + Boolean.hashCode(json);
  }

  @Override
  public String toString() {
    return json ? text() : '"' + text() + '"';
  }
}
