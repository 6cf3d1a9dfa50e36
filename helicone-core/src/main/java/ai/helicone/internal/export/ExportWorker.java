package ai.helicone.internal.export;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.Failures;
import ai.helicone.internal.export.spool.ExporterSpool;
import ai.helicone.record.HeliconeRecord;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One exporter's bounded queue and the single thread that drains it in batches. The exporter's
 * methods are only ever called from that thread.
 *
 * <p>Accounting: every record offered to the worker ends in exactly one of exported, dropped
 * (refused by a full or closed queue, or still queued when the worker had to stop) or failed (could
 * not be built, or its export failed for good), or is still queued. With a spool, a record can also
 * leave the worker into the spool (retries exhausted, queue full, or still queued when the worker
 * stops): it then counts as neither failed nor dropped, but in the spool's own counters (spooled,
 * then resent or spoolDropped). All counters change under {@link #lock}, so a snapshot always adds
 * up; the one exception is the count of records refused at the door, which touch no other counter
 * and are counted without the lock. A batch ends in one place, {@link #settle}.
 *
 * <p>The application's threads never take the lock to queue a record: they add it to a lock-free
 * {@link #inbox}, which the lock's holders move into the queue before they look at it. A thread
 * that waited for the lock would wait for the worker, and the worker, one thread among the
 * application's many, may be preempted while it holds it. They take the lock only to wake a waiting
 * worker, once per batch.
 *
 * <p>Failures: anything an exporter throws is contained (counted in {@code sdkErrors}, logged
 * redacted, the batch failed) and the worker goes on, except a {@linkplain Failures#isFatal fatal}
 * VM error, which is rethrown after counting; the worker then ends and later records are dropped.
 */
final class ExportWorker implements Runnable {
  private static final long MAX_RETRY_AFTER_NANOS = TimeUnit.MINUTES.toNanos(5);

  /** After the close deadline, how long a worker gets to react to its interrupt. */
  private static final long INTERRUPT_GRACE_MILLIS = 1_000;

  /** A queued session end; handed to the exporter after the records queued before it. */
  private static final class SessionEnd {
    final String id;
    final String name;

    SessionEnd(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  /** A record of a batch with the holder that must be released once it ends. */
  private record Entry(PendingRecord pending, HeliconeRecord record) {}

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
  // The warnings of a refused record, written once: a busy application may be refused per call.
  private final String closedKind;
  private final String closedMessage;
  private final String queueFullKind;
  private final String queueFullMessage;
  private final ExportOptions options;
  private final Diagnostics diagnostics;
  private final BooleanSupplier memoryPressed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  // True while the worker waits for the first record of a batch, or for the rest of one (written
  // under lock). While it fills a batch it sleeps until the batch delay ends: a new record wakes it
  // only when it starts a batch or fills one, so a busy application pays one wake-up per batch
  // rather than one per record. Each is set before the worker looks at the inbox a last time and
  // read by a submitter after it added to the inbox: one of the two sees the other.
  private volatile boolean awaitingFirst;
  private volatile boolean awaitingRest;
  private final ConcurrentLinkedQueue<FlushRequest> flushRequests = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  // Null without a spool. Spool hooks: submit (queue full), exportWithRetries (backlog, retries
  // exhausted, interrupted, success), run (idle drain), finish (what is left), completeFlushes.
  private final ExporterSpool spool;
  // This exporter's slot in the encodings a record carries (PendingRecord), or -1: it encodes none.
  private final int encodingSlot;
  private final AtomicBoolean spoolClosed = new AtomicBoolean();

  // Items submitted but not yet moved into the queue; lock-free, see the class comment.
  private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
  // Items in the inbox and the queue together, against the capacity.
  private final AtomicInteger size = new AtomicInteger();
  // Guarded by lock.
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final List<Entry> current = new ArrayList<>();
  private int queuedRecords;
  // Records refused at the door, counted without the lock; a snapshot adds them to the dropped.
  private final LongAdder refused = new LongAdder();
  // Taken from the queue by the worker but not yet in a batch (being built).
  private int inHand;
  private long accepted;
  private long processed;
  private long exported;
  private long dropped;
  private long failed;
  private boolean abandoned;
  // Written under lock; read without it by submitters, which take back what they added after it.
  private volatile boolean ended;

  private volatile boolean stopping;
  // Written before stopping is set, so a worker that sees stopping also sees the deadline.
  private volatile long stopDeadlineNanos;

  /**
   * @param memoryPressed true while the pipeline's memory budget is more than half used: a batch is
   *     then exported at once rather than left to fill, since the records it waits for hold the
   *     memory that later calls need
   * @param encodingSlot where the pipeline's records keep this exporter's encodings, when it is an
   *     {@link EncodingExporter}; otherwise -1
   */
  ExportWorker(
      HeliconeExporter exporter,
      ExportOptions options,
      Diagnostics diagnostics,
      ExporterSpool spool,
      BooleanSupplier memoryPressed,
      int encodingSlot) {
    this.memoryPressed = memoryPressed;
    this.encodingSlot = encodingSlot;
    this.spool = spool;
    this.exporter = exporter;
    this.exporterName = exporter.getClass().getSimpleName();
    this.options = options;
    this.closedKind = "closed:" + exporterName;
    this.closedMessage = "Helicone is closed: record dropped for " + exporterName;
    this.queueFullKind = "queue-full:" + exporterName;
    this.queueFullMessage =
        "export queue full: record dropped for "
            + exporterName
            + " (capacity "
            + options.queueCapacity()
            + ")";
    this.diagnostics = diagnostics;
    this.thread = new Thread(this, "helicone-export-" + exporterName);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  String exporterName() {
    return exporterName;
  }

  /**
   * Queues without blocking. False when the queue is full or closed: the record is then counted as
   * dropped here, and the caller keeps its hold on it.
   */
  boolean submit(PendingRecord record) {
    if (offer(record)) {
      return true;
    }
    // Spool hook: queue full. The spool's writer builds the record, writes it, then gives back
    // this worker's hold on it.
    if (spool != null && !stopping && !ended && spool.offerOverflow(record::get, record::release)) {
      return true;
    }
    countDropped();
    if (stopping || ended) {
      diagnostics.warn(closedKind, closedMessage);
    } else {
      diagnostics.warn(queueFullKind, queueFullMessage);
    }
    return false;
  }

  /** Counts a record that never reached this worker's queue (refused here, or by the budget). */
  void countDropped() {
    refused.increment();
  }

  void sessionEnded(String id, String name) {
    lock.lock();
    try {
      // Behind the records already in the inbox: they were submitted before it.
      moveInbox();
      if (!stopping && !ended && reserve()) {
        queue.add(new SessionEnd(id, name));
        accepted++;
        wake.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Counts one more item against the capacity; false (and nothing counted) when it is full. */
  private boolean reserve() {
    if (size.get() >= options.queueCapacity()) {
      return false;
    }
    if (size.incrementAndGet() > options.queueCapacity()) {
      size.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Queues {@code item} without taking the lock; false when the queue is full or closed. */
  private boolean offer(PendingRecord item) {
    if (stopping || ended || !reserve()) {
      return false;
    }
    inbox.add(item);
    // The worker sets ended before it empties the inbox a last time: either it sees this item
    // there, or this sees ended and takes the item back, so nothing stays queued forever.
    if (ended && inbox.remove(item)) {
      size.decrementAndGet();
      return false;
    }
    if (awaitingFirst
        || (awaitingRest
            && (size.get() >= options.maxBatchSize() || memoryPressed.getAsBoolean()))) {
      wakeUp();
    }
    return true;
  }

  /**
   * Moves what the application's threads added to the inbox into the queue, in their order. Called
   * under the lock, before anything looks at the queue.
   */
  private void moveInbox() {
    for (Object item; (item = inbox.poll()) != null; ) {
      queue.add(item);
      accepted++;
      if (item instanceof PendingRecord) {
        queuedRecords++;
      }
    }
  }

  /** Takes the queue's head, or null. Called under the lock. */
  private Object takeFromQueue() {
    Object item = queue.poll();
    if (item != null) {
      size.decrementAndGet();
    }
    return item;
  }

  /** Completes with true once everything accepted so far was exported and the exporter flushed. */
  CompletableFuture<Boolean> requestFlush() {
    FlushRequest request;
    lock.lock();
    try {
      moveInbox();
      request = new FlushRequest(accepted, failed);
      if (ended) {
        // Nothing will be delivered any more.
        request.done.complete(false);
        return request.done;
      }
      flushRequests.add(request);
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    return request.done;
  }

  /** Stops accepting items; the worker drains what is queued until the deadline, then exits. */
  void stop(long deadlineNanos) {
    stopDeadlineNanos = deadlineNanos;
    stopping = true;
    wakeUp();
  }

  /**
   * The next item, waiting at most {@code nanos}, and less when a flush or stop is pending.
   *
   * @param first true when waiting for the first item of a batch: any new item ends the wait
   */
  private Object poll(long nanos, boolean first) throws InterruptedException {
    lock.lock();
    try {
      moveInbox();
      try {
        while (queue.isEmpty() && nanos > 0 && !stopping && flushRequests.isEmpty()) {
          if (first) {
            awaitingFirst = true;
          } else {
            awaitingRest = true;
          }
          // Looked at again after announcing the wait (see awaitingFirst).
          moveInbox();
          if (!queue.isEmpty()) {
            break;
          }
          nanos = wake.awaitNanos(nanos);
          moveInbox();
        }
      } finally {
        awaitingFirst = false;
        awaitingRest = false;
      }
      Object item = takeFromQueue();
      if (item instanceof PendingRecord) {
        queuedRecords--;
        inHand++;
      }
      return item;
    } finally {
      lock.unlock();
    }
  }

  private boolean queueEmpty() {
    lock.lock();
    try {
      moveInbox();
      return queue.isEmpty();
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

  /**
   * Waits for the worker to end. Past the deadline it is interrupted; a worker still inside the
   * exporter after a short grace is abandoned: its records are counted failed and the exporter is
   * never called again. Returns true when the worker ended in time and everything it held was
   * settled.
   */
  boolean awaitTermination(long deadlineNanos) {
    try {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining > 0) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
      }
      if (!thread.isAlive()) {
        return true;
      }
      thread.interrupt();
      thread.join(INTERRUPT_GRACE_MILLIS);
      if (!thread.isAlive()) {
        return false;
      }
      abandon();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon();
      return false;
    }
  }

  private void abandon() {
    int lost;
    int unsent;
    lock.lock();
    try {
      if (ended) {
        return;
      }
      abandoned = true;
      ended = true;
      lost = current.size() + inHand;
      inHand = 0;
      failed += lost;
      current.forEach(e -> e.pending().release());
      current.clear();
      unsent = dropQueued();
    } finally {
      lock.unlock();
    }
    completeAllFlushes();
    diagnostics.warn(
        "abandoned:" + exporterName,
        exporterName
            + " did not return within the close timeout and ignored interruption; it is abandoned"
            + " and will not be called again ("
            + lost
            + " record(s) in its export counted failed, "
            + unsent
            + " queued record(s) dropped)");
  }

  /**
   * Counts what is still queued as dropped and empties the queue. Called under the lock, after
   * {@link #ended} was set.
   */
  private int dropQueued() {
    moveInbox();
    int n = 0;
    for (Object item; (item = takeFromQueue()) != null; ) {
      processed++;
      if (item instanceof PendingRecord p) {
        n++;
        p.release();
      }
    }
    queuedRecords = 0;
    dropped += n;
    return n;
  }

  /** A consistent snapshot: exported, dropped, failed, queued. */
  long[] counts() {
    lock.lock();
    try {
      moveInbox();
      return new long[] {
        exported, dropped + refused.sum(), failed, (long) queuedRecords + inHand + current.size()
      };
    } finally {
      lock.unlock();
    }
  }

  boolean isRunning() {
    return thread.isAlive() && !abandoned;
  }

  @Override
  public void run() {
    Throwable fatal = null;
    try {
      while (true) {
        Object first = poll(options.batchDelay().toNanos() + 1, true);
        if (first == null) {
          drainSpool(); // spool hook: idle
          completeFlushes();
          if (stopping && queueEmpty()) {
            break;
          }
          continue;
        }
        List<Entry> batch = new ArrayList<>();
        SessionEnd sessionEnd = collectBatch(first, batch);
        exportWithRetries(batch);
        if (sessionEnd != null) {
          callVoid("sessionEnded", () -> exporter.sessionEnded(sessionEnd.id, sessionEnd.name));
        }
        completeFlushes();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Abandoned e) {
      return;
    } catch (Throwable e) {
      fatal = e; // already counted where it was thrown
    } finally {
      finish(fatal);
    }
    if (fatal instanceof Error error) {
      throw error;
    }
  }

  private void finish(Throwable fatal) {
    int unsent;
    lock.lock();
    try {
      if (abandoned) {
        return;
      }
      ended = true;
      // A batch interrupted mid-export was settled as failed by exportWithRetries; what is left
      // in the queue was never tried.
      current.forEach(e -> e.pending().release());
      failed += current.size() + inHand;
      inHand = 0;
      current.clear();
      unsent = spool == null ? dropQueued() : 0;
    } finally {
      lock.unlock();
    }
    spoolQueued(); // spool hook: still queued at the end
    if (unsent > 0) {
      diagnostics.warn(
          "unsent:" + exporterName,
          unsent + " queued record(s) for " + exporterName + " dropped: the worker stopped");
    }
    if (fatal != null) {
      diagnostics.warn(
          "worker-died:" + exporterName,
          "export worker of " + exporterName + " stopped after a fatal error: " + fatal);
    }
    completeAllFlushes();
    try {
      callVoid("close", exporter::close);
    } catch (Abandoned | Error e) {
      // Abandoned: nothing more to do. A fatal error from close() is already counted; the one
      // that ended the worker, if any, is rethrown by run().
    } finally {
      closeSpool(); // spool hook: end
    }
  }

  // ---- Spool hooks: the only places that know of the spool. ----

  /** Closes the spool once (the worker at its end, or the pipeline for an abandoned worker). */
  void closeSpool() {
    if (spool != null && spoolClosed.compareAndSet(false, true)) {
      spool.close();
    }
  }

  ExporterSpool spool() {
    return spool;
  }

  /** Re-sends spooled records while the exporter takes them; not while closing. */
  private void drainSpool() {
    if (spool != null && !stopping && spool.hasBacklog()) {
      spool.drain(this::exportRecords, options.maxBatchSize(), () -> stopping);
    }
  }

  /**
   * Writes {@code entries} to the spool and settles them: written ones as moved to the spool, the
   * others (disk full or failing) as failed. Their holds are released once they are on disk.
   */
  private void spoolOrFail(List<Entry> entries, String reason) {
    List<HeliconeRecord> records = new ArrayList<>(entries.size());
    entries.forEach(e -> records.add(e.record()));
    int written = spool.append(records);
    settle(
        List.of(),
        entries.subList(0, written),
        entries.subList(written, entries.size()),
        "that could not be spooled, " + reason);
    if (written > 0) {
      diagnostics.warn(
          "spooled:" + exporterName,
          exporterName + " could not export " + written + " record(s) " + reason + "; spooled");
    }
  }

  /** Moves what is still queued when the worker ends to the spool. */
  private void spoolQueued() {
    if (spool == null) {
      return;
    }
    List<PendingRecord> left = new ArrayList<>();
    lock.lock();
    try {
      moveInbox();
      for (Object item; (item = takeFromQueue()) != null; ) {
        if (item instanceof PendingRecord p) {
          left.add(p);
        } else {
          processed++;
        }
      }
      // Queued until written: still counted as queued in a snapshot.
      queuedRecords = 0;
      inHand += left.size();
    } finally {
      lock.unlock();
    }
    List<HeliconeRecord> records = new ArrayList<>(left.size());
    int unbuilt = 0;
    for (PendingRecord p : left) {
      HeliconeRecord r = p.get();
      if (r == null) {
        unbuilt++;
      } else {
        records.add(r);
      }
    }
    int written = records.isEmpty() ? 0 : spool.append(records);
    lock.lock();
    try {
      inHand -= left.size();
      processed += left.size();
      failed += left.size() - written;
    } finally {
      lock.unlock();
    }
    left.forEach(PendingRecord::release);
    if (written < left.size()) {
      diagnostics.warn(
          "unsent:" + exporterName,
          (left.size() - written)
              + " queued record(s) for "
              + exporterName
              + " failed: the worker stopped and they could not be spooled ("
              + unbuilt
              + " could not be built)");
    }
  }

  private void completeAllFlushes() {
    for (FlushRequest r; (r = flushRequests.poll()) != null; ) {
      r.done.complete(false);
    }
  }

  /**
   * Adds records to {@code batch} until it is full, the batch delay ran out, a flush or stop is
   * pending, or a session end is reached (returned, so it is handled after this batch).
   */
  private SessionEnd collectBatch(Object first, List<Entry> batch) throws InterruptedException {
    long deadline = System.nanoTime() + options.batchDelay().toNanos();
    List<PendingRecord> taken = new ArrayList<>();
    SessionEnd sessionEnd = null;
    Object item = first;
    try {
      while (true) {
        if (item instanceof SessionEnd end) {
          countProcessed();
          sessionEnd = end;
          break;
        }
        taken.add((PendingRecord) item);
        if (taken.size() >= options.maxBatchSize()) {
          break;
        }
        // Under memory pressure, export what is in hand and take the rest of the queue next time.
        item = poll(memoryPressed.getAsBoolean() ? 0 : deadline - System.nanoTime(), false);
        if (item == null) {
          break;
        }
      }
    } catch (InterruptedException e) {
      taken.forEach(this::settleBuildFailure);
      throw e;
    }
    resolve(taken, batch);
    return sessionEnd;
  }

  /** Moves the records taken into {@code batch}, built; one that cannot be built is settled. */
  private void resolve(List<PendingRecord> taken, List<Entry> batch) throws InterruptedException {
    int i = 0;
    try {
      // The observer builds records in about the order they were queued: waiting for the last one
      // first lets this worker wake about once per batch instead of once per record.
      if (!taken.isEmpty()) {
        taken.get(taken.size() - 1).awaitObserver();
      }
      for (; i < taken.size(); i++) {
        PendingRecord pending = taken.get(i);
        HeliconeRecord record = pending.getWhenBuilt();
        if (record != null) {
          addToCurrent(new Entry(pending, record), batch);
        } else {
          settleBuildFailure(pending);
        }
      }
    } catch (InterruptedException | Error e) {
      for (; i < taken.size(); i++) {
        settleBuildFailure(taken.get(i));
      }
      throw e;
    }
  }

  private void countProcessed() {
    lock.lock();
    try {
      processed++;
    } finally {
      lock.unlock();
    }
  }

  private void addToCurrent(Entry entry, List<Entry> batch) {
    lock.lock();
    try {
      if (abandoned) {
        // Counted by abandon(); only the hold is left to give back.
        entry.pending().release();
        return;
      }
      inHand--;
      current.add(entry);
      batch.add(entry);
    } finally {
      lock.unlock();
    }
  }

  private void settleBuildFailure(PendingRecord pending) {
    lock.lock();
    try {
      if (abandoned) {
        pending.release();
        return;
      }
      inHand--;
      processed++;
      failed++;
    } finally {
      lock.unlock();
    }
    pending.release();
  }

  private void exportWithRetries(List<Entry> batch) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    if (spool != null && spool.hasBacklog()) {
      // Spool hook: behind the spooled records, so that the exporter gets them in order.
      spoolOrFail(batch, "behind earlier spooled records");
      drainSpool();
      return;
    }
    List<Entry> remaining = batch;
    for (int attempt = 1; ; attempt++) {
      ExportResult result;
      try {
        result = exportOnce(remaining);
      } catch (Error fatal) {
        settle(List.of(), remaining, "fatal error: " + fatal);
        throw fatal;
      }
      if (result.isSuccess()) {
        settle(remaining, List.of(), null);
        drainSpool(); // spool hook: the exporter takes records again
        return;
      }
      List<Entry> undelivered = undelivered(remaining, result);
      if (undelivered.size() < remaining.size()) {
        List<Entry> delivered = new ArrayList<>(remaining);
        delivered.removeAll(undelivered);
        settle(delivered, List.of(), null);
        remaining = undelivered;
      }
      if (remaining.isEmpty()) {
        return;
      }
      boolean retry =
          result.kind() == ExportResult.Kind.RETRYABLE && attempt < options.maxAttempts();
      try {
        if (retry && backOff(backoffNanos(attempt, result.retryAfter()))) {
          continue;
        }
      } catch (InterruptedException e) {
        if (spool != null) {
          spoolOrFail(remaining, "interrupted while waiting to retry"); // spool hook
        } else {
          settle(List.of(), remaining, "interrupted while waiting to retry");
        }
        throw e;
      }
      if (spool != null && result.kind() == ExportResult.Kind.RETRYABLE) {
        // Spool hook: retries exhausted, or cut short by a close.
        spoolOrFail(
            remaining,
            "after " + attempt + " attempt(s) of " + batch.size() + ": " + result.message());
        return;
      }
      settle(
          List.of(),
          remaining,
          "after " + attempt + " attempt(s) of " + batch.size() + ": " + result.message());
      return;
    }
  }

  /** The records of {@code batch} that a failed result says were not delivered. */
  private static List<Entry> undelivered(List<Entry> batch, ExportResult result) {
    Set<String> ids = result.undeliveredIds();
    if (ids != null) {
      List<Entry> out = new ArrayList<>();
      for (Entry e : batch) {
        if (ids.contains(e.record().id())) {
          out.add(e);
        }
      }
      return out;
    }
    int lost = result.failedRecords(batch.size());
    // A bare count does not say which records failed; the last ones stand for them.
    return lost >= batch.size()
        ? batch
        : List.copyOf(batch.subList(batch.size() - lost, batch.size()));
  }

  /**
   * Where the records of a batch end: {@code delivered} count as exported, {@code failedFinal} as
   * failed for good. Every record of a batch passes here exactly once (unless the worker was
   * abandoned, which settles them itself).
   */
  private void settle(List<Entry> delivered, List<Entry> failedFinal, String reason) {
    settle(delivered, List.of(), failedFinal, reason);
  }

  /**
   * As {@link #settle(List, List, String)}, and {@code spooled} (already written to the spool)
   * leave the worker into the spool: counted neither failed nor dropped.
   */
  private void settle(
      List<Entry> delivered, List<Entry> spooled, List<Entry> failedFinal, String reason) {
    lock.lock();
    try {
      if (abandoned) {
        return;
      }
      exported += delivered.size();
      failed += failedFinal.size();
      int settled = delivered.size() + spooled.size() + failedFinal.size();
      processed += settled;
      // By identity, in one pass: removeAll would compare every pair, a batch squared.
      Set<Entry> gone = Collections.newSetFromMap(new IdentityHashMap<>(settled * 2));
      gone.addAll(delivered);
      gone.addAll(spooled);
      gone.addAll(failedFinal);
      current.removeIf(gone::contains);
    } finally {
      lock.unlock();
    }
    delivered.forEach(e -> e.pending().release());
    spooled.forEach(e -> e.pending().release());
    failedFinal.forEach(e -> e.pending().release());
    if (!failedFinal.isEmpty()) {
      diagnostics.warn(
          "export-failed:" + exporterName,
          exporterName + " could not export " + failedFinal.size() + " record(s) " + reason);
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

  /** This exporter's slot in the encodings a record carries, or -1 when it encodes none. */
  int encodingSlot() {
    return encodingSlot;
  }

  private ExportResult exportOnce(List<Entry> entries) {
    List<HeliconeRecord> records = new ArrayList<>(entries.size());
    entries.forEach(e -> records.add(e.record()));
    if (encodingSlot < 0) {
      return exportRecords(records);
    }
    List<byte[]> encodings = new ArrayList<>(entries.size());
    entries.forEach(e -> encodings.add(e.pending().encoding(encodingSlot)));
    EncodingExporter encoding = (EncodingExporter) exporter;
    return checked(
        call(
            "export",
            () -> encoding.export(List.copyOf(records), Collections.unmodifiableList(encodings))));
  }

  private ExportResult exportRecords(List<HeliconeRecord> records) {
    return checked(call("export", () -> exporter.export(List.copyOf(records))));
  }

  private ExportResult checked(ExportResult result) {
    if (result == null) {
      // Either a contained throw (already counted) or a broken exporter.
      return ExportResult.failure(exporterName + ".export() returned no result");
    }
    return result;
  }

  /** Thrown inside the worker when it was abandoned, to leave without touching the exporter. */
  private static final class Abandoned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abandoned() {
      super(null, null, false, false);
    }
  }

  /**
   * Calls the exporter unless the worker was abandoned. A throw is counted and logged and yields
   * null; a fatal VM error is rethrown after counting.
   */
  private <T> T call(String method, Supplier<T> body) {
    lock.lock();
    try {
      if (abandoned) {
        throw new Abandoned();
      }
    } finally {
      lock.unlock();
    }
    try {
      return body.get();
    } catch (Throwable e) {
      diagnostics.error(method + ":" + exporterName, exporterName + "." + method + "() threw", e);
      Failures.rethrowIfFatal(e);
      return null;
    }
  }

  private void callVoid(String method, Runnable body) {
    call(
        method,
        () -> {
          body.run();
          return Boolean.TRUE;
        });
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

  private void completeFlushes() {
    for (FlushRequest request; (request = flushRequests.peek()) != null; ) {
      long done;
      lock.lock();
      try {
        done = processed;
      } finally {
        lock.unlock();
      }
      if (done < request.upTo) {
        return;
      }
      flushRequests.poll();
      ExportResult result = call("flush", exporter::flush);
      boolean ok;
      lock.lock();
      try {
        ok = result != null && result.isSuccess() && failed == request.failedBefore;
      } finally {
        lock.unlock();
      }
      // Spool hook: a spooled record is not delivered yet.
      ok &= spool == null || !spool.hasBacklog();
      request.done.complete(ok);
    }
  }
}
