package ai.helicone.internal.export.spool;

import ai.helicone.export.ExportResult;
import ai.helicone.export.RecordJson;
import ai.helicone.internal.Diagnostics;
import ai.helicone.record.HeliconeRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One exporter's durable spool: records it could not deliver are written to a {@link SpoolLog} (as
 * {@link RecordJson} lines) and handed to it again, oldest first, once it accepts records again.
 *
 * <p>The export worker calls {@link #append}, {@link #drain} and {@link #hasBacklog}; {@link
 * #offerOverflow} is called by application threads when the worker's queue is full and never
 * blocks: a small writer thread of the spool builds those records and writes them. Thread-safe.
 */
public final class ExporterSpool implements AutoCloseable {
  private static final long MAX_READ_BYTES = 8L << 20;
  private static final long MAX_RETRY_AFTER_NANOS = TimeUnit.MINUTES.toNanos(5);

  /** A record on its way into the spool, and what to do once it is written (or lost). */
  private static final class Overflow {
    final Supplier<HeliconeRecord> record;
    final Runnable done;

    Overflow(Supplier<HeliconeRecord> record, Runnable done) {
      this.record = record;
      this.done = done;
    }
  }

  // The writer thread's end marker, compared by identity.
  private static final Overflow STOP = new Overflow(() -> null, () -> {});

  private final SpoolLog log;
  private final String exporterName;
  private final Diagnostics diagnostics;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final BlockingQueue<Overflow> overflow;
  private final AtomicLong overflowPending = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;
  // Worker thread only.
  private long nextAttemptNanos = System.nanoTime();
  private int failures;

  private ExporterSpool(
      SpoolLog log,
      String exporterName,
      Diagnostics diagnostics,
      int overflowCapacity,
      Duration initialBackoff,
      Duration maxBackoff) {
    this.log = log;
    this.exporterName = exporterName;
    this.diagnostics = diagnostics;
    this.initialBackoffNanos = Math.max(1, initialBackoff.toNanos());
    this.maxBackoffNanos = Math.max(initialBackoffNanos, maxBackoff.toNanos());
    this.overflow = new ArrayBlockingQueue<>(overflowCapacity);
    this.writer = new Thread(this::writeOverflow, "helicone-spool-" + exporterName);
    this.writer.setDaemon(true);
  }

  /**
   * Opens the spool of one exporter in {@code dir}; null, logged, when the directory cannot be used
   * (the exporter then runs without a spool).
   */
  public static ExporterSpool open(
      Path dir,
      long maxBytes,
      String exporterName,
      Diagnostics diagnostics,
      int overflowCapacity,
      Duration initialBackoff,
      Duration maxBackoff) {
    SpoolLog log;
    try {
      log = SpoolLog.open(dir, maxBytes);
    } catch (RuntimeException e) {
      diagnostics.error(
          "spool-open:" + exporterName,
          "cannot open the spool of " + exporterName + " in " + dir + "; it runs without one",
          e);
      return null;
    }
    if (log.damaged() > 0) {
      diagnostics.warn(
          "spool-damaged:" + exporterName,
          "the spool of "
              + exporterName
              + " had "
              + log.damaged()
              + " damaged region(s); the entries in them are dropped");
    }
    ExporterSpool spool =
        new ExporterSpool(
            log, exporterName, diagnostics, overflowCapacity, initialBackoff, maxBackoff);
    spool.writer.start();
    return spool;
  }

  /** True while records wait in the spool (or on their way into it). */
  public boolean hasBacklog() {
    return overflowPending.get() > 0 || !log.isEmpty();
  }

  /**
   * Takes a record that the full queue could not; false when the spool is closed or its own small
   * queue is full too. Never blocks.
   */
  public boolean offerOverflow(Supplier<HeliconeRecord> record) {
    return offerOverflow(record, () -> {});
  }

  /**
   * As {@link #offerOverflow(Supplier)}; {@code done} runs once the record was written to disk (or
   * lost), so that its memory can be given back.
   */
  public boolean offerOverflow(Supplier<HeliconeRecord> record, Runnable done) {
    if (closed) {
      return false;
    }
    overflowPending.incrementAndGet();
    if (!overflow.offer(new Overflow(record, done))) {
      overflowPending.decrementAndGet();
      return false;
    }
    return true;
  }

  private void writeOverflow() {
    while (true) {
      Overflow next;
      try {
        next = overflow.take();
      } catch (InterruptedException e) {
        return; // only at close, after the queue was emptied
      }
      if (next == STOP) {
        return;
      }
      try {
        HeliconeRecord record = next.record.get();
        if (record == null) {
          lost.incrementAndGet(); // building it failed (already counted and logged)
        } else {
          append(List.of(record));
        }
      } finally {
        overflowPending.decrementAndGet();
        next.done.run();
      }
    }
  }

  /**
   * Writes records to the spool, in order. Returns how many were written; the others are lost and
   * logged (a full or failing disk).
   */
  public int append(List<HeliconeRecord> records) {
    // A file channel used by an interrupted thread is closed for good: write with the flag clear.
    boolean interrupted = Thread.interrupted();
    int written = 0;
    try {
      for (HeliconeRecord record : records) {
        try {
          if (log.append(RecordJson.toJson(record).getBytes(StandardCharsets.UTF_8))) {
            written++;
          }
        } catch (RuntimeException e) {
          diagnostics.error(
              "spool-write:" + exporterName,
              "cannot write a record of " + exporterName + " to its spool; it is lost",
              e);
          lost.incrementAndGet();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return written;
  }

  /**
   * Hands spooled records to {@code export}, oldest first, in batches of at most {@code maxBatch},
   * until the spool is empty, an export is refused for now (the next try then waits, with a growing
   * backoff), or {@code stop} says so. Does nothing while such a wait runs.
   */
  public void drain(
      Function<List<HeliconeRecord>, ExportResult> export, int maxBatch, BooleanSupplier stop) {
    if (System.nanoTime() - nextAttemptNanos < 0) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      while (!stop.getAsBoolean()) {
        SpoolLog.Batch batch = log.read(maxBatch, MAX_READ_BYTES);
        if (batch.isEmpty()) {
          failures = 0;
          return;
        }
        List<HeliconeRecord> records = decode(batch);
        ExportResult result;
        try {
          result = records.isEmpty() ? ExportResult.success() : export.apply(records);
        } catch (RuntimeException e) {
          // Not a spool failure (the worker stopping): the batch stays spooled.
          throw new ExportThrew(e);
        }
        if (result.kind() == ExportResult.Kind.RETRYABLE) {
          failures++;
          nextAttemptNanos = System.nanoTime() + backoffNanos(result.retryAfter());
          return;
        }
        failures = 0;
        log.ack(batch);
        int failed = result.failedRecords(records.size());
        resent.addAndGet(records.size() - failed);
        if (failed > 0) {
          lost.addAndGet(failed);
          diagnostics.warn(
              "spool-rejected:" + exporterName,
              exporterName
                  + " refused "
                  + failed
                  + " spooled record(s) for good; they are dropped: "
                  + result.message());
        }
      }
    } catch (ExportThrew e) {
      throw e.thrown;
    } catch (RuntimeException e) {
      failures++;
      nextAttemptNanos = System.nanoTime() + backoffNanos(null);
      diagnostics.error(
          "spool-read:" + exporterName, "cannot read the spool of " + exporterName, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Carries a throw of the export function past the spool's own error handling. */
  private static final class ExportThrew extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient RuntimeException thrown;

    ExportThrew(RuntimeException thrown) {
      super(null, null, false, false);
      this.thrown = thrown;
    }
  }

  private List<HeliconeRecord> decode(SpoolLog.Batch batch) {
    List<HeliconeRecord> records = new ArrayList<>(batch.entries().size());
    for (byte[] entry : batch.entries()) {
      try {
        records.add(RecordJson.fromJson(new String(entry, StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        lost.incrementAndGet();
        diagnostics.error(
            "spool-decode:" + exporterName,
            "a spooled record of " + exporterName + " cannot be read; it is dropped",
            e);
      }
    }
    return records;
  }

  private long backoffNanos(Duration retryAfter) {
    long base = initialBackoffNanos << Math.min(failures - 1, 30);
    long capped = Math.min(maxBackoffNanos, Math.max(initialBackoffNanos, base));
    long wait = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    if (retryAfter != null) {
      wait = Math.max(wait, Math.min(MAX_RETRY_AFTER_NANOS, retryAfter.toNanos()));
    }
    return wait;
  }

  /** Records in the spool now, including those on their way into it. */
  public long spooled() {
    return log.size() + Math.max(0, overflowPending.get());
  }

  /** Spooled records delivered since this instance opened the spool. */
  public long resent() {
    return resent.get();
  }

  /**
   * Records the spool lost: over its limit, damaged, unreadable, or refused for good when re-sent.
   */
  public long dropped() {
    return log.dropped() + lost.get();
  }

  /**
   * Writes what is still on its way into the spool (waiting at most until {@code deadlineNanos}),
   * then closes the log. Later offers are refused.
   */
  public void close(long deadlineNanos) {
    closed = true;
    boolean interrupted = Thread.interrupted();
    try {
      if (!overflow.offer(
          STOP, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        writer.interrupt();
      }
      writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
      if (writer.isAlive()) {
        writer.interrupt();
      }
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      log.close();
      // Anything the writer did not get to is lost; its memory is given back all the same.
      for (Overflow left; (left = overflow.poll()) != null; ) {
        if (left != STOP) {
          overflowPending.decrementAndGet();
          lost.incrementAndGet();
          left.done.run();
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
  }
}
