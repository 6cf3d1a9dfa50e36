package ai.helicone.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the SDK's own failures and logs them through {@link System.Logger}, at most once per
 * interval for each kind of failure, so that a failure on every call cannot flood the log. Never
 * throws. Thread-safe.
 */
public final class Diagnostics {
  private static final Logger LOG = System.getLogger("ai.helicone");
  private static final long DEFAULT_INTERVAL_NANOS = 60_000_000_000L;

  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong unpriced = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicLong> lastLogged = new ConcurrentHashMap<>();
  private final long intervalNanos;

  public Diagnostics() {
    this(DEFAULT_INTERVAL_NANOS);
  }

  /** For tests: a custom minimum interval between two log lines of the same kind. */
  public Diagnostics(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** Counts an internal failure and logs it unless the same kind was logged recently. */
  public void error(String kind, String message, Throwable cause) {
    errors.incrementAndGet();
    log(Level.WARNING, kind, message, cause);
  }

  /**
   * Logs a condition that is not an SDK failure (a rejected export, a full queue), rate-limited.
   */
  public void warn(String kind, String message) {
    log(Level.WARNING, kind, message, null);
  }

  /** Counts an LLM call whose model has no known price. */
  public void unpricedCall(String provider, String model) {
    unpriced.incrementAndGet();
    log(
        Level.DEBUG,
        "unpriced:" + provider + '/' + model,
        "no price known for model " + model + " of provider " + provider + "; cost left empty",
        null);
  }

  public long errorCount() {
    return errors.get();
  }

  public long unpricedCount() {
    return unpriced.get();
  }

  private void log(Level level, String kind, String message, Throwable cause) {
    try {
      if (!LOG.isLoggable(level) || !dueForLogging(kind)) {
        return;
      }
      if (cause == null) {
        LOG.log(level, "helicone: " + message);
      } else {
        LOG.log(level, "helicone: " + message, cause);
      }
    } catch (RuntimeException loggingFailed) {
      // A broken logging backend must not break the caller either.
    }
  }

  private boolean dueForLogging(String kind) {
    long now = System.nanoTime();
    if (lastLogged.size() > 1024) {
      lastLogged.clear();
    }
    AtomicLong last = lastLogged.computeIfAbsent(kind, k -> new AtomicLong(now - intervalNanos));
    long previous = last.get();
    return now - previous >= intervalNanos && last.compareAndSet(previous, now);
  }
}
