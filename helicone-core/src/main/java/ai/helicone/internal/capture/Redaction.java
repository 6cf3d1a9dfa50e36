package ai.helicone.internal.capture;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * Replaces secrets in headers and URLs with {@link #REDACTED} before anything is captured.
 *
 * <p>Secret headers (case-insensitive): {@code Authorization}, {@code Proxy-Authorization}, {@code
 * api-key}, {@code x-api-key}, {@code x-goog-api-key}, {@code Helicone-Auth}, {@code Cookie},
 * {@code Set-Cookie}.
 *
 * <p>Secret query parameters (case-insensitive): {@code key} (Gemini), {@code api-key}, {@code
 * api_key}, {@code apikey}, {@code access_token}, {@code token} and {@code sig} (Azure shared
 * access signatures). A password in the URL's user info is redacted too.
 *
 * <p>In free text ({@link #redactText}: error messages, exporter messages, log lines) also: {@code
 * Bearer <token>}, and values shaped like well-known credentials wherever they appear: OpenAI,
 * Anthropic and Helicone keys ({@code sk-...}, {@code sk-ant-...}, {@code sk-helicone-...}), Google
 * API keys ({@code AIza...}) and JSON Web Tokens ({@code eyJ...}). Bodies are not scanned.
 *
 * <p>Stateless and thread-safe.
 */
public final class Redaction {

  /** The marker that replaces a secret value. */
  public static final String REDACTED = "[REDACTED]";

  private static final Set<String> SECRET_HEADERS =
      Set.of(
          "authorization",
          "proxy-authorization",
          "api-key",
          "x-api-key",
          "x-goog-api-key",
          "helicone-auth",
          "cookie",
          "set-cookie");

  private static final Set<String> SECRET_QUERY_PARAMETERS =
      Set.of("key", "api-key", "api_key", "apikey", "access_token", "token", "sig");

  /** {@code name=value} of a secret query parameter inside free text such as an error message. */
  private static final Pattern SECRET_PARAMETER_IN_TEXT =
      Pattern.compile(
          "(?i)(?<![\\w-])(" + alternatives(SECRET_QUERY_PARAMETERS) + ")=[^&\\s#\"'<>]+");

  /** {@code Name: value} of a secret header inside free text, up to the end of the line. */
  private static final Pattern SECRET_HEADER_IN_TEXT =
      Pattern.compile("(?i)(?<![\\w-])(" + alternatives(SECRET_HEADERS) + "):[ \\t]*[^\\r\\n]+");

  /** {@code "Name": "value"} of a secret header in JSON-like text, such as an echoed request. */
  private static final Pattern SECRET_HEADER_IN_JSON =
      Pattern.compile("(?i)(\"(?:" + alternatives(SECRET_HEADERS) + ")\"\\s*:\\s*)\"[^\"]*\"");

  /** A bearer token, whatever precedes it. */
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(Bearer)\\s+[A-Za-z0-9._~+/=-]+");

  /**
   * Key shapes: OpenAI-style keys ({@code sk-}, {@code sk-proj-}, {@code sk-ant-}, {@code
   * sk-helicone-}, at least 16 characters after the prefix so that words like "sk-learn" stay),
   * Google API keys, and JSON Web Tokens (three base64url parts, the first a JSON object).
   */
  private static final Pattern KEY_SHAPES =
      Pattern.compile(
          "(?<![A-Za-z0-9_-])(?:sk-[A-Za-z0-9_-]{16,}"
              + "|AIza[A-Za-z0-9_-]{20,}"
              + "|eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*)");

  private Redaction() {}

  private static String alternatives(Set<String> names) {
    return names.stream().map(Pattern::quote).collect(Collectors.joining("|"));
  }

  /** True when the values of the header {@code name} are secret. */
  public static boolean isSecretHeader(String name) {
    return name != null && SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT));
  }

  /** True when the values of the query parameter {@code name} are secret. */
  public static boolean isSecretQueryParameter(String name) {
    return name != null && SECRET_QUERY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The headers as an unmodifiable map in their original order, names in lower case, repeated
   * headers joined with {@code ", "}, secret values replaced by {@link #REDACTED}.
   */
  public static Map<String, String> redactHeaders(Headers headers) {
    return redactHeaders(headers, null);
  }

  /**
   * As {@link #redactHeaders(Headers)}, with a {@code content-type} header of {@code contentType}
   * added last unless it is null: what OkHttp adds to a request from its body, without building the
   * headers a second time.
   */
  static Map<String, String> redactHeaders(Headers headers, String contentType) {
    int n = headers.size();
    HeaderMap.Builder out = new HeaderMap.Builder(contentType == null ? n : n + 1);
    for (int i = 0; i < n; i++) {
      String name = headers.name(i).toLowerCase(Locale.ROOT);
      boolean secret = SECRET_HEADERS.contains(name);
      out.add(name, secret ? REDACTED : headers.value(i), !secret);
    }
    if (contentType != null) {
      out.add("content-type", contentType, true);
    }
    return out.build();
  }

  /**
   * The URL as a string with the values of secret query parameters and any user-info password
   * replaced by {@link #REDACTED}; everything else is kept as sent.
   */
  public static String redactUrl(HttpUrl url) {
    String full = url.toString();
    String encodedQuery = url.encodedQuery();
    boolean hasPassword = !url.encodedPassword().isEmpty();
    if (encodedQuery == null && !hasPassword) {
      return full;
    }
    StringBuilder out = new StringBuilder(full.length() + 16);
    int queryStart = full.indexOf('?');
    int fragmentStart = full.indexOf('#', queryStart < 0 ? 0 : queryStart);
    int pathEnd = queryStart >= 0 ? queryStart : fragmentStart >= 0 ? fragmentStart : full.length();
    String beforeQuery = full.substring(0, pathEnd);
    if (hasPassword) {
      // scheme://user:password@host...: the password ends at the last '@' before the path.
      int authorityStart = beforeQuery.indexOf("://") + 3;
      int at = beforeQuery.indexOf('@', authorityStart);
      int colon = beforeQuery.indexOf(':', authorityStart);
      if (at > 0 && colon > 0 && colon < at) {
        beforeQuery = beforeQuery.substring(0, colon + 1) + REDACTED + beforeQuery.substring(at);
      }
    }
    out.append(beforeQuery);
    if (encodedQuery != null) {
      out.append('?').append(redactQuery(encodedQuery));
    }
    if (fragmentStart >= 0) {
      out.append(full, fragmentStart, full.length());
    }
    return out.toString();
  }

  /**
   * Free text, such as an exception message, a provider's error message or a log line, with secrets
   * replaced by {@link #REDACTED}: values of secret query parameters ({@code key=...}) and of
   * secret headers ({@code Authorization: ...}, {@code "api-key": "..."}), bearer tokens, and
   * values shaped like API keys or JSON Web Tokens. This is the one redaction of every string the
   * SDK lets out of the process or writes to a log. Null stays null.
   */
  public static String redactText(String text) {
    if (text == null) {
      return null;
    }
    String out = SECRET_PARAMETER_IN_TEXT.matcher(text).replaceAll("$1=" + REDACTED);
    out = SECRET_HEADER_IN_TEXT.matcher(out).replaceAll("$1: " + REDACTED);
    out = SECRET_HEADER_IN_JSON.matcher(out).replaceAll("$1\"" + REDACTED + "\"");
    out = BEARER.matcher(out).replaceAll("$1 " + REDACTED);
    return KEY_SHAPES.matcher(out).replaceAll(REDACTED);
  }

  /** A failure as {@code class: message} for a record's error field, its message redacted. */
  public static String describeFailure(Throwable failure) {
    String message = failure.getMessage();
    String name = failure.getClass().getName();
    return message == null ? name : name + ": " + redactText(message);
  }

  private static String redactQuery(String encodedQuery) {
    StringBuilder out = new StringBuilder(encodedQuery.length());
    int start = 0;
    while (start <= encodedQuery.length()) {
      int end = encodedQuery.indexOf('&', start);
      if (end < 0) {
        end = encodedQuery.length();
      }
      String pair = encodedQuery.substring(start, end);
      int eq = pair.indexOf('=');
      if (start > 0) {
        out.append('&');
      }
      if (eq >= 0 && isSecretQueryParameter(decode(pair.substring(0, eq)))) {
        out.append(pair, 0, eq + 1).append(REDACTED);
      } else {
        out.append(pair);
      }
      start = end + 1;
    }
    return out.toString();
  }

  private static String decode(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return encoded;
    }
  }
}
