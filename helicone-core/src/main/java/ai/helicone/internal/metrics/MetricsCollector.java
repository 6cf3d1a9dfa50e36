package ai.helicone.internal.metrics;

import ai.helicone.budget.AlertListener;
import ai.helicone.budget.BurstAlert;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.export.RecordObserver;
import ai.helicone.metrics.HeliconeMetrics;
import ai.helicone.metrics.RecordListener;
import ai.helicone.record.HeliconeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps {@code helicone.metrics()}, budgets and alerts current, and feeds record listeners, on one
 * daemon thread of its own: the application's calls only queue the record (never blocking; a full
 * queue drops the record from the metrics and counts it), and a slow exporter never delays the
 * metrics. Thread-safe.
 */
public final class MetricsCollector implements RecordObserver {
  /** Records waiting for the metrics thread; past it they are left out of the metrics. */
  static final int QUEUE_CAPACITY = 16_384;

  // How long the thread lets records gather after taking one; also the most a budget lags.
  private static final long LINGER_MILLIS = 20;

  /** How many window slices: the window moves in steps of a third of its length. */
  private static final int WINDOW_STEPS = 3;

  private final Diagnostics diagnostics;
  private final List<RecordListener> listeners;
  private final AlertListener alerts;
  private final List<BurstRule> bursts;
  private final BudgetTracker budgets;
  private final int maxKeys;
  private final int maxPropertyNames;
  private final Duration window;
  private final long sliceMillis;
  private final LongSupplier clockMillis;
  private final Instant start = Instant.now();
  // Lock-free, so that calling threads never wait on each other to hand over a record; bounded by
  // queueSize. The thread parks when it finds the queue empty and is unparked by the next offer.
  private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queueSize = new AtomicInteger();
  private volatile boolean parked;
  // True while the thread lets records gather; hurry() then ends the pause early.
  private volatile boolean lingering;
  private volatile boolean hurried;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();
  // How many queued records were aggregated (guarded by progress), for awaitAggregated.
  private final Object progress = new Object();
  private long aggregated;
  private final Thread thread;
  private volatile boolean closed;

  // Guarded by this.
  private final MetricsTree sinceStart;
  private final ArrayDeque<Slice> slices = new ArrayDeque<>();

  /** A record to aggregate, and how to give back what it holds of the export memory budget. */
  private record Entry(Supplier<HeliconeRecord> record, Runnable release) {}

  private static final class Slice {
    final long index;
    final MetricsTree tree;

    Slice(long index, MetricsTree tree) {
      this.index = index;
      this.tree = tree;
    }
  }

  public MetricsCollector(
      Settings settings,
      BudgetTracker budgets,
      List<BurstRule> bursts,
      List<RecordListener> listeners,
      AlertListener alerts,
      Diagnostics diagnostics,
      LongSupplier clockMillis) {
    this.maxKeys = settings.maxKeys();
    this.maxPropertyNames = settings.maxPropertyNames();
    this.window = settings.window();
    this.sliceMillis = Math.max(1, window.toMillis() / WINDOW_STEPS);
    this.budgets = budgets;
    this.bursts = List.copyOf(bursts);
    this.listeners = List.copyOf(listeners);
    this.alerts = alerts;
    this.diagnostics = diagnostics;
    this.clockMillis = clockMillis;
    this.sinceStart = new MetricsTree(maxKeys, maxPropertyNames);
    this.thread = new Thread(this::run, "helicone-metrics");
    thread.setDaemon(true);
  }

  /**
   * The aggregation settings.
   *
   * @param window the sliding window's length
   * @param maxKeys rows kept per grouping
   * @param maxPropertyNames property names that get a grouping
   */
  public record Settings(Duration window, int maxKeys, int maxPropertyNames) {}

  public void start() {
    thread.start();
  }

  /** Queues a finished record; never blocks. */
  @Override
  public boolean offer(Supplier<HeliconeRecord> record, Runnable release) {
    if (closed) {
      return false;
    }
    if (queueSize.incrementAndGet() <= QUEUE_CAPACITY) {
      queue.offer(new Entry(record, release));
      queued.incrementAndGet();
      if (parked) {
        LockSupport.unpark(thread);
      }
      return true;
    }
    queueSize.decrementAndGet();
    dropped.incrementAndGet();
    diagnostics.warn(
        "metrics.queue-full",
        "the metrics thread fell behind; records are left out of helicone.metrics() and budgets");
    return false;
  }

  /** Records left out of the metrics because the metrics queue was full. */
  public long dropped() {
    return dropped.get();
  }

