package ai.helicone.export.http.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a message at most once per interval for each key, then says how many were suppressed, so a
 * dead endpoint or a wrong key is visible without flooding the application's log. Thread-safe.
 */
public final class RateLimitedLog {
  private final Logger logger;
  private final long intervalNanos;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    volatile long lastLoggedNanos;
    final AtomicLong suppressed = new AtomicLong();

    Window(long lastLoggedNanos) {
      this.lastLoggedNanos = lastLoggedNanos;
    }
  }

  public RateLimitedLog(Logger logger, java.time.Duration interval) {
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
  }

  /** Logs {@code message} unless a message with the same key was logged within the interval. */
  public void log(Level level, String key, String message) {
    long now = System.nanoTime();
    Window fresh = new Window(now);
    Window window = windows.putIfAbsent(key, fresh);
    if (window == null) {
      logger.log(level, message);
      return;
    }
    synchronized (window) {
      if (now - window.lastLoggedNanos < intervalNanos) {
        window.suppressed.incrementAndGet();
        return;
      }
      window.lastLoggedNanos = now;
    }
    long suppressed = window.suppressed.getAndSet(0);
    logger.log(
        level,
        suppressed == 0 ? message : message + " (" + suppressed + " similar messages suppressed)");
  }
}
