package ai.helicone.internal;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an HTTP {@code Retry-After} header, for every exporter that honours it. Thread-safe. */
public final class RetryAfter {
  /** The longest wait honoured, the same as the export pipeline's. */
  public static final Duration MAX = Duration.ofMinutes(5);

  private RetryAfter() {}

  /**
   * Seconds or an HTTP date, as RFC 9110 allows, capped at {@link #MAX}; null when absent or
   * unreadable.
   */
  public static Duration parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    Duration d;
    try {
      d = Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        d = d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
