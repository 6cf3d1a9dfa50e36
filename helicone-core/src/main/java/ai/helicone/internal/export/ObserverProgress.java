package ai.helicone.internal.export;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the {@link RecordObserver} has got with the records it took. It builds those records, and
 * export workers wait for it rather than build them a second time on a thread of their own; but a
 * worker stops waiting once the observer has taken no record for {@link #STALL_NANOS} (a record
 * listener that blocks, an observer that ended) and then builds records itself until the observer
 * moves again. Thread-safe.
 */
final class ObserverProgress {
  /**
   * How long the observer may go without taking a record before workers stop waiting for it: well
   * above the metrics thread's pause between batches, well below an exporter's batch delay.
   */
  static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final AtomicLong taken = new AtomicLong();
  // The value of taken when a worker last gave up waiting; -1 while the observer keeps up.
  private volatile long stalledAt = -1;

  /** The observer took one more record. */
  void advance() {
    taken.incrementAndGet();
  }

  long taken() {
    return taken.get();
  }

  /** True while a worker found the observer stuck and it has taken no record since. */
  boolean isStalled() {
    return stalledAt == taken.get();
  }

  /** A worker waited {@link #STALL_NANOS} during which the observer took nothing. */
  void stalled(long takenThen) {
    stalledAt = takenThen;
  }
}
