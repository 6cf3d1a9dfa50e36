package ai.helicone.internal.export;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.export.spool.ExporterSpool;
import ai.helicone.record.HeliconeRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One exporter's bounded queue and the single thread that drains it in batches. The exporter's
 * methods are only ever called from that thread.
 */
final class ExportWorker implements Runnable {
  private static final long MAX_RETRY_AFTER_NANOS = TimeUnit.MINUTES.toNanos(5);

  /** A queued session end; handed to the exporter after the records queued before it. */
  private static final class SessionEnd {
    final String id;
    final String name;

    SessionEnd(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  /** A flush waiting for every item submitted before it to be processed. */
  private static final class FlushRequest {
    final long upTo;
    final long failedBefore;
    final CompletableFuture<Boolean> done = new CompletableFuture<>();

    FlushRequest(long upTo, long failedBefore) {
      this.upTo = upTo;
      this.failedBefore = failedBefore;
    }
  }

  private final HeliconeExporter exporter;
  private final String exporterName;
  private final ExportOptions options;
  private final Diagnostics diagnostics;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<FlushRequest> flushRequests = new ConcurrentLinkedQueue<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final Thread thread;
  // Null without a spool. Spool hooks: enqueue (queue full), exportWithRetries (backlog, retries
  // exhausted, interrupted, success), run (idle drain, what is left at the end), completeFlushes.
  private final ExporterSpool spool;
  private volatile boolean stopping;
  // Written before stopping is set, so a worker that sees stopping also sees the deadline.
  private volatile long stopDeadlineNanos;

  ExportWorker(HeliconeExporter exporter, ExportOptions options, Diagnostics diagnostics) {
    this(exporter, options, diagnostics, null);
  }

  ExportWorker(
      HeliconeExporter exporter,
      ExportOptions options,
      Diagnostics diagnostics,
      ExporterSpool spool) {
    this.spool = spool;
    this.exporter = exporter;
    this.exporterName = exporter.getClass().getSimpleName();
    this.options = options;
    this.diagnostics = diagnostics;
    this.thread = new Thread(this, "helicone-export-" + exporterName);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues without blocking; drops and counts the item when the queue is full or closed. */
  void submit(PendingRecord record) {
    enqueue(record, true);
  }

  void sessionEnded(String id, String name) {
    enqueue(new SessionEnd(id, name), false);
  }

  private void enqueue(Object item, boolean countsAsRecord) {
    if (!offer(item)) {
      if (countsAsRecord
          && spool != null
          && !stopping
          && spool.offerOverflow(((PendingRecord) item)::get)) {
        return; // spool hook: queue full
      }
      if (countsAsRecord) {
        dropped.incrementAndGet();
        if (stopping) {
          diagnostics.warn(
              "closed:" + exporterName, "Helicone is closed: record dropped for " + exporterName);
        } else {
          diagnostics.warn(
              "queue-full:" + exporterName,
              "export queue full: record dropped for "
                  + exporterName
                  + " (capacity "
                  + options.queueCapacity()
                  + ")");
        }
      }
    }
  }

  /** Completes with true once everything accepted so far was exported and the exporter flushed. */
  CompletableFuture<Boolean> requestFlush() {
    FlushRequest request = new FlushRequest(accepted.get(), failed.get());
    flushRequests.add(request);
    wakeUp();
    if (!thread.isAlive()) {
      request.done.complete(false);
    }
    return request.done;
  }

  /** Stops accepting items; the worker drains what is queued until the deadline, then exits. */
  void stop(long deadlineNanos) {
    stopDeadlineNanos = deadlineNanos;
    stopping = true;
    wakeUp();
  }

  private boolean offer(Object item) {
    lock.lock();
    try {
      // Checked under the lock: once the worker has seen the queue empty after a stop, nothing
      // can slip in behind it and stay queued forever.
      if (stopping || queue.size() >= options.queueCapacity()) {
        return false;
      }
      queue.add(item);
      // Counted together with the add, so a flush never waits for an item that was rejected.
      accepted.incrementAndGet();
      wake.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The next item, waiting at most {@code nanos}, and less when a flush or stop is pending. */
  private Object poll(long nanos) throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && nanos > 0 && !stopping && flushRequests.isEmpty()) {
        nanos = wake.awaitNanos(nanos);
      }
      return queue.poll();
    } finally {
      lock.unlock();
    }
  }

  private int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void wakeUp() {
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean awaitTermination(long deadlineNanos) {
    long remaining = deadlineNanos - System.nanoTime();
    try {
      if (remaining > 0) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
      }
      if (thread.isAlive()) {
        // The exporter is stuck past the deadline: interrupt it and stop waiting.
        thread.interrupt();
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  long exported() {
    return exported.get();
  }

  long dropped() {
    return dropped.get();
  }

  long failed() {
    return failed.get();
  }

  long queued() {
    return size() + inFlight.get();
  }

  @Override
  public void run() {
    List<HeliconeRecord> batch = new ArrayList<>();
    try {
      while (true) {
        Object first = nextItem();
        if (first == null) {
          drainSpool(); // spool hook: idle
          completeFlushes();
          if (stopping && size() == 0) {
            break;
          }
          continue;
        }
        batch.clear();
        SessionEnd sessionEnd = collectBatch(first, batch);
        exportWithRetries(batch);
        if (sessionEnd != null) {
          notifySessionEnd(sessionEnd);
        }
        completeFlushes();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      List<Object> left = new ArrayList<>();
      lock.lock();
      try {
        // Records taken from the queue but not yet exported when the worker was interrupted.
        if (spool != null) {
          left.addAll(queue); // spool hook: written to the spool below, outside the lock
          dropped.addAndGet(inFlight.getAndSet(0));
        } else {
          dropped.addAndGet(queue.size() + inFlight.getAndSet(0));
        }
        queue.clear();
      } finally {
        lock.unlock();
      }
      spoolLeftovers(left);
      flushRequests.forEach(r -> r.done.complete(false));
      flushRequests.clear();
      try {
        exporter.close();
      } catch (RuntimeException | LinkageError e) {
        diagnostics.error("close:" + exporterName, exporterName + ".close() failed", e);
      }
      if (spool != null) {
        spool.close(); // spool hook: end
      }
    }
  }

  // ---- Spool hooks: the only places that know of the spool. ----

  /** Whether {@code records} went to the spool (written, or lost and counted there). */
  private boolean trySpool(List<HeliconeRecord> records) {
    if (spool == null) {
      return false;
    }
    int written = spool.append(records);
    failed.addAndGet(records.size() - written);
    return true;
  }

  /** Re-sends spooled records while the exporter takes them; not while closing. */
  private void drainSpool() {
    if (spool != null && !stopping && spool.hasBacklog()) {
      spool.drain(this::exportOnce, options.maxBatchSize(), () -> stopping);
    }
  }

  /** Writes the records that were still queued when the worker ended to the spool. */
  private void spoolLeftovers(List<Object> left) {
    List<HeliconeRecord> records = new ArrayList<>();
    for (Object item : left) {
      if (item instanceof PendingRecord pending) {
        HeliconeRecord record = pending.get();
        if (record != null) {
          records.add(record);
        } else {
          failed.incrementAndGet();
        }
      }
    }
    trySpool(records);
  }

  /** The next item, waiting up to the batch delay (less when a flush or stop is pending). */
  private Object nextItem() throws InterruptedException {
    return poll(options.batchDelay().toNanos() + 1);
  }

  /**
   * Adds records to {@code batch} until it is full, the batch delay ran out, a flush or stop is
   * pending, or a session end is reached (returned, so it is handled after this batch).
   */
  private SessionEnd collectBatch(Object first, List<HeliconeRecord> batch)
      throws InterruptedException {
    long deadline = System.nanoTime() + options.batchDelay().toNanos();
    Object item = first;
    while (true) {
      processed.incrementAndGet();
      inFlight.incrementAndGet();
      if (item instanceof SessionEnd) {
        inFlight.decrementAndGet();
        return (SessionEnd) item;
      }
      HeliconeRecord record = ((PendingRecord) item).get();
      if (record != null) {
        batch.add(record);
      } else {
        inFlight.decrementAndGet();
        failed.incrementAndGet();
      }
      if (batch.size() >= options.maxBatchSize()) {
        return null;
      }
      item = poll(deadline - System.nanoTime());
      if (item == null) {
        return null;
      }
    }
  }

  private void exportWithRetries(List<HeliconeRecord> batch) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    List<HeliconeRecord> records = List.copyOf(batch);
    try {
      if (spool != null && spool.hasBacklog()) {
        // Spool hook: behind spooled records, so that the exporter gets them in order.
        trySpool(records);
        drainSpool();
        return;
      }
      for (int attempt = 1; ; attempt++) {
        ExportResult result = exportOnce(records);
        if (result.isSuccess()) {
          exported.addAndGet(records.size());
          drainSpool(); // spool hook: the exporter takes records again
          return;
        }
        boolean retry =
            result.kind() == ExportResult.Kind.RETRYABLE && attempt < options.maxAttempts();
        if (retry && backOff(backoffNanos(attempt, result.retryAfter()))) {
          continue;
        }
        if (result.kind() == ExportResult.Kind.RETRYABLE && trySpool(records)) {
          diagnostics.warn(
              "spooled:" + exporterName,
              exporterName
                  + " could not export "
                  + records.size()
                  + " record(s) after "
                  + attempt
                  + " attempt(s); they are spooled: "
                  + result.message());
          return; // spool hook: retries exhausted, or cut short by a close
        }
        int lost = result.failedRecords(records.size());
        exported.addAndGet(records.size() - lost);
        failed.addAndGet(lost);
        diagnostics.warn(
            "export-failed:" + exporterName,
            exporterName
                + " could not export "
                + lost
                + " of "
                + records.size()
                + " record(s) after "
                + attempt
                + " attempt(s): "
                + result.message());
        return;
      }
    } catch (InterruptedException e) {
      if (!trySpool(records)) { // spool hook: interrupted by a close
        failed.addAndGet(records.size());
      }
      throw e;
    } finally {
      inFlight.addAndGet(-records.size());
    }
  }

  /**
   * Waits before a retry. Returns false, at once, when a close needs the worker to finish before
   * the retry would happen, so that a long backoff never holds up the close.
   */
  private boolean backOff(long nanos) throws InterruptedException {
    long retryAt = System.nanoTime() + nanos;
    lock.lock();
    try {
      for (long remaining = nanos; remaining > 0; remaining = retryAt - System.nanoTime()) {
        if (stopping && retryAt - stopDeadlineNanos >= 0) {
          return false;
        }
        wake.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private ExportResult exportOnce(List<HeliconeRecord> records) {
    try {
      ExportResult result = exporter.export(records);
      return result != null ? result : ExportResult.failure("exporter returned null");
    } catch (RuntimeException | LinkageError e) {
      diagnostics.error("export:" + exporterName, exporterName + ".export() threw", e);
      return ExportResult.failure(e.toString());
    }
  }

  private long backoffNanos(int attempt, Duration retryAfter) {
    long max = options.maxBackoff().toNanos();
    long base = options.initialBackoff().toNanos() << Math.min(attempt - 1, 30);
    long capped = Math.min(max, Math.max(0, base));
    // Full jitter in the upper half keeps retries of many clients apart without waiting too little.
    long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    if (retryAfter != null) {
      // The server's own wait is honoured beyond the usual backoff (a close still cuts it short).
      jittered = Math.max(jittered, Math.min(MAX_RETRY_AFTER_NANOS, retryAfter.toNanos()));
    }
    return jittered;
  }

  private void notifySessionEnd(SessionEnd end) {
    try {
      exporter.sessionEnded(end.id, end.name);
    } catch (RuntimeException | LinkageError e) {
      diagnostics.error("session:" + exporterName, exporterName + ".sessionEnded() threw", e);
    }
  }

  private void completeFlushes() {
    for (FlushRequest request; (request = flushRequests.peek()) != null; ) {
      if (processed.get() < request.upTo) {
        return;
      }
      flushRequests.poll();
      boolean ok;
      try {
        ExportResult result = exporter.flush();
        ok = result != null && result.isSuccess() && failed.get() == request.failedBefore;
        ok &= spool == null || !spool.hasBacklog(); // spool hook: spooled is not delivered
      } catch (RuntimeException | LinkageError e) {
        diagnostics.error("flush:" + exporterName, exporterName + ".flush() threw", e);
        ok = false;
      }
      request.done.complete(ok);
    }
  }
}
