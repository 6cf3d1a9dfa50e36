package ai.helicone.export.http.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits shared by the HTTP exporters: concurrency, timeouts and retries. Immutable.
 *
 * @param maxConcurrency requests in flight at once
 * @param requestTimeout the whole of one HTTP attempt (connect, write, read)
 * @param maxAttempts attempts per request, the first included
 * @param initialBackoff the wait before the first retry; doubled for each further retry
 * @param maxBackoff the longest wait between two attempts
 * @param exportTimeout the longest one {@code export} call may take
 */
public record DeliverySettings(
    int maxConcurrency,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration exportTimeout) {

  /**
   * The defaults: 64 in flight (up to 1,280 records/s to an endpoint answering in 50 ms), 10 s per
   * attempt, 3 attempts, 0.5 s to 10 s backoff, 60 s.
   */
  public static final DeliverySettings DEFAULTS =
      new DeliverySettings(
          64,
          Duration.ofSeconds(10),
          3,
          Duration.ofMillis(500),
          Duration.ofSeconds(10),
          Duration.ofSeconds(60));

  /** The most requests in flight one exporter may have: each takes a thread. */
  public static final int MAX_CONCURRENCY = 512;

  public DeliverySettings {
    if (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "maxConcurrency must be between 1 and " + MAX_CONCURRENCY + ": " + maxConcurrency);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(exportTimeout, "exportTimeout");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("backoff must not be negative");
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  public DeliverySettings withMaxConcurrency(int v) {
    return new DeliverySettings(
        v, requestTimeout, maxAttempts, initialBackoff, maxBackoff, exportTimeout);
  }

  public DeliverySettings withRequestTimeout(Duration v) {
    return new DeliverySettings(
        maxConcurrency, v, maxAttempts, initialBackoff, maxBackoff, exportTimeout);
  }

  public DeliverySettings withMaxAttempts(int v) {
    return new DeliverySettings(
        maxConcurrency, requestTimeout, v, initialBackoff, maxBackoff, exportTimeout);
  }

  public DeliverySettings withBackoff(Duration initial, Duration max) {
    return new DeliverySettings(
        maxConcurrency, requestTimeout, maxAttempts, initial, max, exportTimeout);
  }

  public DeliverySettings withExportTimeout(Duration v) {
    return new DeliverySettings(
        maxConcurrency, requestTimeout, maxAttempts, initialBackoff, maxBackoff, v);
  }
}
