package ai.helicone.export.http;

import ai.helicone.export.http.internal.DeliverySettings;
import java.time.Duration;

/**
 * The delivery settings shared by the builders of {@link HeliconeHttpExporter} and {@link
 * CollectorHttpExporter}: concurrency, timeouts and retries. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class HttpExporterBuilder<B extends HttpExporterBuilder<B>> {
  DeliverySettings settings = DeliverySettings.DEFAULTS;

  HttpExporterBuilder() {}

  abstract B self();

  /**
   * Requests in flight at once (default 64, at most 512), each on its own sending thread over a
   * kept-alive connection. With an endpoint answering in 50 ms, 64 allow up to 1,280 records/s.
   */
  public B maxConcurrency(int maxConcurrency) {
    settings = settings.withMaxConcurrency(maxConcurrency);
    return self();
  }

  /** The limit for one attempt, connecting included (default 10 s). */
  public B requestTimeout(Duration timeout) {
    settings = settings.withRequestTimeout(timeout);
    return self();
  }

  /**
   * Attempts per request, the first included (default 3). The Helicone exporter sends one request
   * per record; the collector exporter one per batch.
   */
  public B maxAttempts(int maxAttempts) {
    settings = settings.withMaxAttempts(maxAttempts);
    return self();
  }

  /**
   * The wait before the first retry, doubled for each further one up to {@code max}, with jitter
   * (defaults 0.5 s and 10 s). A longer {@code Retry-After} is left to the export pipeline.
   */
  public B backoff(Duration initial, Duration max) {
    settings = settings.withBackoff(initial, max);
    return self();
  }

  /** The longest one {@code export} call may take, retries included (default 60 s). */
  public B exportTimeout(Duration timeout) {
    settings = settings.withExportTimeout(timeout);
    return self();
  }
}
