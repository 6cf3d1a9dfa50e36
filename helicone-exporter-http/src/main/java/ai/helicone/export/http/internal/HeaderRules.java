package ai.helicone.export.http.internal;

import ai.helicone.internal.capture.Redaction;
import java.net.URI;
import java.util.Locale;
import okhttp3.HttpUrl;

/** What may be sent in an HTTP header, and which headers are secret. Stateless; thread-safe. */
public final class HeaderRules {
  /** Header values longer than this go in the JSON body only. */
  static final int MAX_HEADER_VALUE_LENGTH = 4096;

  private HeaderRules() {}

  /**
   * The URL with secret query parameters and passwords redacted as the core does. Records arrive
   * redacted; this keeps a record built elsewhere from leaking a key.
   */
  public static String redactUrl(String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    return parsed == null ? url : Redaction.redactUrl(parsed);
  }

  /** True for headers that carry credentials and must never be forwarded. */
  public static boolean isSecret(String headerName) {
    String lower = headerName.toLowerCase(Locale.ROOT);
    // The core's list, widened for headers that a custom gateway might use for credentials.
    return Redaction.isSecretHeader(lower)
        || lower.startsWith("openai-organization")
        || lower.startsWith("openai-project")
        || lower.contains("api-key")
        || lower.contains("apikey")
        || lower.contains("secret")
        || lower.contains("authorization")
        || lower.equals("token")
        || lower.endsWith("-token");
  }

  /** True when {@code name} is a valid header name (an RFC 9110 token). */
  public static boolean isValidName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean token =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!token) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value as it can be sent in a header: control characters (line breaks included) become
   * spaces and the result is trimmed. Null when it still cannot be sent (non-ASCII text, too long,
   * empty), in which case the value travels in the JSON body only.
   */
  public static String sendableValue(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(' ');
      } else if (c > 0x7e) {
        return null;
      } else {
        sb.append(c);
      }
    }
    String cleaned = sb.toString().trim();
    return cleaned.isEmpty() || cleaned.length() > MAX_HEADER_VALUE_LENGTH ? null : cleaned;
  }

  /** Scheme, host, port and path of a URL, without user info or query, for logs and toString. */
  public static String displayUrl(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (IllegalArgumentException e) {
      return "<invalid url>";
    }
  }
}
