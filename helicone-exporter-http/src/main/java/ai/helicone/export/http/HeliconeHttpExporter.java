package ai.helicone.export.http;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.http.internal.HeaderRules;
import ai.helicone.export.http.internal.HeliconeLogMapper;
import ai.helicone.export.http.internal.HeliconeLogMapper.LogRequest;
import ai.helicone.export.http.internal.HeliconeLogMapper.Route;
import ai.helicone.export.http.internal.HttpDelivery;
import ai.helicone.export.http.internal.HttpDelivery.Outgoing;
import ai.helicone.internal.Diagnostics;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.SdkDiagnostics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Sends each record to Helicone's asynchronous logging API, one POST per record: LLM calls to the
 * route of their provider ({@code /oai/v1/log}, {@code /anthropic/v1/log}, {@code
 * /googleapis/v1/log}, else {@code /custom/v1/log}), custom traces as Helicone tool, vector_db and
 * data events. Session, user, properties and the request id travel as {@code Helicone-*} headers.
 *
 * <p>Requests run a few at a time on the exporter's own threads with a private HTTP client that the
 * Helicone instrumentation never sees. Overloaded or unreachable endpoints (408, 429, 5xx,
 * timeouts, connection errors) are retried with exponential backoff and jitter, honouring {@code
 * Retry-After}; other rejections (a wrong API key: 401) are not retried and fail the export with
 * Helicone's message, which the export pipeline counts and logs. Records already delivered are not
 * sent again when the pipeline retries a batch.
 *
 * <pre>{@code
 * HeliconeExporter exporter = HeliconeHttpExporter.fromEnv(); // HELICONE_API_KEY
 * }</pre>
 *
 * <p>Thread-safe; {@link #export} is meant to be called by one worker thread at a time.
 */
public final class HeliconeHttpExporter implements HeliconeExporter {
  /** Helicone's logging host (US region). */
  public static final String DEFAULT_BASE_URL = "https://api.worker.helicone.ai";

  /**
   * The target for EU keys ({@code sk-helicone-eu-...}): Helicone's EU API host, whose {@code
   * /v1/trace/custom/v1/log} endpoint takes the same body and reads the provider from it. The EU
   * host of the worker routes is not documented, so EU records all go to that one endpoint.
   */
  public static final String DEFAULT_EU_BASE_URL = "https://eu.api.helicone.ai/v1/trace";

  /** Environment variable holding the Helicone API key. */
  public static final String API_KEY_ENV = "HELICONE_API_KEY";

  /** Environment variable overriding the base URL. */
  public static final String BASE_URL_ENV = "HELICONE_BASE_URL";

  /** Prefix of Helicone API keys of the EU region. */
  public static final String EU_KEY_PREFIX = "sk-helicone-eu-";

  /** Helicone rejects bodies over 10 MB; this leaves room for headers and rounding. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 9_500_000;

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String apiKey;
  private final String baseUrl;
  private final String target;
  private final boolean eu;
  private final boolean providerRoutes;
  private final HeliconeLogMapper mapper;
  // Replaced by the Helicone instance's diagnostics when it is built; standalone use logs here.
  private volatile SdkDiagnostics diagnostics;
  private final HttpDelivery delivery;

  private HeliconeHttpExporter(Builder b) {
    this.apiKey = b.apiKey;
    this.eu = b.apiKey.startsWith(EU_KEY_PREFIX);
    String base = b.baseUrl != null ? b.baseUrl : eu ? b.euBaseUrl : DEFAULT_BASE_URL;
    this.baseUrl = stripTrailingSlash(base);
    this.target = "Helicone at " + HeaderRules.displayUrl(baseUrl);
    this.providerRoutes = b.providerRoutes != null ? b.providerRoutes : b.baseUrl != null || !eu;
    this.mapper = new HeliconeLogMapper(b.maxPayloadBytes);
    this.diagnostics = new Diagnostics();
    this.delivery =
        new HttpDelivery(
            b.settings, target, this::describeRejection, diagnostics, "helicone-http-exporter");
  }

  private String describeRejection(int status, String serverMessage) {
    // The host is named because a key of the other region is a likely cause of a 401.
    return status == 401 || status == 403
        ? target + " rejected the API key (" + status + "): " + serverMessage
        : target + " rejected a log record (" + status + "): " + serverMessage;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An exporter configured from {@code HELICONE_API_KEY} and, when set, {@code HELICONE_BASE_URL}.
   *
   * @throws IllegalStateException when {@code HELICONE_API_KEY} is not set
   */
  public static HeliconeHttpExporter fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * Like {@link #fromEnv()}, reading the variables from {@code env}.
   *
   * @throws IllegalStateException when {@code HELICONE_API_KEY} is missing or blank
   */
  public static HeliconeHttpExporter fromEnv(Map<String, String> env) {
    String key = env.get(API_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(
          API_KEY_ENV + " is not set: set it to your Helicone API key (sk-helicone-...)");
    }
    Builder builder = builder().apiKey(key);
    String base = env.get(BASE_URL_ENV);
    if (base != null && !base.isBlank()) {
      builder.baseUrl(base.trim());
    }
    return builder.build();
  }

  @Override
  public void attach(SdkDiagnostics diagnostics) {
    this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
    delivery.attach(diagnostics);
  }

  @Override
  public ExportResult export(List<HeliconeRecord> records) {
    List<Outgoing> items = new ArrayList<>(records.size());
    int unconvertible = 0;
    for (HeliconeRecord record : records) {
      if (delivery.isFinished(record.id())) {
        continue;
      }
      try {
        items.add(new Outgoing(List.of(record.id()), toRequest(mapper.map(record))));
      } catch (RuntimeException e) {
        unconvertible++;
        diagnostics.error(
            "helicone-export-convert", "cannot convert record " + record.id() + " for Helicone", e);
      }
    }
    ExportResult result = delivery.deliver(items);
    if (unconvertible > 0 && result.kind() != ExportResult.Kind.RETRYABLE) {
      int failed = unconvertible + result.failedRecords(records.size() - unconvertible);
      return ExportResult.failure(
          unconvertible
              + " records could not be converted"
              + (result.isSuccess() ? "" : "; " + result.message()),
          failed);
    }
    return result;
  }

  private Request toRequest(LogRequest log) {
    String path = providerRoutes ? log.route().path() : Route.CUSTOM.path();
    Request.Builder request =
        new Request.Builder()
            .url(baseUrl + path)
            .header("Authorization", "Bearer " + apiKey)
            .post(RequestBody.create(log.body(), JSON));
    log.headers().forEach(request::header);
    return request.build();
  }

  /** Stops the exporter's threads and closes its connections. */
  @Override
  public void close() {
    delivery.close();
  }

  @Override
  public String toString() {
    return "HeliconeHttpExporter{"
        + HeaderRules.displayUrl(baseUrl)
        + (eu ? ", region=eu" : "")
        + (providerRoutes ? ", routes=by provider" : ", routes=custom")
        + ", apiKey=<redacted>}";
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Builds a {@link HeliconeHttpExporter}. Not thread-safe. */
  public static final class Builder extends HttpExporterBuilder<Builder> {
    private String apiKey;
    private String baseUrl;
    private String euBaseUrl = DEFAULT_EU_BASE_URL;
    private Boolean providerRoutes;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The Helicone API key (required). */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey == null ? null : apiKey.trim();
      return this;
    }

    /**
     * Where logs go, for every key: provider routes such as {@code /oai/v1/log} are appended.
     * Defaults to {@value HeliconeHttpExporter#DEFAULT_BASE_URL}, or {@link #euBaseUrl} for EU
     * keys.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = checkUrl(baseUrl, "baseUrl");
      return this;
    }

    /**
     * Where logs of EU keys ({@code sk-helicone-eu-...}) go when no {@link #baseUrl} is set.
     * Defaults to {@value HeliconeHttpExporter#DEFAULT_EU_BASE_URL}, where every record uses the
     * {@code /custom/v1/log} route (see {@link #providerRoutes}).
     */
    public Builder euBaseUrl(String euBaseUrl) {
      this.euBaseUrl = checkUrl(euBaseUrl, "euBaseUrl");
      return this;
    }

    /**
     * True to post each record to its provider's route ({@code /oai/v1/log}, {@code
     * /anthropic/v1/log}, {@code /googleapis/v1/log}); false to post everything to {@code
     * /custom/v1/log}, where Helicone reads the provider from the body. Defaults to true, except
     * for EU keys without an explicit {@link #baseUrl}.
     */
    public Builder providerRoutes(boolean providerRoutes) {
      this.providerRoutes = providerRoutes;
      return this;
    }

    /**
     * The largest body sent (default {@value HeliconeHttpExporter#DEFAULT_MAX_PAYLOAD_BYTES});
     * larger records are shortened and flagged with the property {@code helicone-truncated}.
     */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes < 4096) {
        throw new IllegalArgumentException("maxPayloadBytes must be at least 4096");
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /**
     * Builds the exporter.
     *
     * @throws IllegalArgumentException when the API key is missing or not a valid header value
     */
    public HeliconeHttpExporter build() {
      if (apiKey == null || apiKey.isEmpty()) {
        throw new IllegalArgumentException(
            "Helicone API key is missing: call apiKey(...) or set " + API_KEY_ENV);
      }
      if (!apiKey.equals(HeaderRules.sendableValue(apiKey))) {
        throw new IllegalArgumentException(
            "Helicone API key contains characters that cannot be sent in a header");
      }
      return new HeliconeHttpExporter(this);
    }

    private static String checkUrl(String url, String name) {
      Objects.requireNonNull(url, name);
      if (HttpUrl.parse(url) == null) {
        throw new IllegalArgumentException(name + " is not an http(s) URL: " + url);
      }
      return url;
    }
  }
}
