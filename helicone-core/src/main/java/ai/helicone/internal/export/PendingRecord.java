package ai.helicone.internal.export;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.Failures;
import ai.helicone.record.HeliconeRecord;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A record whose final form (adapter parsing, token estimates, cost) is computed once on an SDK
 * thread (see below) and then shared by all exporters, so the work is done once and never on the
 * application's thread.
 *
 * <p>It holds a share of the {@link MemoryBudget} until every worker that accepted it is done with
 * it ({@link #release()}); the bytes are counted once however many exporters share the record. The
 * thread that builds it also encodes it for each {@link EncodingExporter}, while the data is still
 * in its core's caches, and those encodings count in the same share.
 *
 * <p>When the {@link RecordObserver} took the record, it is the one that builds it: export workers
 * wait for it ({@link #getWhenBuilt()}), so that one SDK thread, not two, reads what the calling
 * thread captured, and under load only that thread competes with the application for the CPU.
 */
final class PendingRecord {
  private final Diagnostics diagnostics;
  private final MemoryBudget budget;
  private final AtomicInteger holders;
  private final ObserverProgress observer;
  // Shared by the pipeline's records until one skips a slot (skipEncoding), then its own copy.
  private EncodingExporter[] encoders;
  private Supplier<HeliconeRecord> factory;
  private HeliconeRecord record;
  private boolean resolved;
  private boolean observerBuilds;
  private long bytes;
  // Indexed like encoders; null until built, or when nothing encodes.
  private byte[][] encodings;

  /**
   * @param holders how many parties will call {@link #release()}
   * @param bytes the share of {@code budget} already reserved for this record
   * @param encoders the exporters that encode records as they are built, by encoding slot
   * @param observer the progress of the observer that may take this record
   */
  PendingRecord(
      Supplier<HeliconeRecord> factory,
      Diagnostics diagnostics,
      MemoryBudget budget,
      long bytes,
      int holders,
      EncodingExporter[] encoders,
      ObserverProgress observer) {
    this.factory = factory;
    this.observer = observer;
    this.encoders = encoders;
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
        long size = RecordSize.of(record) + encode(record);
        budget.adjust(size - bytes);
        bytes = size;
      }
      // Export workers may be waiting for this build (getWhenBuilt).
      notifyAll();
    }
    return record;
  }

  /**
   * Whether the observer builds this record, export workers waiting for that; false wakes a worker
   * already waiting, to build it itself.
   */
  synchronized void builtByObserver(boolean builds) {
    observerBuilds = builds;
    if (!builds) {
      notifyAll();
    }
  }

  /** The observer's access: builds the record if nobody has yet, and counts its progress. */
  HeliconeRecord getForObserver() {
    try {
      return get();
    } finally {
      observer.advance();
    }
  }

  /**
   * An export worker's access: like {@link #get()}, but a record the observer took is left for it
   * to build, as long as it keeps taking records (see {@link ObserverProgress}).
   *
   * @throws InterruptedException when the worker was interrupted while waiting
   */
  synchronized HeliconeRecord getWhenBuilt() throws InterruptedException {
    awaitObserver();
    return get();
  }

  /**
   * Waits while the observer is to build this record and has not yet, as long as it keeps taking
   * records; returns at once otherwise.
   *
   * @throws InterruptedException when the worker was interrupted while waiting
   */
  synchronized void awaitObserver() throws InterruptedException {
    if (observerBuilds && !resolved) {
      long seen = observer.taken();
      long deadline = System.nanoTime() + ObserverProgress.STALL_NANOS;
      while (observerBuilds && !resolved && !observer.isStalled()) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedWait(this, left);
          continue;
        }
        long now = observer.taken();
        if (now == seen) {
          observer.stalled(now);
          break;
        }
        seen = now;
        deadline = System.nanoTime() + ObserverProgress.STALL_NANOS;
      }
    }
  }

  /**
   * The exporter in {@code slot} will not export this record (its queue refused it): the record is
   * not encoded for it. Nothing changes once the record is built.
   */
  synchronized void skipEncoding(int slot) {
    if (!resolved && encoders[slot] != null) {
      encoders = encoders.clone();
      encoders[slot] = null;
    }
  }

  /** Encodes {@code built} for every encoding exporter; the bytes the encodings hold. */
  private long encode(HeliconeRecord built) {
    if (encoders.length == 0) {
      return 0;
    }
    encodings = new byte[encoders.length][];
    long size = 0;
    for (int slot = 0; slot < encoders.length; slot++) {
      if (encoders[slot] == null) {
        continue;
      }
      try {
        byte[] encoded = encoders[slot].encode(built);
        encodings[slot] = encoded;
        size += encoded == null ? 0 : encoded.length;
      } catch (Throwable e) {
        diagnostics.error(
            "encode:" + encoders[slot].getClass().getSimpleName(),
            "could not encode a record as it was built; it is exported without its encoding",
            e);
        Failures.rethrowIfFatal(e);
      }
    }
    return size;
  }

  /**
   * The encoding made for the exporter in {@code slot} when the record was built, or null; only
   * meaningful after {@link #get()}.
   */
  synchronized byte[] encoding(int slot) {
    return encodings == null ? null : encodings[slot];
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
        encodings = null;
      }
      budget.adjust(-size);
    }
  }
}
