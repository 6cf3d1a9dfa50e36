package ai.helicone.internal.export;

import ai.helicone.HeliconeStats;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.export.spool.ExporterSpool;
import ai.helicone.record.HeliconeRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Fans finished records out to every exporter through its own bounded queue and worker thread.
 * {@link #submit} never blocks and never throws: when a queue is full, or the record does not fit
 * in the memory budget, the newest record is dropped and counted. Thread-safe.
 */
public final class ExportPipeline {
  private final List<ExportWorker> workers = new ArrayList<>();
  private final Diagnostics diagnostics;
  private final MemoryBudget budget;
  private final AtomicBoolean closed = new AtomicBoolean();
  // Set when a record is refused for memory; cleared once the budget is back under 3/4 of use.
  private volatile boolean refusing;
  // Calls not captured at all while refusing (counted with the budget's refusals).
  private final LongAdder uncaptured = new LongAdder();
  private final RecordObserver observer;
  private final ObserverProgress observerProgress = new ObserverProgress();
  // The exporters that encode records as they are built; a worker's encoding slot indexes it.
  private final EncodingExporter[] encoders;

  /**
   * @param maxBufferedBytes the most bytes held for export at once, over all exporters
   */
  public ExportPipeline(
      List<HeliconeExporter> exporters,
      ExportOptions options,
      long maxBufferedBytes,
      Diagnostics diagnostics) {
    this(exporters, options, maxBufferedBytes, diagnostics, RecordObserver.NONE);
  }

  /**
   * @param maxBufferedBytes the most bytes held for export at once, over all exporters
   * @param observer also sees every admitted record (the metrics), within the same budget
   */
  public ExportPipeline(
      List<HeliconeExporter> exporters,
      ExportOptions options,
      long maxBufferedBytes,
      Diagnostics diagnostics,
      RecordObserver observer) {
    this(exporters, options, maxBufferedBytes, diagnostics, observer, null);
  }

  /**
   * @param maxBufferedBytes the most bytes held for export at once, over all exporters
   * @param observer also sees every admitted record (the metrics), within the same budget
   * @param spool where undeliverable records are kept, or null for no spool
   */
  public ExportPipeline(
      List<HeliconeExporter> exporters,
      ExportOptions options,
      long maxBufferedBytes,
      Diagnostics diagnostics,
      RecordObserver observer,
      SpoolSettings spool) {
    this.diagnostics = diagnostics;
    this.budget = new MemoryBudget(maxBufferedBytes);
    this.observer = observer;
    List<String> ids = spool == null ? List.of() : SpoolSettings.exporterIds(exporters);
    List<EncodingExporter> encoding = new ArrayList<>();
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
      int encodingSlot = -1;
      if (exporter instanceof EncodingExporter e) {
        encodingSlot = encoding.size();
        encoding.add(e);
      }
      workers.add(
          new ExportWorker(
              exporter, options, diagnostics, exporterSpool, budget::isHalfUsed, encodingSlot));
    }
    this.encoders = encoding.toArray(new EncodingExporter[0]);
    workers.forEach(ExportWorker::start);
  }

  /** A pipeline without a practical memory limit, for tests. */
  public ExportPipeline(
      List<HeliconeExporter> exporters, ExportOptions options, Diagnostics diagnostics) {
    this(exporters, options, Long.MAX_VALUE / 4, diagnostics);
  }

  /** Queues a built record (a trace) for every exporter. */
  public void submit(HeliconeRecord record) {
    submit(() -> record, RecordSize.of(record));
  }

  /**
   * Queues a record for every exporter. {@code record} is called once, by the observer when it
   * takes the record, otherwise on the first export worker that needs it; if it throws, the record
   * is skipped and the failure counted. {@code bytes} is what the record holds until it is built
   * (see {@link RecordSize}); when that does not fit in the memory budget the record is dropped for
   * every exporter, counted, and logged.
   */
  public void submit(Supplier<HeliconeRecord> record, long bytes) {
    if (!budget.tryReserve(bytes)) {
      refuse(
          () ->
              "export memory budget of "
                  + budget.limit()
                  + " bytes is full ("
                  + budget.used()
                  + " buffered): newest record dropped; are the exporters keeping up?");
      return;
    }
    if (budget.isHalfUsed()) {
      // The metrics thread builds the records: it should not let more gather first.
      observer.hurry();
    }
    // Each worker that takes the record holds it, and so does the observer; the extra hold is
    // this method's own.
    PendingRecord pending =
        new PendingRecord(
            record, diagnostics, budget, bytes, workers.size() + 2, encoders, observerProgress);
    // Marked before the workers see it: they wait for the observer to build it, unless it declines.
    // It is offered to the observer last, so that a record a worker refused is not encoded for it.
    boolean observed = observer != RecordObserver.NONE;
    pending.builtByObserver(observed);
    for (ExportWorker worker : workers) {
      if (!worker.submit(pending)) {
        if (worker.encodingSlot() >= 0) {
          pending.skipEncoding(worker.encodingSlot());
        }
        pending.release();
      }
    }
    if (!observed || !observer.offer(pending::getForObserver, pending::release)) {
      pending.builtByObserver(false);
      pending.release();
    }
    pending.release();
  }

  /** Drops a record that does not fit, for every exporter; counted and logged. */
  private void refuse(Supplier<String> warning) {
    refusing = true;
    workers.forEach(ExportWorker::countDropped);
    diagnostics.warn("memory-budget", warning);
  }

  /**
   * True from the moment a record is refused for memory until the budget is back under three
   * quarters of its limit: a call that starts meanwhile would most likely be refused when it ends,
   * so the capture leaves it alone (see {@link #refuseUncaptured}) and the application does not pay
   * for capturing it. The quarter is the room the SDK's threads make before calls are captured
   * again.
   */
  public boolean refusing() {
    if (!refusing) {
      return false;
    }
    if (budget.used() > budget.limit() - budget.limit() / 4) {
      return true;
    }
    refusing = false;
    return false;
  }

  /** Counts a call that was not captured while {@link #refusing()}: dropped for every exporter. */
  public void refuseUncaptured() {
    uncaptured.increment();
    workers.forEach(ExportWorker::countDropped);
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
   * Returns only when no worker runs any more and no exporter will be called again: a worker still
   * inside its exporter after the timeout (and a short grace after an interrupt) is abandoned, its
   * records counted failed. Later calls do nothing and return true. Returns false when something
   * queued could not be delivered in time.
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
    // A worker closes its spool as it ends; this closes the spool of an abandoned one, so that
    // every spool is on disk and released when close returns.
    workers.forEach(ExportWorker::closeSpool);
    return delivered;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** True while some worker still runs (for tests of close). */
  public boolean anyWorkerRunning() {
    return workers.stream().anyMatch(ExportWorker::isRunning);
  }

  /** The counters of each exporter, by exporter class name (numbered when a name repeats). */
  public Map<String, HeliconeStats> statsByExporter() {
    Map<String, HeliconeStats> out = new LinkedHashMap<>();
    for (ExportWorker w : workers) {
      long[] c = w.counts();
      String name = w.exporterName();
      for (int i = 2; out.containsKey(name); i++) {
        name = w.exporterName() + "#" + i;
      }
      out.put(name, stats(c[0], c[1], c[2], c[3], List.of(w)));
    }
    return out;
  }

  /** The pipeline's counters, with the SDK error counts of {@code diagnostics}. */
  public HeliconeStats stats() {
    long exported = 0;
    long dropped = 0;
    long failed = 0;
    long queued = 0;
    for (ExportWorker w : workers) {
      long[] c = w.counts();
      exported += c[0];
      dropped += c[1];
      failed += c[2];
      queued += c[3];
    }
    return stats(exported, dropped, failed, queued, workers);
  }

  private HeliconeStats stats(
      long exported, long dropped, long failed, long queued, List<ExportWorker> of) {
    long spooled = 0;
    long resent = 0;
    long spoolDropped = 0;
    for (ExportWorker w : of) {
      ExporterSpool s = w.spool();
      if (s != null) {
        spooled += s.spooled();
        resent += s.resent();
        spoolDropped += s.dropped();
      }
    }
    return HeliconeStats.builder()
        .exported(exported)
        .dropped(dropped)
        .failed(failed)
        .queued(queued)
        .sdkErrors(diagnostics.errorCount())
        .unpricedCalls(diagnostics.unpricedCount())
        .unparsedBodies(diagnostics.unparsedCount())
        .bufferedBytes(budget.used())
        .bufferedBytesHighWater(budget.highWater())
        .droppedOverBudget(budget.rejected() + uncaptured.sum())
        .spooled(spooled)
        .resent(resent)
        .spoolDropped(spoolDropped)
        .build();
  }
}
