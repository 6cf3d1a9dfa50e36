package ai.helicone.internal.instrument;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.capture.CallResolver;
import ai.helicone.internal.capture.ResolvedCall;
import okhttp3.Call;
import okhttp3.Request;

/**
 * Decides each captured call's metadata on the thread that runs the call: the context captured at
 * {@code newCall}, overridden by the request's {@code Helicone-*} headers, which are then removed
 * from the request sent to the provider. Thread-safe.
 */
public final class MetadataResolver implements CallResolver {
  private final CallContexts contexts;
  private final Diagnostics diagnostics;

  public MetadataResolver(CallContexts contexts, Diagnostics diagnostics) {
    this.contexts = contexts;
    this.diagnostics = diagnostics;
  }

  @Override
  public ResolvedCall resolve(Call call, Request request) {
    CallContexts.Captured captured = contexts.take(call);
    CallMetadata metadata;
    try {
      metadata = HeliconeHeaders.resolve(captured, request.headers(), diagnostics);
    } catch (RuntimeException e) {
      diagnostics.error(
          "resolve", "could not resolve the metadata of a call; it is not recorded", e);
      metadata = null;
    }
    // Metadata headers are for Helicone only: they never reach the provider, even when the call
    // cannot be recorded.
    Request stripped = HeliconeHeaders.strip(request);
    return metadata == null && stripped == request ? null : new ResolvedCall(metadata, stripped);
  }
}
