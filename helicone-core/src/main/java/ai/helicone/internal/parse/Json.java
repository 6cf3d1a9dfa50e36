package ai.helicone.internal.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Shared Jackson objects and small helpers for reading provider JSON, used by every adapter. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

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
