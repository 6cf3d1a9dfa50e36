package ai.helicone.internal.capture;

import java.util.Objects;
import okhttp3.Request;

/**
 * What a {@link CallResolver} decided for one call. Immutable; thread-safe when the metadata is.
 *
 * @param metadata the core's metadata for the call, handed back unchanged to the {@link
 *     CaptureSink}
 * @param request the request to send on, without the SDK's metadata headers
 */
public record ResolvedCall(Object metadata, Request request) {

  public ResolvedCall {
    Objects.requireNonNull(request, "request");
  }
}