  public BudgetTracker budgets() {
    return budgets;
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      Entry next = queue.poll();
      if (next == null) {
        parked = true;
        // Checked again after announcing the park: an offer in between either is seen here or
        // sees the flag and unparks.
        if (queue.isEmpty()) {
          LockSupport.park(this);
        }
        parked = false;
        continue;
      }
      process(next);
      // The records that arrive meanwhile are taken together after a short pause: a busy
      // application then wakes this thread a few dozen times a second, not once per call.
      if (!linger()) {
        break;
      }
      drain();
    }
    drain();
  }

  /** Pauses for {@link #LINGER_MILLIS} unless hurried; false when interrupted (closing). */
  private boolean linger() {
    lingering = true;
    try {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
      // Checked after announcing the pause: a hurry in between is seen here or unparks.
      for (long left = end - System.nanoTime(); left > 0 && !hurried; ) {
        LockSupport.parkNanos(this, left);
        // Cleared, as an interrupted sleep would: the records left are still aggregated.
        if (Thread.interrupted()) {
          return false;
        }
        left = end - System.nanoTime();
      }
      return true;
    } finally {
      lingering = false;
      hurried = false;
    }
  }

  /**
   * Ends the pause between batches early: records are waiting to be built in numbers (see {@link
   * RecordObserver#hurry}).
   */
  @Override
  public void hurry() {
    if (lingering && !hurried) {
      hurried = true;
      LockSupport.unpark(thread);
    }
  }

  private void drain() {
    Entry next;
    while ((next = queue.poll()) != null) {
      process(next);
    }
  }

  private void process(Entry entry) {
    queueSize.decrementAndGet();
    try {
      aggregate(entry.record());
    } finally {
      entry.release().run();
      synchronized (progress) {
        aggregated++;
        progress.notifyAll();
      }
    }
  }

  /**
   * Waits until every record queued so far has been aggregated (and has given back its share of the
   * export memory budget), or until {@code deadlineNanos} ({@link System#nanoTime()} time).
   *
   * @return false on timeout, or when the metrics thread has ended with records left
   */
  public boolean awaitAggregated(long deadlineNanos) {
    long target = queued.get();
    synchronized (progress) {
      while (aggregated < target) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0 || !thread.isAlive()) {
          return aggregated >= target;
        }
        try {
          progress.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  private void aggregate(Supplier<HeliconeRecord> pending) {
    HeliconeRecord r;
    try {
      r = pending.get();
    } catch (RuntimeException e) {
      diagnostics.error("metrics.record", "could not build a record for the metrics", e);
      return;
    }
    if (r == null) {
      return;
    }
    long now = clockMillis.getAsLong();
    try {
      synchronized (this) {
        sinceStart.add(r);
        currentSlice(now).add(r);
      }
      budgets.charge(r);
      for (BurstRule rule : bursts) {
        BurstAlert alert = rule.observe(r, now);
        if (alert != null) {
          alerts.burst(alert);
        }
      }
    } catch (RuntimeException e) {
      diagnostics.error("metrics.aggregate", "metrics, budgets or alerts failed on a record", e);
    }
    for (RecordListener listener : listeners) {
      try {
        listener.onRecord(r);
      } catch (RuntimeException e) {
        diagnostics.error(
            "metrics.listener:" + listener.getClass().getName(), "a record listener failed", e);
      }
    }
  }

  /** Guarded by this. */
  private MetricsTree currentSlice(long now) {
    long index = now / sliceMillis;
    Slice last = slices.peekLast();
    if (last == null || last.index != index) {
      last = new Slice(index, new MetricsTree(maxKeys, maxPropertyNames));
      slices.addLast(last);
    }
    prune(index);
    return last.tree;
  }

  /** Guarded by this. Keeps the slices of the window ending in slice {@code index}. */
  private void prune(long index) {
    for (Iterator<Slice> it = slices.iterator(); it.hasNext(); ) {
      if (it.next().index <= index - WINDOW_STEPS - 1) {
        it.remove();
      }
    }
  }

  /** A snapshot of the aggregates; merging the window's slices runs on the calling thread. */
  public HeliconeMetrics snapshot() {
    long now = clockMillis.getAsLong();
    MetricsTree windowTree = new MetricsTree(maxKeys, maxPropertyNames);
    ai.helicone.metrics.MetricsView total;
    synchronized (this) {
      prune(now / sliceMillis);
      for (Slice s : slices) {
        windowTree.addAll(s.tree);
      }
      total = sinceStart.view();
    }
    return new HeliconeMetrics(
        start, Instant.now(), window, total, windowTree.view(), budgets.refusals(), dropped.get());
  }

  /** Stops the thread after it has processed what is queued, waiting at most {@code timeout}. */
  public void close(Duration timeout) {
    closed = true;
    thread.interrupt();
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
