package ai.helicone.export.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.Response;

/**
 * Reads the {@code error} a server put in the JSON body of a 2xx answer (Helicone does this when it
 * accepted the request but could not store the log), and tells whether its message sounds
 * transient. Stateless and thread-safe.
 */
public final class ErrorBodies {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long PEEK_LIMIT = 16 * 1024;
  private static final int MESSAGE_LIMIT = 500;

  // Words of messages about overload, timeouts and lost connections rather than about the log.
  private static final Pattern TRANSIENT =
      Pattern.compile(
          "time ?out|timed out|temporar|unavailable|overload|too many|rate.?limit|try again"
              + "|retry|econn|connection|socket|network|busy|throttl|capacity|503|502|504|429");

  private ErrorBodies() {}

  /**
   * The {@code error} of a JSON object body, as text; null when the body is not such an object or
   * its {@code error} is absent or null. Reads at most 16 KiB and leaves the body unconsumed.
   */
  public static String errorOf(Response response) {
    try {
      MediaType type = response.body() == null ? null : response.body().contentType();
      String text = response.peekBody(PEEK_LIMIT).string().trim();
      if (!text.startsWith("{") && (type == null || !"json".equals(type.subtype()))) {
        return null;
      }
      return errorOf(text);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Like {@link #errorOf(Response)} for a body already read. */
  public static String errorOf(String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error == null || error.isNull() || (error.isBoolean() && !error.booleanValue())) {
      return null;
    }
    String message;
    if (error.isTextual()) {
      message = error.textValue();
    } else if (error.path("message").isTextual()) {
      message = error.path("message").textValue();
    } else {
      message = error.toString();
    }
    message = message.replaceAll("\\s+", " ").trim();
    if (message.isEmpty()) {
      message = "(empty error)";
    }
    return message.length() > MESSAGE_LIMIT ? message.substring(0, MESSAGE_LIMIT) + "..." : message;
  }

  /** Whether an error message sounds like a passing condition worth retrying. */
  public static boolean isTransient(String message) {
    return TRANSIENT.matcher(message.toLowerCase(Locale.ROOT)).find();
  }
}
