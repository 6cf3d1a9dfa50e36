package ai.helicone.otlp.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/** Logs a repeating problem at most once a minute, with how many were suppressed in between. */
public final class RateLimitedLog {
  private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger logger;
  private long lastLogged;
  private boolean loggedOnce;
  private long suppressed;

  public RateLimitedLog(Logger logger) {
    this.logger = logger;
  }

  /** Logs the message unless one was logged less than a minute ago. */
  public synchronized void log(Level level, String message, Throwable error) {
    long now = System.nanoTime();
    if (loggedOnce && now - lastLogged < INTERVAL_NANOS) {
      suppressed++;
      return;
    }
    String text = suppressed > 0 ? message + " (" + suppressed + " similar suppressed)" : message;
    if (error != null) {
      logger.log(level, text, error);
    } else {
      logger.log(level, text);
    }
    loggedOnce = true;
    lastLogged = now;
    suppressed = 0;
  }
}
