package ai.helicone.internal.capture;

import ai.helicone.spi.CapturedExchange;

/**
 * Receives each finished exchange exactly once, on whatever thread finished it (often the
 * application's): must be cheap, must not block, and must be thread-safe. Exceptions it throws are
 * caught and reported; they never reach the application.
 */
@FunctionalInterface
public interface CaptureSink {

  void completed(Object metadata, CapturedExchange exchange);

  /**
   * True while a finished call's record would be refused anyway (the export memory budget is full):
   * a call that starts now is then not captured at all, so that it costs the application nothing,
   * and is handed to {@link #notCaptured} instead. Called on the application's threads; must be
   * cheap.
   */
  default boolean refusing() {
    return false;
  }

  /** Counts a call left uncaptured because {@link #refusing()} said so. */
  default void notCaptured(Object metadata) {}
}
