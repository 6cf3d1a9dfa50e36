package ai.helicone.internal.instrument;

import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.context.ContextStorage;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds {@code Helicone-Auth} and the caller's metadata as {@code Helicone-*} headers to requests
 * sent through Helicone's gateway, which records the calls itself. Headers the request already
 * carries win. Thread-safe.
 */
public final class GatewayInterceptor implements Interceptor {
  private final String authorization;
  private final CallContexts contexts;
  private final Diagnostics diagnostics;

  public GatewayInterceptor(String apiKey, CallContexts contexts, Diagnostics diagnostics) {
    this.authorization = "Bearer " + apiKey;
    this.contexts = contexts;
    this.diagnostics = diagnostics;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Request withHeaders = request;
    try {
      CallContexts.Captured captured = contexts.take(chain.call());
      withHeaders =
          HeliconeHeaders.addContextHeaders(
              request, captured == null ? ContextStorage.current() : captured.snapshot());
    } catch (RuntimeException e) {
      diagnostics.error("gateway", "could not add Helicone headers to a gateway request", e);
    }
    // Apart from the context headers: without it the gateway would reject the application's call.
    if (withHeaders.header(HeliconeHeaders.AUTH) == null) {
      withHeaders = withHeaders.newBuilder().header(HeliconeHeaders.AUTH, authorization).build();
    }
    return chain.proceed(withHeaders);
  }

  @Override
  public String toString() {
    return "GatewayInterceptor{Helicone-Auth=[REDACTED]}";
  }
}
