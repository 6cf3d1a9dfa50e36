package ai.helicone.spi;

/**
 * Turns a captured HTTP exchange into provider, model, operation, usage, time to first token and
 * the provider's own error, for one family of wire formats.
 *
 * <p>Adapters are found with {@link java.util.ServiceLoader} (a public no-argument constructor and
 * a {@code META-INF/services/ai.helicone.spi.ProviderAdapter} entry) and can also be registered on
 * the {@code Helicone} builder, where they take precedence. For each exchange the first adapter
 * whose {@link #supports} answers true parses it; the core's generic fallback comes last.
 *
 * <p>{@link #supports} and {@link #parse} run on the export worker, never on the application's
 * thread. {@link #rewriteRequestBody} is the one exception, see there. Exceptions thrown by an
 * adapter are caught, counted and logged; the record is then exported with what the core knows.
 * Implementations must be thread-safe.
 */
public interface ProviderAdapter {

  /**
   * Receives the diagnostics of the {@code Helicone} instance that uses the adapter, for the
   * failures it contains itself; called when that instance is built. An adapter instance shared by
   * several instances reports to the last one. The default ignores it.
   */
  default void attach(SdkDiagnostics diagnostics) {}

  /** A short name for logs, such as {@code openai}. */
  String name();

  /** True when this adapter understands the exchange (usually decided from host and path). */
  boolean supports(CapturedExchange exchange);

  /** Reads what it can from the exchange; never null. */
  AdapterResult parse(CapturedExchange exchange);

  /**
   * Optionally changes a request body before it is sent, for example to ask a provider to report
   * usage in streams. Runs on the thread that executes the call, so it must decide cheaply from the
   * URL and content type and return null when it has nothing to do.
   *
   * @param method the HTTP method
   * @param url the full request URL
   * @param contentType the request content type, or null
   * @param body the request body bytes
   * @return the new body bytes, or null to leave the body unchanged
   */
  default byte[] rewriteRequestBody(String method, String url, String contentType, byte[] body) {
    return null;
  }
}
