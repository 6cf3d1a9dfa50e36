package ai.helicone.internal.metrics;

import ai.helicone.budget.BurstAlert;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Raises a {@link BurstAlert} when {@code count} matching calls end within {@code window}, then
 * stays quiet for one window. Used on the metrics thread only; not thread-safe.
 */
public final class BurstRule {
  private final BurstAlert.Kind kind;
  private final int count;
  private final Duration window;
  private final ArrayDeque<Long> times = new ArrayDeque<>();
  private long quietUntil = Long.MIN_VALUE;

  public BurstRule(BurstAlert.Kind kind, int count, Duration window) {
    this.kind = Objects.requireNonNull(kind, "kind");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
    this.count = count;
    this.window = window;
  }

  /** The alert this record completes, or null. */
  BurstAlert observe(HeliconeRecord r, long nowMillis) {
    if (!matches(r)) {
      return null;
    }
    times.addLast(nowMillis);
    long windowMillis = window.toMillis();
    while (!times.isEmpty() && times.peekFirst() <= nowMillis - windowMillis) {
      times.removeFirst();
    }
    if (times.size() < count || nowMillis < quietUntil) {
      return null;
    }
    int seen = times.size();
    times.clear();
    quietUntil = nowMillis + windowMillis;
    return new BurstAlert(kind, seen, window, r.error(), Instant.now());
  }

  private boolean matches(HeliconeRecord r) {
    if (r.type() != RecordType.LLM) {
      return false;
    }
    boolean rateLimited = RecordFacts.rateLimited(r);
    return kind == BurstAlert.Kind.RATE_LIMITS
        ? rateLimited
        : !rateLimited && r.status() == RecordStatus.ERROR;
  }
}
