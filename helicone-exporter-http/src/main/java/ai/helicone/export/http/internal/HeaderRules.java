package ai.helicone.export.http.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;

/** What may be sent in an HTTP header, and which headers are secret. */
public final class HeaderRules {
  /** Header values longer than this go in the JSON body only. */
  static final int MAX_HEADER_VALUE_LENGTH = 4096;

  private static final Set<String> SECRET_HEADERS =
      Set.of(
          "authorization",
          "proxy-authorization",
          "api-key",
          "x-api-key",
          "x-goog-api-key",
          "helicone-auth",
          "cookie",
          "set-cookie",
          "openai-organization",
          "openai-project");

  private static final Set<String> SECRET_QUERY_PARAMETERS =
      Set.of(
          "key",
          "api-key",
          "api_key",
          "apikey",
          "access_token",
          "token",
          "sig",
          "signature",
          "secret",
          "password");

  /** Replaces the value of a secret query parameter. */
  static final String REDACTED = "[REDACTED]";

  private HeaderRules() {}

  /**
   * The URL with the values of credential-like query parameters ({@code key}, {@code api-key},
   * {@code token}, {@code sig}...) replaced. Records arrive redacted; this keeps a record built
   * elsewhere from leaking a key.
   */
  public static String redactQuery(String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null || parsed.querySize() == 0) {
      return url;
    }
    HttpUrl.Builder builder = parsed.newBuilder();
    boolean changed = false;
    for (String name : parsed.queryParameterNames()) {
      if (SECRET_QUERY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
        builder.setQueryParameter(name, REDACTED);
        changed = true;
      }
    }
    return changed ? builder.build().toString() : url;
  }

  /** True for headers that carry credentials and must never be forwarded. */
  public static boolean isSecret(String headerName) {
    String lower = headerName.toLowerCase(Locale.ROOT);
    return SECRET_HEADERS.contains(lower)
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
