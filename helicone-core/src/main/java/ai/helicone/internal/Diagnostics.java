package ai.helicone.internal;

import ai.helicone.internal.capture.Redaction;
import ai.helicone.spi.SdkDiagnostics;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Counts the SDK's own failures and logs them through {@link System.Logger}, at most once per
 * interval for each kind of failure, so that a failure on every call cannot flood the log. Never
 * throws. Thread-safe.
 */
public final class Diagnostics implements SdkDiagnostics {
  private static final Logger LOG = System.getLogger("ai.helicone");
  private static final long DEFAULT_INTERVAL_NANOS = 60_000_000_000L;
  // Bounds the walk down a cause chain, which may even be cyclic.
  private static final int MAX_CAUSES = 16;

  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong unpriced = new AtomicLong();
  private final AtomicLong unparsed = new AtomicLong();
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
  @Override
  public void error(String kind, String message, Throwable cause) {
    errors.incrementAndGet();
    log(Level.WARNING, kind, () -> message, cause);
  }

  /**
   * Logs a condition that is not an SDK failure (a rejected export, a full queue), rate-limited.
   */
  @Override
  public void warn(String kind, String message) {
    log(Level.WARNING, kind, () -> message, null);
  }

  /** The same, with a message built only when it is logged: for conditions that repeat per call. */
  public void warn(String kind, Supplier<String> message) {
    log(Level.WARNING, kind, message, null);
  }

  /** Counts an LLM call whose model has no known price. */
  public void unpricedCall(String provider, String model) {
    unpriced.incrementAndGet();
    if (!LOG.isLoggable(Level.DEBUG)) {
      return; // Skips building the key, on every call to an unknown model.
    }
    log(
        Level.DEBUG,
        "unpriced:" + provider + '/' + model,
        () ->
            "no price known for model " + model + " of provider " + provider + "; cost left empty",
        null);
  }

  /**
   * Counts a provider response whose body could not be parsed, and logs it once per {@code cause}
   * (rate-limited): a misconfigured base URL answering HTML would otherwise log on every call.
   */
  public void unparsedBody(String provider, String cause) {
    unparsed.incrementAndGet();
    log(
        Level.WARNING,
        "unparsed:" + provider + '/' + cause,
        () ->
            "a "
                + provider
                + " response body could not be parsed ("
                + cause
                + "); usage and cost of"
                + " such calls are missing",
        null);
  }

  public long unparsedCount() {
    return unparsed.get();
  }

  public long errorCount() {
    return errors.get();
  }

  public long unpricedCount() {
    return unpriced.get();
  }

  private void log(Level level, String kind, Supplier<String> message, Throwable cause) {
    try {
      if (!LOG.isLoggable(level) || !dueForLogging(kind)) {
        return;
      }
      String line = "helicone: " + Redaction.redactText(message.get());
      if (cause == null) {
        LOG.log(level, line);
      } else {
        LOG.log(level, line, redacted(cause));
      }
    } catch (RuntimeException loggingFailed) {
      // A broken logging backend must not break the caller either.
    }
  }

  /**
   * The failure as it may be logged: itself when no message in its cause chain holds a secret,
   * otherwise a copy of the chain with redacted messages and the original stack traces.
   */
  private static Throwable redacted(Throwable cause) {
    boolean secret = false;
    int depth = 0;
    for (Throwable t = cause; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
      String message = t.getMessage();
      secret |= message != null && !message.equals(Redaction.redactText(message));
    }
    return secret ? RedactedFailure.copyOf(cause, MAX_CAUSES) : cause;
  }

  /** A logged stand-in for a failure whose message held a secret; prints like the original. */
  private static final class RedactedFailure extends Throwable {
    private static final long serialVersionUID = 1L;

    private RedactedFailure(String description, Throwable cause) {
      super(description, cause, false, true);
    }

    static RedactedFailure copyOf(Throwable original, int depth) {
      Throwable cause =
          original.getCause() == null || depth <= 1 ? null : copyOf(original.getCause(), depth - 1);
      RedactedFailure copy = new RedactedFailure(Redaction.describeFailure(original), cause);
      copy.setStackTrace(original.getStackTrace());
      return copy;
    }

    // Prints as the original did (its class name is part of the redacted description), so the
    // stand-in's own class name must not prefix the message.
    @SuppressWarnings("OverrideThrowableToString")
    @Override
    public String toString() {
      return getMessage();
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
