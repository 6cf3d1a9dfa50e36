package ai.helicone.otlp;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.capture.Redaction;
import ai.helicone.otlp.internal.GenAiMetrics;
import ai.helicone.otlp.internal.Ids;
import ai.helicone.otlp.internal.OtelVersions;
import ai.helicone.otlp.internal.OtlpFailures;
import ai.helicone.otlp.internal.OtlpHttpMetricExporter;
import ai.helicone.otlp.internal.OtlpHttpSender;
import ai.helicone.otlp.internal.OtlpHttpSpanSink;
import ai.helicone.otlp.internal.OutcomeTrackingMetricExporter;
import ai.helicone.otlp.internal.RecordSpanMapper;
import ai.helicone.otlp.internal.SemanticNames;
import ai.helicone.otlp.internal.SessionTree;
import ai.helicone.otlp.internal.SpanSink;
import ai.helicone.otlp.internal.TracerSpanSink;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordType;
import ai.helicone.spi.SdkDiagnostics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Exports records as OpenTelemetry GenAI spans and metrics over OTLP (http/protobuf), or through
 * the application's own OpenTelemetry SDK.
 *
 * <p>Each LLM call becomes a CLIENT span {@code {operation} {model}} with the GenAI attributes;
 * custom traces become INTERNAL spans. A session is one trace whose span tree follows the session
 * paths; a call made inside an active application span becomes that span's child. Message content
 * is only exported with {@link Builder#captureContent(boolean)}.
 *
 * <pre>{@code
 * HeliconeExporter otlp = OtlpExporter.builder()
 *     .endpoint("http://localhost:4318")
 *     .serviceName("my-app")
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe; the export pipeline calls it from one worker thread.
 */
public final class OtlpExporter implements HeliconeExporter {
  private static final System.Logger LOG = System.getLogger("ai.helicone");
  private static final System.Logger DETAIL = System.getLogger("ai.helicone.otlp");
  private static final int MAX_PENDING_SPANS = 4096;
  private static final int MAX_REMEMBERED_RECORDS = 10_000;
  private static final int MAX_OPEN_SESSIONS = 10_000;
  private static final int MAX_NODES_PER_SESSION = 1_000;
  private static final int MAX_HELD_SPANS_PER_SESSION = 1_000;
  private final String description;
  private final RecordSpanMapper mapper;
  private final SessionTree sessions;
  private final boolean sessionSpans;
  private final boolean heliconeCompatible;
  private final SpanSink spans;
  private final GenAiMetrics metrics;
  private final SdkMeterProvider ownMeterProvider;
  private final OutcomeTrackingMetricExporter metricOutcome;
  private final Duration metricTimeout;
  // Replaced by the Helicone instance's diagnostics when it is built; standalone use logs here.
  private volatile SdkDiagnostics diagnostics = new Diagnostics();
  // Spans of session trees not delivered yet; record spans are retried by the pipeline instead.
  private final List<SpanData> pending = new ArrayList<>();
  // Records whose metrics were already recorded, so a retried batch is not counted twice.
  private final Map<String, Boolean> measured =
      new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_REMEMBERED_RECORDS;
        }
      };
  // Whether something was measured since metrics were last delivered: posting cumulative values
  // that did not change would only repeat the previous post.
  private boolean undeliveredMetrics;
  private long droppedSpans;
  private boolean closed;

  private OtlpExporter(Builder b) {
    this.metricTimeout = b.metricsTimeout != null ? b.metricsTimeout : b.timeout;
    // Helicone's OTLP ingestion makes an LLM row of every span: send LLM calls only.
    this.heliconeCompatible = b.heliconeCompatible;
    this.sessionSpans = b.sessionSpans && !b.heliconeCompatible;
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.create(SemanticNames.SCOPE_NAME);
    if (b.openTelemetry == null) {
      Resource resource = Resource.getDefault();
      if (b.serviceName != null) {
        resource =
            resource.merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey(SemanticNames.SERVICE_NAME), b.serviceName)));
      }
      Signal tracesSignal =
          new Signal(
              b.tracesEndpoint != null ? b.tracesEndpoint : join(b.endpoint, "v1/traces"),
              merged(b.headers, b.tracesHeaders),
              b.tracesCompression != null ? b.tracesCompression : b.compression,
              b.tracesTimeout != null ? b.tracesTimeout : b.timeout);
      Signal metricsSignal =
          new Signal(
              b.metricsEndpoint != null ? b.metricsEndpoint : join(b.endpoint, "v1/metrics"),
              merged(b.headers, b.metricsHeaders),
              b.metricsCompression != null ? b.metricsCompression : b.compression,
              metricTimeout);
      this.description =
          "OtlpExporter{traces="
              + withoutCredentials(tracesSignal.url)
              + (b.metrics ? ", metrics=" + withoutCredentials(metricsSignal.url) : "")
              + '}';
      this.mapper = new RecordSpanMapper(mapperOptions(b), resource, scope);
      this.spans = new OtlpHttpSpanSink(sender(tracesSignal));
      if (b.metrics) {
        this.metricOutcome =
            new OutcomeTrackingMetricExporter(
                new OtlpHttpMetricExporter(sender(metricsSignal), () -> diagnostics));
        this.ownMeterProvider =
            SdkMeterProvider.builder()
                .setResource(resource)
                // Only the GenAI metrics: the SDK would otherwise add its own reader telemetry.
                .registerView(
                    InstrumentSelector.builder()
                        .setMeterName(SemanticNames.SDK_METRICS_SCOPE)
                        .build(),
                    View.builder().setAggregation(Aggregation.drop()).build())
                .registerMetricReader(
                    PeriodicMetricReader.builder(metricOutcome)
                        .setInterval(b.metricInterval)
                        .build())
                .build();
        this.metrics =
            new GenAiMetrics(ownMeterProvider.get(SemanticNames.SCOPE_NAME), metricOptions(b));
      } else {
        this.metricOutcome = null;
        this.ownMeterProvider = null;
        this.metrics = null;
      }
    } else {
      this.description = "OtlpExporter{openTelemetry=" + b.openTelemetry.getClass().getName() + '}';
      this.mapper = new RecordSpanMapper(mapperOptions(b), Resource.empty(), scope);
      this.spans = new TracerSpanSink(b.openTelemetry.getTracer(SemanticNames.SCOPE_NAME));
      this.metricOutcome = null;
      this.ownMeterProvider = null;
      this.metrics =
          b.metrics
              ? new GenAiMetrics(
                  b.openTelemetry.getMeterProvider().get(SemanticNames.SCOPE_NAME),
                  metricOptions(b))
              : null;
    }
    // A tracer picks its own span ids, so with the application's SDK the spans of a session are
    // held until the session ends and created parents first.
    this.sessions =
        new SessionTree(
            mapper,
            MAX_OPEN_SESSIONS,
            MAX_NODES_PER_SESSION,
            MAX_HELD_SPANS_PER_SESSION,
            b.sessionIdleTimeout,
            b.openTelemetry != null,
            System::nanoTime);
  }

  /** Where and how one signal (traces or metrics) is posted. */
  private record Signal(
      String url, Map<String, String> headers, String compression, Duration timeout) {}

  private static Map<String, String> merged(
      Map<String, String> common, Map<String, String> signal) {
    Map<String, String> out = new LinkedHashMap<>(common);
    // Header names are case-insensitive: a signal's Authorization replaces a general authorization.
    signal.keySet().forEach(name -> out.keySet().removeIf(name::equalsIgnoreCase));
    out.putAll(signal);
    return out;
  }

  private static OtlpHttpSender sender(Signal s) {
    return new OtlpHttpSender(s.url, s.headers, s.compression, s.timeout);
  }

  private static RecordSpanMapper.Options mapperOptions(Builder b) {
    return new RecordSpanMapper.Options(b.captureContent, b.heliconeCompatible, names(b));
  }

  private static GenAiMetrics.Options metricOptions(Builder b) {
    return new GenAiMetrics.Options(names(b), b.tokenUsageOfEstimatedAndFailedCalls);
  }

  private static SemanticNames.Version names(Builder b) {
    return b.latestExperimental ? SemanticNames.Version.LATEST : SemanticNames.Version.DEFAULT;
  }

  /** A builder with the defaults: {@code http://localhost:4318}, no compression, 10 s timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /** An exporter configured from the standard {@code OTEL_*} environment variables. */
  public static OtlpExporter fromEnv() {
    return builder().environment(System.getenv()).build();
  }

  /** An exporter configured from the given {@code OTEL_*} variables instead of the process's. */
  public static OtlpExporter fromEnv(Map<String, String> env) {
    return builder().environment(env).build();
  }

  @Override
  public void attach(SdkDiagnostics diagnostics) {
    this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
  }

  @Override
  public synchronized ExportResult export(List<HeliconeRecord> records) {
    if (closed) {
      return ExportResult.failure("exporter is closed");
    }
    List<SpanData> batch = new ArrayList<>(records.size() + pending.size());
    for (HeliconeRecord r : records) {
      try {
        addRecord(r, batch);
      } catch (RuntimeException e) {
        // One malformed record must not block the rest of the batch.
        diagnostics.error("otlp.mapping", "could not convert record " + r.id() + " to a span", e);
      }
    }
    List<SpanData> trees = new ArrayList<>(pending);
    trees.addAll(sessions.takeClosedEarly());
    pending.clear();
    trees.addAll(batch);
    ExportResult result = spans.export(trees);
    if (!result.isSuccess()) {
      // Record spans come back with a retried batch; session trees are only ours to keep.
      if (result.kind() == ExportResult.Kind.RETRYABLE) {
        keepPending(trees.subList(0, trees.size() - batch.size()));
      }
      reportFailure("otlp.spans", "OTLP span export failed: ", result);
    }
    return result;
  }

  private void addRecord(HeliconeRecord r, List<SpanData> batch) {
    if (heliconeCompatible && r.type() != RecordType.LLM) {
      return;
    }
    SpanContext appParent =
        Ids.parseTraceparent(r.contextAttributes().get(OtelContextCapturer.TRACEPARENT));
    boolean hold = false;
    RecordSpanMapper.Placement placement;
    if (appParent != null) {
      placement = new RecordSpanMapper.Placement(appParent.getTraceId(), appParent);
    } else if (r.sessionId() != null) {
      String traceId = Ids.sessionTraceId(r.sessionId());
      SpanContext parent = null;
      if (sessionSpans) {
        parent =
            SpanContext.create(
                traceId, sessions.observe(r), TraceFlags.getSampled(), TraceState.getDefault());
        hold = sessions.holdsRecordSpans();
      }
      placement = new RecordSpanMapper.Placement(traceId, parent);
    } else {
      placement = new RecordSpanMapper.Placement(Ids.recordTraceId(r.id()), null);
    }
    SpanData span = mapper.toSpan(r, placement);
    if (hold) {
      sessions.hold(r.sessionId(), span);
    } else {
      batch.add(span);
    }
    if (metrics != null && measured.put(r.id(), Boolean.TRUE) == null && metrics.record(r)) {
      undeliveredMetrics = true;
    }
  }

  @Override
  public synchronized void sessionEnded(String sessionId, String sessionName) {
    if (closed || !sessionSpans || sessionId == null) {
      return;
    }
    try {
      pending.addAll(sessions.end(sessionId, sessionName));
      deliverPending();
    } catch (RuntimeException e) {
      diagnostics.error("otlp.session", "could not export the spans of a session", e);
    }
  }

  @Override
  public synchronized ExportResult flush() {
    if (closed) {
      return ExportResult.success();
    }
    ExportResult spanResult = deliverPending();
    ExportResult metricResult = flushMetrics();
    return spanResult.isSuccess() ? metricResult : spanResult;
  }

  private ExportResult deliverPending() {
    pending.addAll(sessions.takeClosedEarly());
    if (pending.isEmpty()) {
      return ExportResult.success();
    }
    List<SpanData> toSend = new ArrayList<>(pending);
    pending.clear();
    ExportResult result = spans.export(toSend);
    if (!result.isSuccess()) {
      if (result.kind() == ExportResult.Kind.RETRYABLE) {
        keepPending(toSend);
      }
      reportFailure("otlp.spans", "OTLP export of session spans failed: ", result);
    }
    return result;
  }

  /**
   * Once per cause and interval through the SDK's diagnostics; every failure at DEBUG on the logger
   * {@code ai.helicone.otlp}, for whoever wants to see them all.
   */
  private void reportFailure(String prefix, String what, ExportResult result) {
    diagnostics.warn(OtlpFailures.kind(prefix, result), what + result.message());
    if (DETAIL.isLoggable(Level.DEBUG)) {
      DETAIL.log(Level.DEBUG, Redaction.redactText(what + result.message()));
    }
  }

  private void keepPending(List<SpanData> undelivered) {
    pending.addAll(0, undelivered);
    int excess = pending.size() - MAX_PENDING_SPANS;
    if (excess > 0) {
      pending.subList(0, excess).clear();
      droppedSpans += excess;
      diagnostics.warn(
          "otlp.dropped", "dropped " + droppedSpans + " undeliverable session spans so far");
    }
  }

  private ExportResult flushMetrics() {
    if (ownMeterProvider == null || !undeliveredMetrics) {
      return ExportResult.success();
    }
    metricOutcome.reset();
    CompletableResultCode r =
        ownMeterProvider.forceFlush().join(metricWait().toMillis(), TimeUnit.MILLISECONDS);
    if (!r.isDone()) {
      return ExportResult.retryable("OTLP metric export timed out");
    }
    if (!r.isSuccess() || metricOutcome.lastExportFailed()) {
      return ExportResult.retryable("OTLP metric export failed");
    }
    undeliveredMetrics = false;
    return ExportResult.success();
  }

  /** Enough for every attempt of a metric export, with its backoff. */
  private Duration metricWait() {
    return metricTimeout.multipliedBy(3).plusSeconds(3);
  }

  /**
   * Delivers open session trees and metrics, then shuts down the exporter's own OTLP clients. An
   * application SDK passed to {@link Builder#openTelemetry} is left running.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      pending.addAll(sessions.takeAll());
      flush();
    } catch (RuntimeException e) {
      diagnostics.error("otlp.close", "could not flush on close", e);
    } finally {
      closed = true;
      spans.close();
      if (ownMeterProvider != null) {
        if (!undeliveredMetrics) {
          // The reader exports once more on shutdown; everything was delivered and nothing more
          // can be recorded now, so that post would repeat the last one.
          metricOutcome.skipLaterExports();
        }
        ownMeterProvider.shutdown().join(metricWait().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return description;
  }

  /** The URL without user info or query, either of which may hold a key. */
  private static String withoutCredentials(String url) {
    try {
      URI u = URI.create(url);
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null)
          .toString();
    } catch (IllegalArgumentException | URISyntaxException e) {
      return "(invalid URL)";
    }
  }

  private static String join(String base, String path) {
    return base.endsWith("/") ? base + path : base + '/' + path;
  }

  /**
   * Configures an {@link OtlpExporter}. Header values (such as an {@code Authorization} key) are
   * never logged or shown by {@code toString()}. Not thread-safe.
   */
  public static final class Builder {
    private String endpoint = "http://localhost:4318";
    private String tracesEndpoint;
    private String metricsEndpoint;
    private final Map<String, String> headers = new LinkedHashMap<>();
    // Per-signal settings, only from the environment; they win over the general ones.
    private final Map<String, String> tracesHeaders = new LinkedHashMap<>();
    private final Map<String, String> metricsHeaders = new LinkedHashMap<>();
    private String compression = "none";
    private String tracesCompression;
    private String metricsCompression;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration tracesTimeout;
    private Duration metricsTimeout;
    private String serviceName;
    private OpenTelemetry openTelemetry;
    private boolean captureContent;
    private boolean heliconeCompatible;
    private boolean latestExperimental;
    private boolean tokenUsageOfEstimatedAndFailedCalls;
    private boolean metrics = true;
    private boolean sessionSpans = true;
    private Duration metricInterval = Duration.ofSeconds(60);
    private Duration sessionIdleTimeout = Duration.ofMinutes(30);

    private Builder() {}

    /**
     * The OTLP/HTTP base URL, such as {@code http://localhost:4318}; {@code /v1/traces} and {@code
     * /v1/metrics} are appended, as for {@code OTEL_EXPORTER_OTLP_ENDPOINT}.
     */
    public Builder endpoint(String baseUrl) {
      this.endpoint = requireHttpUrl(baseUrl);
      return this;
    }

    /** The full URL spans are posted to, used as is (overrides {@link #endpoint}). */
    public Builder tracesEndpoint(String url) {
      this.tracesEndpoint = requireHttpUrl(url);
      return this;
    }

    /** The full URL metrics are posted to, used as is (overrides {@link #endpoint}). */
    public Builder metricsEndpoint(String url) {
      this.metricsEndpoint = requireHttpUrl(url);
      return this;
    }

    /** Adds a header to every OTLP request, such as {@code Authorization}. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** {@code gzip} or {@code none} (the default). */
    public Builder compression(String compression) {
      this.compression = requireCompression(compression);
      return this;
    }

    /** The timeout of one OTLP request; 10 seconds by default. */
    public Builder timeout(Duration timeout) {
      this.timeout = requirePositive(timeout, "timeout");
      return this;
    }

    /** The {@code service.name} resource attribute of the exported spans and metrics. */
    public Builder serviceName(String serviceName) {
      this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
      return this;
    }

    /**
     * Emits spans and metrics through the application's own SDK instead of a private OTLP client;
     * endpoint, headers, compression and service name are then the application's. Closing the
     * exporter does not shut that SDK down. The application's tracer chooses span and trace ids, so
     * spans of a session are emitted together when the session ends.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * Exports message content ({@code gen_ai.input.messages}, {@code gen_ai.output.messages},
     * {@code gen_ai.system_instructions}, trace input and output). Off by default; bodies the
     * application omitted are never exported.
     */
    public Builder captureContent(boolean captureContent) {
      this.captureContent = captureContent;
      return this;
    }

    /**
     * Shapes the export for Helicone's OTLP ingestion, which turns every span into an LLM request:
     * only LLM calls are exported (no custom-trace or session spans), {@code gen_ai.system} carries
     * Helicone's provider name ({@code OPENAI}, {@code X}, {@code GOOGLE}...), and the names it
     * reads are added ({@code traceloop.association.properties.Helicone-*}, {@code
     * gen_ai.usage.prompt_tokens}, and with content capture {@code gen_ai.prompt.N.*} and {@code
     * gen_ai.completion.N.*}). Helicone's ingestion records every span as status 200 and without
     * time to first token; {@code HeliconeHttpExporter} keeps both.
     */
    public Builder heliconeCompatible(boolean heliconeCompatible) {
      this.heliconeCompatible = heliconeCompatible;
      return this;
    }

    /**
     * True to write the newest GenAI names instead of those of the semantic conventions release
     * this version follows (see README): {@code gen_ai.usage.cache_write.input_tokens} and the
     * {@code gen_ai.client.inference.usage.*} token histograms. Also set by {@code
     * OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental} in {@link #environment}.
     */
    public Builder latestExperimentalConventions(boolean latest) {
      this.latestExperimental = latest;
      return this;
    }

    /**
     * True to record the token counts of failed calls and of locally estimated usage in the
     * token-usage metric too; off by default, as the conventions ask. Spans always carry the
     * counts, estimated ones flagged with {@code helicone.usage.estimated}.
     */
    public Builder tokenUsageOfEstimatedAndFailedCalls(boolean include) {
      this.tokenUsageOfEstimatedAndFailedCalls = include;
      return this;
    }

    /** Whether to export GenAI client metrics; on by default. */
    public Builder metrics(boolean metrics) {
      this.metrics = metrics;
      return this;
    }

    /** How often metrics are exported; 60 seconds by default. {@code flush()} exports at once. */
    public Builder metricInterval(Duration interval) {
      this.metricInterval = requirePositive(interval, "interval");
      return this;
    }

    /**
     * Whether sessions get a root span and one span per session path, with the records' spans below
     * them; on by default. Without them the records of a session still share one trace.
     */
    public Builder sessionSpans(boolean sessionSpans) {
      this.sessionSpans = sessionSpans;
      return this;
    }

    /**
     * A session that receives no record for this long is closed early: its spans are emitted with
     * what was seen. 30 minutes by default.
     */
    public Builder sessionIdleTimeout(Duration timeout) {
      this.sessionIdleTimeout = requirePositive(timeout, "timeout");
      return this;
    }

    /**
     * Applies the standard variables present in {@code env}: {@code OTEL_EXPORTER_OTLP_ENDPOINT},
     * {@code _HEADERS}, {@code _COMPRESSION}, {@code _TIMEOUT} (ms), {@code _PROTOCOL}, their
     * per-signal forms ({@code OTEL_EXPORTER_OTLP_TRACES_*}, {@code OTEL_EXPORTER_OTLP_METRICS_*},
     * which win for their signal; endpoints are then used as given), {@code OTEL_SERVICE_NAME},
     * {@code OTEL_METRIC_EXPORT_INTERVAL} (ms), {@code OTEL_METRICS_EXPORTER=none} and {@code
     * OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT}. Invalid values are logged and ignored.
     */
    public Builder environment(Map<String, String> env) {
      Map<String, String> e = Objects.requireNonNull(env, "env");
      String otlp = "OTEL_EXPORTER_OTLP_";
      apply(e, otlp + "ENDPOINT", this::endpoint);
      apply(e, otlp + "TRACES_ENDPOINT", this::tracesEndpoint);
      apply(e, otlp + "METRICS_ENDPOINT", this::metricsEndpoint);
      apply(e, otlp + "HEADERS", v -> parseHeaders(v).forEach(this::header));
      apply(e, otlp + "TRACES_HEADERS", v -> tracesHeaders.putAll(parseHeaders(v)));
      apply(e, otlp + "METRICS_HEADERS", v -> metricsHeaders.putAll(parseHeaders(v)));
      apply(e, otlp + "COMPRESSION", this::compression);
      apply(e, otlp + "TRACES_COMPRESSION", v -> tracesCompression = requireCompression(v));
      apply(e, otlp + "METRICS_COMPRESSION", v -> metricsCompression = requireCompression(v));
      apply(e, otlp + "TIMEOUT", v -> timeout(millis(v)));
      apply(e, otlp + "TRACES_TIMEOUT", v -> tracesTimeout = requirePositive(millis(v), "timeout"));
      apply(
          e, otlp + "METRICS_TIMEOUT", v -> metricsTimeout = requirePositive(millis(v), "timeout"));
      for (String protocol : List.of("PROTOCOL", "TRACES_PROTOCOL", "METRICS_PROTOCOL")) {
        apply(e, otlp + protocol, Builder::requireHttpProtobuf);
      }
      apply(e, "OTEL_SERVICE_NAME", this::serviceName);
      apply(e, "OTEL_METRIC_EXPORT_INTERVAL", v -> metricInterval(millis(v)));
      apply(e, "OTEL_METRICS_EXPORTER", v -> metrics(!v.equalsIgnoreCase("none")));
      apply(
          e,
          "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT",
          v -> captureContent(v.equalsIgnoreCase("true")));
      apply(
          e,
          "OTEL_SEMCONV_STABILITY_OPT_IN",
          v -> {
            for (String opt : v.split(",", -1)) {
              if (opt.trim().equals(SemanticNames.GEN_AI_LATEST_EXPERIMENTAL)) {
                latestExperimentalConventions(true);
              }
            }
          });
      return this;
    }

    /**
     * Builds the exporter.
     *
     * @throws IllegalStateException when the OpenTelemetry Java on the class path is outside the
     *     supported range (the message names it), rather than failing later
     */
    public OtlpExporter build() {
      OtelVersions.requireSupported();
      return new OtlpExporter(this);
    }

    private static void apply(
        Map<String, String> env, String name, java.util.function.Consumer<String> setter) {
      String v = env.get(name);
      if (v == null || v.isBlank()) {
        return;
      }
      try {
        setter.accept(v.trim());
      } catch (RuntimeException ex) {
        // The value may be a header with a secret: name the variable, never echo its value.
        LOG.log(Level.WARNING, "Ignoring invalid " + name + ": " + ex.getClass().getSimpleName());
      }
    }

    /** {@code k1=v1,k2=v2} with percent-encoded values, as the OTLP exporter spec defines. */
    static Map<String, String> parseHeaders(String value) {
      Map<String, String> out = new LinkedHashMap<>();
      // '+' is literal here (percent-encoding, not form encoding): keep it in keys such as API
      // keys.
      for (String pair : value.replace("+", "%2B").split(",", -1)) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String key = URLDecoder.decode(pair.substring(0, eq).trim(), StandardCharsets.UTF_8);
        String val = URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8);
        if (!key.isEmpty()) {
          out.put(key, val);
        }
      }
      return out;
    }

    private static Duration millis(String value) {
      return Duration.ofMillis(Long.parseLong(value));
    }

    private static Duration requirePositive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }

    private static String requireCompression(String compression) {
      String c = Objects.requireNonNull(compression, "compression").trim().toLowerCase(Locale.ROOT);
      if (!c.equals("gzip") && !c.equals("none")) {
        throw new IllegalArgumentException("compression must be gzip or none: " + compression);
      }
      return c;
    }

    private static void requireHttpProtobuf(String protocol) {
      if (!protocol.equals("http/protobuf")) {
        throw new IllegalArgumentException("only http/protobuf is supported");
      }
    }

    private static String requireHttpUrl(String url) {
      Objects.requireNonNull(url, "url");
      String lower = url.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
        throw new IllegalArgumentException("not an http(s) URL: " + url);
      }
      return url;
    }
  }
}
