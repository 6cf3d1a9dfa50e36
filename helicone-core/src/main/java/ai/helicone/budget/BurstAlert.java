package ai.helicone.budget;

import java.time.Duration;
import java.time.Instant;

/**
 * Many calls failed within a short time. Raised once per burst: after an alert, the same kind is
 * raised again only when a full window has passed. Immutable and thread-safe.
 *
 * @param kind errors or rate limits (HTTP 429)
 * @param count how many such calls ended within the window
 * @param window the window of the rule
 * @param lastError the last call's error, redacted, or null
 * @param at when the alert was raised
 */
public record BurstAlert(Kind kind, int count, Duration window, String lastError, Instant at) {
  /** What kind of failure burst. */
  public enum Kind {
    /** Calls that ended in error, rate limits apart. */
    ERRORS,
    /** Calls answered with HTTP 429. */
    RATE_LIMITS
  }
}
