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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Sends each record to Helicone's asynchronous logging API, one POST per record, on the route where
 * Helicone shows and prices it: OpenAI calls to {@code /oai/v1/log}, Anthropic to {@code
 * /anthropic/v1/log}, Gemini and Vertex AI to {@code /googleapis/v1/log} (all on the worker host),
 * every other provider (Azure, Groq, DeepSeek, ...) with Helicone's name for it to the API host's
 * {@code /v1/trace/custom/v1/log}, which reads the provider from the body; custom traces as
 * Helicone tool, vector_db and data events. Session, user, properties and the request id travel as
 * {@code Helicone-*} headers. US and EU regions are supported ({@link Builder#region}).
 *
 * <p>Requests run many at a time (see {@link HttpExporterBuilder#maxConcurrency}) on the exporter's
 * own threads, over kept-alive connections of a private HTTP client that the Helicone
 * instrumentation never sees. Overloaded or unreachable endpoints (408, 429, 5xx, timeouts,
 * connection errors) are retried with exponential backoff and jitter, honouring {@code
 * Retry-After}; other rejections (a wrong API key: 401) are not retried and fail the export with
 * Helicone's message, which the export pipeline counts and logs. A {@code 200} whose JSON body
 * carries {@code error} is a failure too. Records already delivered are not sent again when the
 * pipeline retries a batch.
 *
 * <pre>{@code
 * HeliconeExporter exporter = HeliconeHttpExporter.fromEnv(); // HELICONE_API_KEY
 * }</pre>
 *
 * <p>Thread-safe; {@link #export} is meant to be called by one worker thread at a time.
 */
public final class HeliconeHttpExporter implements HeliconeExporter {
  /** Helicone's regions. */
  public enum Region {
    /** {@code api.worker.helicone.ai} (worker routes) and {@code api.helicone.ai}. */
    US("https://api.worker.helicone.ai", "https://api.helicone.ai"),
    /**
     * {@code eu.api.helicone.ai}. Its worker host is not documented, so every EU record goes to the
     * API host's route that reads the provider from the body.
     */
    EU(null, "https://eu.api.helicone.ai");

    private final String workerUrl;
    private final String apiUrl;

    Region(String workerUrl, String apiUrl) {
      this.workerUrl = workerUrl;
      this.apiUrl = apiUrl;
    }
  }

  /** Helicone's logging host of the worker routes (US region). */
  public static final String DEFAULT_BASE_URL = "https://api.worker.helicone.ai";

  /** Helicone's API host (US region), whose custom-trace route reads the provider from the body. */
  public static final String DEFAULT_API_BASE_URL = "https://api.helicone.ai";

  /** Helicone's API host of the EU region. */
  public static final String EU_API_BASE_URL = "https://eu.api.helicone.ai";

  /** Environment variable holding the Helicone API key. */
  public static final String API_KEY_ENV = "HELICONE_API_KEY";

  /** Environment variable overriding the base URL of every route. */
  public static final String BASE_URL_ENV = "HELICONE_BASE_URL";

  /** Environment variable naming the region: {@code us} or {@code eu}. */
  public static final String REGION_ENV = "HELICONE_REGION";

  /** Prefix of Helicone API keys of the EU region. */
  public static final String EU_KEY_PREFIX = "sk-helicone-eu-";

  /** Helicone rejects bodies over 10 MB; this leaves room for headers and rounding. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 9_500_000;

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String apiKey;
  private final Region region;
  private final String workerUrl;
  private final String apiUrl;
  private final String target;
  private final boolean workerRoutes;
  private final HeliconeLogMapper mapper;
  // Replaced by the Helicone instance's diagnostics when it is built; standalone use logs here.
  private volatile SdkDiagnostics diagnostics;
  private final HttpDelivery delivery;

  private HeliconeHttpExporter(Builder b) {
    this.apiKey = b.apiKey;
    this.region =
        b.region != null ? b.region : b.apiKey.startsWith(EU_KEY_PREFIX) ? Region.EU : Region.US;
    this.apiUrl =
        stripTrailingSlash(
            b.apiBaseUrl != null ? b.apiBaseUrl : b.baseUrl != null ? b.baseUrl : region.apiUrl);
    String worker = b.baseUrl != null ? b.baseUrl : region.workerUrl;
    this.workerUrl = worker == null ? null : stripTrailingSlash(worker);
    this.workerRoutes =
        workerUrl != null && (b.providerRoutes == null || b.providerRoutes.booleanValue());
    this.target = "Helicone at " + HeaderRules.displayUrl(workerRoutes ? workerUrl : apiUrl);
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
   * An exporter configured from {@code HELICONE_API_KEY} and, when set, {@code HELICONE_REGION}
   * ({@code us} or {@code eu}; by default the key's region) and {@code HELICONE_BASE_URL}.
   *
   * @throws IllegalStateException when {@code HELICONE_API_KEY} is not set or a value is invalid
   */
  public static HeliconeHttpExporter fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * Like {@link #fromEnv()}, reading the variables from {@code env}.
   *
   * @throws IllegalStateException when {@code HELICONE_API_KEY} is missing or blank, or a value is
   *     invalid (the message names the variable)
   */
  public static HeliconeHttpExporter fromEnv(Map<String, String> env) {
    String key = env.get(API_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(
          API_KEY_ENV + " is not set: set it to your Helicone API key (sk-helicone-...)");
    }
    Builder builder = builder().apiKey(key);
    String region = env.get(REGION_ENV);
    if (region != null && !region.isBlank()) {
      builder.region(parseRegion(region, REGION_ENV));
    }
    String base = env.get(BASE_URL_ENV);
    if (base != null && !base.isBlank()) {
      try {
        builder.baseUrl(base.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(BASE_URL_ENV + " is not an http(s) URL", e);
      }
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(API_KEY_ENV + ": " + e.getMessage(), e);
    }
  }

  private static Region parseRegion(String value, String variable) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "us" -> Region.US;
      case "eu" -> Region.EU;
      default -> throw new IllegalStateException(variable + " must be us or eu, not: " + value);
    };
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
        items.add(new Outgoing(List.of(record.id()), toRequest(mapper.map(record, workerRoutes))));
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
    Route route = log.route();
    Request.Builder request =
        new Request.Builder()
            .url((route.worker() ? workerUrl : apiUrl) + route.path())
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
        + (workerRoutes ? HeaderRules.displayUrl(workerUrl) + ", " : "")
        + HeaderRules.displayUrl(apiUrl)
        + ", region="
        + region.name().toLowerCase(Locale.ROOT)
        + (workerRoutes ? ", routes=by provider" : ", routes=provider in body")
        + ", apiKey=<redacted>}";
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Builds a {@link HeliconeHttpExporter}. Not thread-safe. */
  public static final class Builder extends HttpExporterBuilder<Builder> {
    private String apiKey;
    private Region region;
    private String baseUrl;
    private String apiBaseUrl;
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
     * Helicone's region. Defaults to {@link Region#EU} for keys starting with {@value
     * HeliconeHttpExporter#EU_KEY_PREFIX}, else {@link Region#US}.
     */
    public Builder region(Region region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * One host for every route, replacing the region's hosts: a self-hosted Helicone, a proxy or a
     * test server. The worker routes ({@code /oai/v1/log}...) and {@code /v1/trace/custom/v1/log}
     * are appended to it.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = checkUrl(baseUrl, "baseUrl");
      return this;
    }

    /**
     * The host of the route that reads the provider from the body ({@code /v1/trace/custom/v1/log}
     * is appended), when it differs from {@link #baseUrl}.
     */
    public Builder apiBaseUrl(String apiBaseUrl) {
      this.apiBaseUrl = checkUrl(apiBaseUrl, "apiBaseUrl");
      return this;
    }

    /**
     * True (the default where the region has a worker host) to post OpenAI, Anthropic and Google
     * calls and custom traces to the worker's routes; false to post everything to {@code
     * /v1/trace/custom/v1/log} with the provider in the body.
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
