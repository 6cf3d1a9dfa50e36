package ai.helicone;

/**
 * Metadata attached to the current thread until {@link #close()}: calls made through an
 * instrumented client and traces started on this thread carry it. Use it with try-with-resources.
 *
 * <p>Closing restores the context that was current before the scope was attached. Scopes nest;
 * close them in reverse order, on the thread that attached them. Closing a scope twice does
 * nothing. Closing out of order does not throw: it is logged, and the context returns to what it
 * was before the closed scope (scopes attached after it are closed with it). Closing on another
 * thread is logged and ignored; the scope can still be closed on its own thread. A scope therefore
 * only ever affects the thread that attached it, and calling {@link #close()} from any thread is
 * safe.
 */
public interface HeliconeScope extends AutoCloseable {

  /** Detaches this scope's metadata from the thread and restores the previous context. */
  @Override
  void close();
}
