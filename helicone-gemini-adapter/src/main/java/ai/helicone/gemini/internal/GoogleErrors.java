package ai.helicone.gemini.internal;

import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.databind.JsonNode;

/** Turns Google's error object, {@code {"code": 429, "message": ..., "status": ...}}, into text. */
public final class GoogleErrors {
  private GoogleErrors() {}

  /**
   * {@code STATUS: message}, or whichever of the two is present, or the numeric code; null when the
   * value says nothing.
   */
  public static String message(JsonNode error) {
    if (error == null || error.isNull()) {
      return null;
    }
    if (error.isTextual()) {
      return error.asText().isEmpty() ? null : error.asText();
    }
    if (!error.isObject()) {
      return null;
    }
    String message = Json.textField(error, "message");
    String status = Json.textField(error, "status");
    boolean hasMessage = message != null && !message.isEmpty();
    boolean hasStatus = status != null && !status.isEmpty();
    if (hasMessage && hasStatus) {
      return status + ": " + message;
    }
    if (hasMessage) {
      return message;
    }
    if (hasStatus) {
      return status;
    }
    JsonNode code = error.get("code");
    return code != null && !code.isNull() && !code.isContainerNode()
        ? "error " + code.asText()
        : null;
  }
}
