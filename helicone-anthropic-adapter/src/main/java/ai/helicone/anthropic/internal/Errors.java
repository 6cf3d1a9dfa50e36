package ai.helicone.anthropic.internal;

import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.databind.JsonNode;

/** Turns Anthropic's error shapes (and Vertex AI's and Bedrock's) into one message. */
public final class Errors {
  private Errors() {}

  /**
   * The message of an {@code error} value: {@code {"type": "overloaded_error", "message":
   * "Overloaded"}} gives {@code overloaded_error: Overloaded}; Google's {@code {"code", "message",
   * "status"}} gives its message; a plain string is itself. Else {@code fallback}.
   */
  public static String message(JsonNode error, String fallback) {
    if (error != null && error.isTextual() && !error.asText().isEmpty()) {
      return error.asText();
    }
    if (error != null && error.isObject()) {
      String message = Json.textField(error, "message");
      String type = Json.textField(error, "type");
      if (message != null && !message.isEmpty()) {
        return type != null && !type.isEmpty() ? type + ": " + message : message;
      }
      if (type != null) {
        return type;
      }
      String status = Json.textField(error, "status");
      if (status != null) {
        return status;
      }
    }
    return fallback;
  }
}
