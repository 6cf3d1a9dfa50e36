package ai.helicone.internal.export;

import ai.helicone.internal.Diagnostics;
import ai.helicone.record.HeliconeRecord;
import java.util.function.Supplier;

/**
 * A record whose final form (adapter parsing, token estimates, cost) is computed on the first
 * export worker that needs it and then shared by all exporters, so the work is done once and never
 * on the application's thread.
 */
final class PendingRecord {
  private final Supplier<HeliconeRecord> factory;
  private final Diagnostics diagnostics;
  private HeliconeRecord record;
  private boolean resolved;

  PendingRecord(Supplier<HeliconeRecord> factory, Diagnostics diagnostics) {
    this.factory = factory;
    this.diagnostics = diagnostics;
  }

  /** The record, or null when building it failed (counted and logged). */
  synchronized HeliconeRecord get() {
    if (!resolved) {
      resolved = true;
      try {
        record = factory.get();
      } catch (RuntimeException | LinkageError e) {
        diagnostics.error("record", "could not build a record; it is skipped", e);
      }
    }
    return record;
  }
}
