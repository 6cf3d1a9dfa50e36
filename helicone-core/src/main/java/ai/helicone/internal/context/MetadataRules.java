package ai.helicone.internal.context;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Checks metadata where the application sets it, so that a mistake fails at that line with a clear
 * message rather than later on a background thread. Values must be sendable as HTTP header values
 * (the gateway mode sends them as {@code Helicone-*} headers), by the same rules OkHttp applies.
 */
public final class MetadataRules {
  /** UUID versions 1 to 5, the ids Helicone accepts as request ids. */
  private static final Pattern REQUEST_ID =
      Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
          Pattern.CASE_INSENSITIVE);

  private MetadataRules() {}

  /** True when {@code id} is a UUID Helicone accepts as a request id. */
  public static boolean isRequestId(String id) {
    return id != null && REQUEST_ID.matcher(id).matches();
  }

  /**
   * A fresh random (version 4, RFC 4122 variant) request id. The bits come from {@link
   * ThreadLocalRandom}, not {@link java.security.SecureRandom}: a request id only has to be unique,
   * and {@code UUID.randomUUID()} makes every call of every thread wait on one shared generator.
   */
  public static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // variant 10
    return new UUID(high, low).toString();
  }

  /** Returns the id in lower case, or throws when it is not a version 1 to 5 UUID. */
  public static String requireRequestId(String id) {
    if (id == null) {
      throw new IllegalArgumentException("requestId must not be null");
    }
    if (!isRequestId(id)) {
      throw new IllegalArgumentException(
          "requestId must be a UUID (versions 1 to 5), such as "
              + "\"123e4567-e89b-42d3-a456-426614174000\"; got \""
              + printable(id)
              + '"');
    }
    return id.toLowerCase(Locale.ROOT);
  }

  /** Checks a non-blank value such as a user id, session id or session name. */
  public static String requireText(String what, String value) {
    requireHeaderValue(what, value);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return value;
  }

  /** Checks that a value is not null and can be sent as an HTTP header value. */
  public static String requireHeaderValue(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < ' ' || c > '~')) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s cannot be sent as an HTTP header value: character U+%04X at index %d"
                    + " (only printable ASCII and tab are allowed)",
                what,
                (int) c,
                i));
      }
    }
    return value;
  }

  /**
   * Checks a property name: not empty, and a header-name token (RFC 9110 {@code tchar}: letters,
   * digits and {@code !#$%&'*+-.^_`|~}), because the gateway mode sends it as a {@code
   * Helicone-Property-<name>} header and a name with {@code :}, a space or a slash would break or
   * split that header.
   */
  public static String requirePropertyName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("property name must not be null");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("property name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isTokenChar(c)) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "property name \"%s\" cannot be part of an HTTP header name: character U+%04X at"
                    + " index %d (only letters, digits and !#$%%&'*+-.^_`|~ are allowed)",
                printable(name),
                (int) c,
                i));
      }
    }
    return name;
  }

  /** RFC 9110 {@code tchar}, the characters of a header name. */
  static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /** Checks a property name and value. */
  public static void requireProperty(String name, String value) {
    requirePropertyName(name);
    requireHeaderValue("value of property \"" + name + '"', value);
  }

  /** The value with control characters escaped, for error messages. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
    for (int i = 0; i < s.length() && i < 100; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return s.length() > 100 ? b.append("...").toString() : b.toString();
  }
}
