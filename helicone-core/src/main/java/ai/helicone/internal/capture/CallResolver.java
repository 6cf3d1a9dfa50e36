package ai.helicone.internal.capture;

import okhttp3.Call;
import okhttp3.Request;

/**
 * Supplied by the core: resolves per-call metadata on the interceptor's thread and strips {@code
 * Helicone-*} metadata headers. Called once per call, on the thread that executes the call (a
 * dispatcher thread for {@code enqueue()}), so implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface CallResolver {

  /**
   * Returns the metadata object for this call (opaque to the capture) and the request to send on
   * (headers stripped). Returning null means: do not capture this call, just proceed with the
   * request unchanged.
   */
  ResolvedCall resolve(Call call, Request request);
}
