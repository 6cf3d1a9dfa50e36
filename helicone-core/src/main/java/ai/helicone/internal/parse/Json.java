package ai.helicone.internal.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

/** Shared Jackson objects and small helpers for reading provider JSON, used by every adapter. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  /** A stream of JSON bytes that can remember having been read as exactly one JSON value. */
  public interface ValueSource {
    /** The bytes were read as exactly one JSON value, with nothing after it but whitespace. */
    void readAsOneValue();

    /**
     * A parser of the bytes still to read, made by {@code factory}, that reads them where they lie,
     * and the bytes then count as read; or null when they are not one piece of one array.
     */
    default JsonParser parserInPlace(JsonFactory factory) throws IOException {
      return null;
    }
  }

  /**
   * A parser of {@code body}. A captured body held in one piece is read where it lies instead of
   * being copied into the parser's buffer first.
   */
  public static JsonParser parser(InputStream body) throws IOException {
    if (body instanceof ValueSource source) {
      JsonParser inPlace = source.parserInPlace(FACTORY);
      if (inPlace != null) {
        return inPlace;
      }
    }
    return FACTORY.createParser(body);
  }

  /**
   * Call once {@code p}, a parser of {@code body}, has read its first value whole: when {@code
   * body} is a {@link ValueSource} and nothing but whitespace follows, tells it so (a captured body
   * is then embedded in its record without being parsed again). Never throws.
   */
  public static void noteWholeValue(JsonParser p, InputStream body) {
    if (!(body instanceof ValueSource source)) {
      return;
    }
    try {
      if (p.nextToken() == null) {
        source.readAsOneValue();
      }
    } catch (IOException | RuntimeException e) {
      // Something follows the value: the body is not one JSON value.
    }
  }

  /**
   * A tree node written as the JSON string of {@code text}, read from it in place when the tree is
   * written: a stream's text, thousands of characters, is not copied into a String first. The text
   * must not change until then.
   */
  public static JsonNode textNode(StringBuilder text) {
    return new POJONode(new InPlaceText(text));
  }

  private record InPlaceText(StringBuilder text) implements JsonSerializable {
    @Override
    public void serialize(JsonGenerator g, SerializerProvider serializers) throws IOException {
      g.writeString(new BuilderReader(text), text.length());
    }

    @Override
    public void serializeWithType(
        JsonGenerator g, SerializerProvider serializers, TypeSerializer typeSer)
        throws IOException {
      serialize(g, serializers);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  private static final class BuilderReader extends Reader {
    private final StringBuilder text;
    private int at;

    BuilderReader(StringBuilder text) {
      this.text = text;
    }

    @Override
    public int read(char[] buffer, int off, int len) {
      if (at >= text.length()) {
        return -1;
      }
      int n = Math.min(len, text.length() - at);
      text.getChars(at, at + n, buffer, off);
      at += n;
      return n;
    }

    @Override
    public void close() {}
  }

  /** A string value, or null when the current token is not a string. */
  public static String text(JsonParser p) throws IOException {
    return p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
  }

  /** An integral value (also from a number written as {@code 12.0}), or null. */
  public static Long longValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return (long) p.getDoubleValue();
    }
    return null;
  }

  /** A numeric value as a double, or null. */
  public static Double doubleValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
        ? p.getDoubleValue()
        : null;
  }

  /**
   * Reads the current value as a tree (objects and arrays only; otherwise skips and gives null).
   */
  public static JsonNode tree(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      return MAPPER.readTree(p);
    }
    return null;
  }

  /** An integral field of a tree, or null when absent or not a number. */
  public static Long longField(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isNumber() ? Long.valueOf(v.asLong()) : null;
  }

  /** A string field of a tree, or null when absent or not a string. */
  public static String textField(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
