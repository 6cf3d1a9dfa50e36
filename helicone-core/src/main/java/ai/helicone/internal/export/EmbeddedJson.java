package ai.helicone.internal.export;

import ai.helicone.internal.parse.Json;
import ai.helicone.internal.record.Bodies;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.CapturedBody;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Embeds a captured body that holds one valid JSON value into a JSON document being written, as
 * that value and on one line, without parsing it into a tree and writing the tree again: a body an
 * adapter read whole is copied from its captured bytes, a message the SDK rebuilt is written from
 * its tree, and any other text is checked once and copied. Stateless and thread-safe.
 */
public final class EmbeddedJson {
  private EmbeddedJson() {}

  /**
   * True when {@code body} holds one valid JSON value, which {@link #write} can embed. May decode
   * the body's text, which the body then keeps.
   */
  public static boolean isJsonValue(CapturedBody body) {
    if (RawBodies.unwritten(body) != null) {
      return true;
    }
    return body.isJson() && (RawBodies.isVerifiedJson(body) || Bodies.isJson(body.text()));
  }

  /**
   * Writes {@code body}, for which {@link #isJsonValue} is true, as the next value. {@code utf8}
   * says whether the generator writes UTF-8 to an {@link java.io.OutputStream}: captured bytes are
   * then copied as they are, never decoded.
   */
  public static void write(JsonGenerator g, CapturedBody body, boolean utf8) throws IOException {
    Object source = RawBodies.unwritten(body);
    if (source instanceof JsonNode tree) {
      Json.MAPPER.writeTree(g, tree);
    } else if (utf8 && source instanceof ByteChunks bytes) {
      Utf8JsonString.writeJsonValue(g, bytes);
    } else {
      writeCompact(g, body.text());
    }
  }

  /**
   * Writes valid JSON as a raw value on one line: its line breaks and the indentation after each
   * are dropped. In valid JSON a line break is never inside a string (strings escape them), so no
   * string is touched and nothing but the line breaks needs finding. The pieces between them are
   * written where they are, without a compacted copy.
   */
  public static void writeCompact(JsonGenerator g, String json) throws IOException {
    int n = json.length();
    int lf = json.indexOf('\n');
    int cr = json.indexOf('\r');
    int lineBreak = firstOf(lf, cr);
    if (lineBreak < 0) {
      g.writeRawValue(json);
      return;
    }
    g.writeRawValue(json, 0, lineBreak);
    while (lineBreak >= 0) {
      int from = lineBreak;
      while (from < n && isJsonWhitespace(json.charAt(from))) {
        from++;
      }
      // Each of the two searches only moves on once passed: a document of many lines and no
      // carriage return is not searched to its end again for every line.
      if (lf >= 0 && lf < from) {
        lf = json.indexOf('\n', from);
      }
      if (cr >= 0 && cr < from) {
        cr = json.indexOf('\r', from);
      }
      lineBreak = firstOf(lf, cr);
      int to = lineBreak < 0 ? n : lineBreak;
      if (to > from) {
        g.writeRaw(json, from, to - from);
      }
    }
  }

  private static int firstOf(int a, int b) {
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
