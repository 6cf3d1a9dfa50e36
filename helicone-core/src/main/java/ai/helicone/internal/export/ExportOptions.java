package ai.helicone.internal.export;

import java.time.Duration;

/**
 * Settings of the export pipeline: one bounded queue and worker per exporter.
 *
 * @param queueCapacity records (and session markers) each queue holds before it drops the newest
 * @param maxBatchSize the most records handed to one {@code export} call
 * @param batchDelay how long a worker waits for a batch to fill before exporting what it has
 * @param maxAttempts how often a retryable batch is tried in all
 * @param initialBackoff the wait before the first retry; it doubles, with jitter, up to {@code
 *     maxBackoff}
 * @param maxBackoff the longest wait between two tries of the pipeline's own backoff; a server's
 *     Retry-After is honoured up to five minutes
 */
public record ExportOptions(
    int queueCapacity,
    int maxBatchSize,
    Duration batchDelay,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff) {

  public static final ExportOptions DEFAULTS =
      new ExportOptions(
          2048, 512, Duration.ofSeconds(1), 5, Duration.ofMillis(100), Duration.ofSeconds(30));

  public ExportOptions {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1: " + queueCapacity);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1: " + maxBatchSize);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + maxAttempts);
    }
    requirePositive(batchDelay, "batch delay", true);
    requirePositive(initialBackoff, "initial backoff", true);
    requirePositive(maxBackoff, "max backoff", true);
  }

  private static void requirePositive(Duration d, String what, boolean zeroAllowed) {
    if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
  }
}
