package ai.helicone.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of the aggregates of the LLM calls an instance has recorded: since it started, and
 * over the recent sliding window. Taken by {@code Helicone.metrics()}; the aggregation runs on a
 * background thread, never on the application's calls, so a call that just finished may show up a
 * moment later. Immutable and thread-safe.
 */
public final class HeliconeMetrics {
  private final Instant start;
  private final Instant takenAt;
  private final Duration windowLength;
  private final MetricsView sinceStart;
  private final MetricsView window;
  private final long budgetRefusals;
  private final long droppedRecords;

  /** A snapshot from its parts; for the SDK itself and for tests. */
  public HeliconeMetrics(
      Instant start,
      Instant takenAt,
      Duration windowLength,
      MetricsView sinceStart,
      MetricsView window,
      long budgetRefusals,
      long droppedRecords) {
    this.start = Objects.requireNonNull(start, "start");
    this.takenAt = Objects.requireNonNull(takenAt, "takenAt");
    this.windowLength = Objects.requireNonNull(windowLength, "windowLength");
    this.sinceStart = Objects.requireNonNull(sinceStart, "sinceStart");
    this.window = Objects.requireNonNull(window, "window");
    this.budgetRefusals = budgetRefusals;
    this.droppedRecords = droppedRecords;
  }

  /** Calls refused before they were sent because an enforced budget was spent. */
  public long budgetRefusals() {
    return budgetRefusals;
  }

  /**
   * Records left out of these metrics (and of budgets and record listeners) because the metrics
   * thread fell too far behind; 0 in normal operation.
   */
  public long droppedRecords() {
    return droppedRecords;
  }

  /** When the aggregation started (the instance was built). */
  public Instant start() {
    return start;
  }

  public Instant takenAt() {
    return takenAt;
  }

  /** Every LLM call since {@link #start()}. */
  public MetricsView sinceStart() {
    return sinceStart;
  }

  /**
   * The LLM calls that ended within about the last {@link #windowLength()}: the window moves in
   * steps of a third of its length, so it covers between that length and a third more.
   */
  public MetricsView window() {
    return window;
  }

  public Duration windowLength() {
    return windowLength;
  }

  @Override
  public String toString() {
    return "HeliconeMetrics{start="
        + start
        + ", takenAt="
        + takenAt
        + ", sinceStart="
        + sinceStart.total()
        + ", window="
        + window.total()
        + ", budgetRefusals="
        + budgetRefusals
        + '}';
  }
}
