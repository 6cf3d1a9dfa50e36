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
}
