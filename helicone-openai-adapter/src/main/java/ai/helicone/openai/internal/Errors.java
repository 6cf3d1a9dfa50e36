package ai.helicone.openai.internal;

import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.databind.JsonNode;

/** Turns the error shapes of OpenAI-format providers into one message. */
public final class Errors {
  private Errors() {}

  /**
   * The provider's message from an {@code error} value (object with {@code message}, or a plain
   * string), else {@code fallback}; null when there is neither.
   */
  public static String message(JsonNode error, String fallback) {
    if (error != null && error.isTextual() && !error.asText().isEmpty()) {
      return error.asText();
    }
    if (error != null && error.isObject()) {
      String message = Json.textField(error, "message");
      if (message != null && !message.isEmpty()) {
        return message;
      }
      String type = Json.textField(error, "type");
      JsonNode code = error.get("code");
      if (type != null) {
        return type;
      }
      if (code != null && !code.isNull()) {
        return code.asText();
      }
    }
    return fallback;
  }
}
