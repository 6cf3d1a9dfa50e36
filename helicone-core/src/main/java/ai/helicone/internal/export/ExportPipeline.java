package ai.helicone.internal.export;

import ai.helicone.HeliconeStats;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.export.spool.ExporterSpool;
import ai.helicone.record.HeliconeRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Fans finished records out to every exporter through its own bounded queue and worker thread.
 * {@link #submit} never blocks and never throws: when a queue is full the newest record is dropped
 * and counted. Thread-safe.
 */
public final class ExportPipeline {
  private final List<ExportWorker> workers = new ArrayList<>();
  private final List<ExporterSpool> spools = new ArrayList<>();
  private final Diagnostics diagnostics;
  private final AtomicBoolean closed = new AtomicBoolean();

  public ExportPipeline(
      List<HeliconeExporter> exporters, ExportOptions options, Diagnostics diagnostics) {
    this(exporters, options, diagnostics, null);
  }

  /**
   * @param spool where undeliverable records are kept, or null for no spool
   */
  public ExportPipeline(
      List<HeliconeExporter> exporters,
      ExportOptions options,
      Diagnostics diagnostics,
      SpoolSettings spool) {
    this.diagnostics = diagnostics;
    List<String> ids = spool == null ? List.of() : SpoolSettings.exporterIds(exporters);
    for (int i = 0; i < exporters.size(); i++) {
      HeliconeExporter exporter = exporters.get(i);
      ExporterSpool exporterSpool =
          spool == null
              ? null
              : ExporterSpool.open(
                  spool.directory().resolve(ids.get(i)),
                  spool.bytesPerExporter(exporters.size()),
                  exporter.getClass().getSimpleName(),
                  diagnostics,
                  Math.max(256, options.queueCapacity()),
                  options.initialBackoff(),
                  options.maxBackoff());
      workers.add(new ExportWorker(exporter, options, diagnostics, exporterSpool));
      if (exporterSpool != null) {
        spools.add(exporterSpool);
      }
    }
    workers.forEach(ExportWorker::start);
  }

  /**
   * Queues a record for every exporter. {@code record} is called once, on the first export worker
   * that needs it; it must not throw (if it does, the record is skipped and the failure counted).
   */
  public void submit(Supplier<HeliconeRecord> record) {
    PendingRecord pending = new PendingRecord(record, diagnostics);
    for (ExportWorker worker : workers) {
      worker.submit(pending);
    }
  }

  /** Tells every exporter, after the records queued so far, that a session ended. */
  public void sessionEnded(String sessionId, String sessionName) {
    for (ExportWorker worker : workers) {
      worker.sessionEnded(sessionId, sessionName);
    }
  }

  /**
   * Waits until everything queued so far was exported and every exporter flushed, or until the
   * timeout. True when all of it was delivered in time.
   */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<CompletableFuture<Boolean>> flushes = new ArrayList<>();
    for (ExportWorker worker : workers) {
      flushes.add(worker.requestFlush());
    }
    boolean ok = true;
    for (CompletableFuture<Boolean> f : flushes) {
      ok &= await(f, deadline);
    }
    return ok;
  }

  private static boolean await(CompletableFuture<Boolean> f, long deadline) {
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /**
   * Stops accepting records, delivers what is queued within the timeout, then closes the exporters.
   * Later calls do nothing and return true. Returns false when something queued could not be
   * delivered in time.
   */
  public boolean close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean delivered = flush(timeout);
    for (ExportWorker worker : workers) {
      worker.stop(deadline);
    }
    for (ExportWorker worker : workers) {
      delivered &= worker.awaitTermination(deadline);
    }
    return delivered;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** The pipeline's counters, with the SDK error counts of {@code diagnostics}. */
  public HeliconeStats stats() {
    long exported = 0;
    long dropped = 0;
    long failed = 0;
    long queued = 0;
    for (ExportWorker w : workers) {
      exported += w.exported();
      dropped += w.dropped();
      failed += w.failed();
      queued += w.queued();
    }
    long spooled = 0;
    long resent = 0;
    long spoolDropped = 0;
    for (ExporterSpool s : spools) {
      spooled += s.spooled();
      resent += s.resent();
      spoolDropped += s.dropped();
    }
    return new HeliconeStats(
        exported,
        dropped,
        failed,
        queued,
        diagnostics.errorCount(),
        diagnostics.unpricedCount(),
        spooled,
        resent,
        spoolDropped);
  }
}
