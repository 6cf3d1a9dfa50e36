package ai.helicone.internal.export;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.Failures;
import ai.helicone.record.HeliconeRecord;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A record whose final form (adapter parsing, token estimates, cost) is computed on the first
 * export worker that needs it and then shared by all exporters, so the work is done once and never
 * on the application's thread.
 *
 * <p>It holds a share of the {@link MemoryBudget} until every worker that accepted it is done with
 * it ({@link #release()}); the bytes are counted once however many exporters share the record.
 */
final class PendingRecord {
  private final Diagnostics diagnostics;
  private final MemoryBudget budget;
  private final AtomicInteger holders;
  private Supplier<HeliconeRecord> factory;
  private HeliconeRecord record;
  private boolean resolved;
  private long bytes;

  /**
   * @param holders how many parties will call {@link #release()}
   * @param bytes the share of {@code budget} already reserved for this record
   */
  PendingRecord(
      Supplier<HeliconeRecord> factory,
      Diagnostics diagnostics,
      MemoryBudget budget,
      long bytes,
      int holders) {
    this.factory = factory;
    this.diagnostics = diagnostics;
    this.budget = budget;
    this.bytes = bytes;
    this.holders = new AtomicInteger(holders);
  }

  /**
   * The record, or null when building it failed (counted and logged). A failure the JVM cannot
   * recover from is rethrown after counting.
   */
  synchronized HeliconeRecord get() {
    if (!resolved) {
      resolved = true;
      Supplier<HeliconeRecord> f = factory;
      // The captured exchange behind the factory is not needed once the record exists.
      factory = null;
      try {
        record = f == null ? null : f.get();
      } catch (Throwable e) {
        diagnostics.error("record", "could not build a record; it is skipped", e);
        Failures.rethrowIfFatal(e);
      }
      if (record != null) {
        // The built record replaces the raw exchange: its own size is what stays buffered.
        long size = RecordSize.of(record);
        budget.adjust(size - bytes);
        bytes = size;
      }
    }
    return record;
  }

  /** One holder is done with the record; the last one returns its bytes to the budget. */
  void release() {
    if (holders.decrementAndGet() == 0) {
      long size;
      synchronized (this) {
        size = bytes;
        bytes = 0;
        record = null;
        factory = null;
      }
      budget.adjust(-size);
    }
  }
}
