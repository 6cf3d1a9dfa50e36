package ai.helicone.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * Percentiles of a duration (latency or time to first token) over a group of calls. Values are kept
 * at millisecond resolution with two significant digits (a reported value is within 1% of the exact
 * one). With no samples, {@link #count()} is 0 and every percentile is {@link Duration#ZERO}.
 * Immutable and thread-safe.
 */
public final class Percentiles {
  static final Percentiles EMPTY =
      new Percentiles(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  private final long count;
  private final Duration p50;
  private final Duration p95;
  private final Duration p99;
  private final Duration max;

  private Percentiles(long count, Duration p50, Duration p95, Duration p99, Duration max) {
    this.count = count;
    this.p50 = p50;
    this.p95 = p95;
    this.p99 = p99;
    this.max = max;
  }

  /** Percentiles from their values; for exporters of other metrics systems and for tests. */
  public static Percentiles of(long count, Duration p50, Duration p95, Duration p99, Duration max) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    return count == 0
        ? EMPTY
        : new Percentiles(
            count,
            Objects.requireNonNull(p50, "p50"),
            Objects.requireNonNull(p95, "p95"),
            Objects.requireNonNull(p99, "p99"),
            Objects.requireNonNull(max, "max"));
  }

  /** How many calls had a value. */
  public long count() {
    return count;
  }

  public Duration p50() {
    return p50;
  }

  public Duration p95() {
    return p95;
  }

  public Duration p99() {
    return p99;
  }

  public Duration max() {
    return max;
  }

  @Override
  public String toString() {
    return count == 0
        ? "Percentiles{count=0}"
        : "Percentiles{count="
            + count
            + ", p50="
            + p50.toMillis()
            + "ms, p95="
            + p95.toMillis()
            + "ms, p99="
            + p99.toMillis()
            + "ms, max="
            + max.toMillis()
            + "ms}";
  }
}
