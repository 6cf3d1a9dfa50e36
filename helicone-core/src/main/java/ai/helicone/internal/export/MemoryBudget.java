package ai.helicone.internal.export;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes the SDK holds for export (captured bodies and built records waiting in queues or in an
 * export under way), against one limit shared by all exporters. A record is admitted only when its
 * estimated size fits; once admitted, its size may still be corrected when the record is built.
 * Thread-safe.
 */
final class MemoryBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong highWater = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  MemoryBudget(long limit) {
    this.limit = limit;
  }

  /** Reserves {@code bytes} if they fit; false (and counted) when they would exceed the limit. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        rejected.incrementAndGet();
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        raiseHighWater(now + bytes);
        return true;
      }
    }
  }

  /** Corrects a reservation by {@code delta} bytes (negative to give bytes back). */
  void adjust(long delta) {
    if (delta != 0) {
      raiseHighWater(used.addAndGet(delta));
    }
  }

  private void raiseHighWater(long value) {
    for (long high = highWater.get(); value > high; high = highWater.get()) {
      if (highWater.compareAndSet(high, value)) {
        return;
      }
    }
  }

  /** True while more than half of the limit is in use. */
  boolean isHalfUsed() {
    return used.get() > limit / 2;
  }

  long limit() {
    return limit;
  }

  long used() {
    return used.get();
  }

  long highWater() {
    return highWater.get();
  }

  /** Records refused because they did not fit. */
  long rejected() {
    return rejected.get();
  }
}
