package ai.helicone;

import ai.helicone.budget.AlertListener;
import ai.helicone.budget.Budget;
import ai.helicone.budget.BudgetExceededException;
import ai.helicone.budget.BurstAlert;
import ai.helicone.cost.PriceRegistry;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.HeliconeInternals;
import ai.helicone.internal.Services;
import ai.helicone.internal.capture.Admission;
import ai.helicone.internal.capture.CaptureInterceptor;
import ai.helicone.internal.capture.CaptureSettings;
import ai.helicone.internal.config.EnvSettings;
import ai.helicone.internal.context.ContextCapturers;
import ai.helicone.internal.context.ContextSnapshot;
import ai.helicone.internal.context.ContextStorage;
import ai.helicone.internal.context.MetadataRules;
import ai.helicone.internal.export.ExportOptions;
import ai.helicone.internal.export.ExportPipeline;
import ai.helicone.internal.export.RecordObserver;
import ai.helicone.internal.export.SpoolSettings;
import ai.helicone.internal.instrument.CallContexts;
import ai.helicone.internal.instrument.CallMetadata;
import ai.helicone.internal.instrument.GatewayInterceptor;
import ai.helicone.internal.instrument.HeliconeHeaders;
import ai.helicone.internal.instrument.MetadataResolver;
import ai.helicone.internal.metrics.BudgetTracker;
import ai.helicone.internal.metrics.BurstRule;
import ai.helicone.internal.metrics.MetricsCollector;
import ai.helicone.internal.record.LlmRecords;
import ai.helicone.internal.record.RecordOverrides;
import ai.helicone.metrics.HeliconeMetrics;
import ai.helicone.metrics.RecordListener;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ContextCapturer;
import ai.helicone.spi.ProviderAdapter;
import ai.helicone.spi.SdkDiagnostics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import okhttp3.Headers;
import okhttp3.OkHttpClient;

/**
 * The entry point: instruments OkHttp clients so that every LLM call made through them is captured,
 * attaches metadata (user, properties, sessions) to calls, records custom traces, and exports all
 * of it in the background.
 *
 * <pre>{@code
 * try (Helicone helicone = Helicone.builder().addExporter(exporter).build()) {
 *   OkHttpClient client = helicone.instrument(new OkHttpClient());
 *   try (HeliconeSession session = helicone.session("Document Analyzer").userId("u-1").start();
 *       Response response = client.newCall(request).execute()) {
 *     String answer = response.body().string(); // a response never read nor closed is not recorded
 *   }
 * }
 * }</pre>
 *
 * <p>Nothing the SDK does can slow or break the application's calls: capture copies bytes as the
 * application reads them, parsing and export run on background threads, and internal failures are
 * counted ({@link #stats()}) and logged through {@link System.Logger} ({@code ai.helicone}),
 * rate-limited, instead of thrown. Create one instance per application and {@link #close()} it on
 * shutdown to deliver what is still queued. Thread-safe.
 */
public final class Helicone implements AutoCloseable {
  static {
    HeliconeInternals.register(Helicone::diagnostics);
  }

  /** The default of {@link Builder#maxBufferedBytes(long)}: 32 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 32L << 20;

  private final Diagnostics diagnostics;
  private final ExportPipeline pipeline;
  private final List<HeliconeExporter> exporters;
  private final List<ProviderAdapter> adapters;
  private final ContextCapturers capturers;
  private final LlmRecords records;
  private final String serviceName;
  private final boolean omitRequestBodies;
  private final boolean omitResponseBodies;
  private final int maxCapturedBodyBytes;
  private final Duration closeTimeout;
  private final boolean enabled;
  private final MetricsCollector metrics;
  private final Admission admission;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private Helicone(Builder b) {
    this.diagnostics = new Diagnostics();
    this.enabled = b.enabled;
    this.serviceName = b.serviceName;
    this.omitRequestBodies = b.omitRequestBodies;
    this.omitResponseBodies = b.omitResponseBodies;
    this.maxCapturedBodyBytes = b.maxCapturedBodyBytes;
    this.closeTimeout = b.closeTimeout;

    List<ProviderAdapter> allAdapters = new ArrayList<>(b.adapters);
    allAdapters.addAll(Services.load(ProviderAdapter.class, diagnostics));
    this.adapters = List.copyOf(allAdapters);

    List<ContextCapturer> allCapturers =
        new ArrayList<>(Services.load(ContextCapturer.class, diagnostics));
    allCapturers.addAll(b.capturers);
    this.capturers =
        new ContextCapturers(
            allCapturers,
            serviceName == null ? Map.of() : Map.of("service.name", serviceName),
            diagnostics);

    this.exporters =
        b.exporters.isEmpty() && enabled
            ? List.of(JsonLinesExporter.builder().file(JsonLinesExporter.DEFAULT_FILE).build())
            : List.copyOf(b.exporters);
    ExportOptions options =
        new ExportOptions(
            b.queueCapacity,
            b.batchSize,
            b.batchDelay,
            b.maxExportAttempts,
            ExportOptions.DEFAULTS.initialBackoff(),
            ExportOptions.DEFAULTS.maxBackoff());
    adapters.forEach(adapter -> attach(adapter, adapter::attach));
    exporters.forEach(exporter -> attach(exporter, exporter::attach));
    BudgetTracker budgets =
        new BudgetTracker(
            b.budgets,
            b.alertListener,
            e -> diagnostics.error("alert-listener", "an alert listener failed", e),
            System::currentTimeMillis);
    this.metrics =
        new MetricsCollector(
            new MetricsCollector.Settings(b.metricsWindow, b.metricsTopKeys, b.metricsTopKeys),
            budgets,
            b.burstRules,
            b.recordListeners,
            b.alertListener,
            diagnostics,
            System::currentTimeMillis);
    this.admission = budgets.enforcesAny() ? Helicone.budgetAdmission(budgets) : Admission.ALL;
    // Disabled: no export or metrics thread is started; the exporters given are only closed on
    // close().
    this.pipeline =
        new ExportPipeline(
            enabled ? exporters : List.of(),
            options,
            b.maxBufferedBytes,
            diagnostics,
            enabled ? metrics : RecordObserver.NONE,
            enabled ? b.spool : null);
    if (enabled) {
      metrics.start();
    }
    this.records =
        new LlmRecords(
            pipeline, adapters, b.prices, omitRequestBodies, omitResponseBodies, diagnostics);
    this.shutdownHook = b.registerShutdownHook && enabled ? registerShutdownHook() : null;
  }

  private Thread registerShutdownHook() {
    Thread hook = new Thread(this::closeOnExit, "helicone-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return hook;
    } catch (IllegalStateException | SecurityException e) {
      diagnostics.error("shutdown-hook", "could not register the shutdown hook", e);
      return null;
    }
  }

  /** Runs when the JVM exits without {@link #close()}: deliver what is queued, bounded. */
  private void closeOnExit() {
    if (closed.compareAndSet(false, true)) {
      if (!pipeline.close(closeTimeout)) {
        diagnostics.warn(
            "close",
            "JVM exit: not every record could be exported within the close timeout "
                + closeTimeout);
      }
    }
  }

  private static Admission budgetAdmission(BudgetTracker budgets) {
    return metadata -> {
      if (metadata instanceof CallMetadata call) {
        BudgetExceededException refusal =
            budgets.check(call.userId(), call.sessionId(), call.properties());
        if (refusal != null) {
          throw refusal;
        }
      }
    };
  }

  private void attach(Object component, Consumer<SdkDiagnostics> attach) {
    try {
      attach.accept(diagnostics);
    } catch (RuntimeException | LinkageError e) {
      diagnostics.error(
          "attach", component.getClass().getName() + ".attach(diagnostics) failed; ignored", e);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An instance configured from environment variables and system properties: {@code
   * builder().fromEnv().build()}. See {@link Builder#fromEnv()}.
   *
   * @throws IllegalArgumentException when a value is invalid; the message names the variable
   */
  public static Helicone fromEnv() {
    return builder().fromEnv().build();
  }

  /**
   * A client that captures every call: a new client built from {@code existing}, sharing its
   * connection pool, dispatcher and settings; {@code existing} itself is not changed.
   *
   * <p>The capture runs first among the application interceptors, so it records the request as the
   * application built it (without {@code Helicone-*} headers, which are removed before the request
   * goes out) and the response as the application reads it; headers that the client's own
   * interceptors add later are sent as they are and not recorded. The caller's context is taken
   * when the call is created ({@code newCall}), so asynchronous calls carry it too. The client's
   * own {@link okhttp3.EventListener} keeps receiving every event. A client that is already
   * instrumented is returned as it is, so that no call is recorded twice.
   *
   * @throws IllegalArgumentException if {@code existing} was made by {@link #instrumentForGateway}:
   *     the two modes exclude each other
   */
  public OkHttpClient instrument(OkHttpClient existing) {
    Objects.requireNonNull(existing, "existing");
    if (!enabled) {
      return existing;
    }
    if (has(existing, CaptureInterceptor.class)) {
      // Capturing twice would record every call twice; the client already does what is asked.
      diagnostics.warn("instrument-twice", "client is already instrumented; returned unchanged");
      return existing;
    }
    if (has(existing, GatewayInterceptor.class)) {
      throw new IllegalArgumentException(
          "client is set up for Helicone's gateway, which records its calls itself; capturing them"
              + " too would log every call twice and strip the gateway's Helicone-Auth header."
              + " Instrument the original client instead.");
    }
    CallContexts contexts =
        new CallContexts(existing.eventListenerFactory(), capturers, diagnostics);
    OkHttpClient.Builder b = existing.newBuilder().eventListenerFactory(contexts);
    b.interceptors()
        .add(
            0,
            new CaptureInterceptor(
                new CaptureSettings(maxCapturedBodyBytes, adapters, diagnostics, admission),
                new MetadataResolver(contexts, diagnostics),
                records));
    return b.build();
  }

  /**
   * A client for calls routed through Helicone's gateway, which records them on Helicone's side:
   * nothing is captured or exported here. Each request gets {@code Helicone-Auth: Bearer <key>}, a
   * {@code Helicone-Request-Id}, and the current context (user, properties, session, privacy flags)
   * as {@code Helicone-*} headers; headers the request already carries win. Point the client at the
   * gateway, {@code https://ai-gateway.helicone.ai} (unified gateway) or {@code
   * https://oai.helicone.ai/v1} (OpenAI-compatible proxy), instead of the provider. The key never
   * appears in a record, a log line or a {@code toString()}.
   *
   * <p>A client already set up for the gateway is returned as it is. When the instance is
   * {@linkplain Builder#enabled(boolean) disabled}, the headers are still added: the gateway needs
   * {@code Helicone-Auth} to forward the calls at all.
   *
   * @param existing the client to derive from; not changed
   * @param heliconeApiKey the Helicone API key
   * @throws IllegalArgumentException if the key is empty or not a valid header value, or if {@code
   *     existing} was made by {@link #instrument}: the two modes exclude each other
   */
  public OkHttpClient instrumentForGateway(OkHttpClient existing, String heliconeApiKey) {
    Objects.requireNonNull(existing, "existing");
    if (heliconeApiKey == null || heliconeApiKey.isBlank()) {
      throw new IllegalArgumentException("heliconeApiKey must not be empty");
    }
    MetadataRules.requireHeaderValue("heliconeApiKey", heliconeApiKey);
    if (has(existing, GatewayInterceptor.class)) {
      diagnostics.warn(
          "gateway-twice", "client is already set up for the gateway; returned unchanged");
      return existing;
    }
    if (has(existing, CaptureInterceptor.class)) {
      throw new IllegalArgumentException(
          "client is instrumented to capture calls, which removes Helicone-* headers before they"
              + " leave; set up the gateway on the original client instead.");
    }
    CallContexts contexts =
        new CallContexts(existing.eventListenerFactory(), capturers, diagnostics);
    OkHttpClient.Builder b = existing.newBuilder().eventListenerFactory(contexts);
    b.interceptors().add(0, new GatewayInterceptor(heliconeApiKey, contexts, diagnostics));
    return b.build();
  }

  private static boolean has(OkHttpClient client, Class<? extends okhttp3.Interceptor> type) {
    return client.interceptors().stream().anyMatch(type::isInstance);
  }

  /** Starts describing metadata to attach to the current thread; see {@link ContextBuilder}. */
  public ContextBuilder context() {
    return new ContextBuilder(this);
  }

  /** Starts describing a session with the given name; see {@link SessionBuilder}. */
  public SessionBuilder session(String name) {
    return new SessionBuilder(this, name);
  }

  /** Starts describing a custom trace with the given name; see {@link TraceBuilder}. */
  public TraceBuilder trace(String name) {
    return new TraceBuilder(this, name);
  }

  /**
   * Starts describing an LLM call made without an instrumented client, to record it like a captured
   * one; see {@link LogBuilder}.
   */
  public LogBuilder log() {
    return new LogBuilder(this);
  }

  /**
   * The context current on this thread (user, properties, session id, path and name, privacy flags,
   * and the request id when one is set), as Helicone's {@code Helicone-*} request headers; empty
   * when there is none.
   *
   * <p>This is how the context reaches a call that an SDK creates on its own thread, where the
   * application's context is not current: read the headers on the application's thread, where the
   * SDK is called, and send them as request headers of that call (most SDKs take per-request or
   * per-client headers). An instrumented client reads them on whatever thread the call runs, with a
   * header winning over the context of that thread, and removes every {@code Helicone-*} header
   * before the request leaves. The integration modules do this for the SDKs they cover. Values
   * captured by {@link ContextCapturer}s (such as an OpenTelemetry span) are not carried.
   *
   * @return a new, modifiable map in a stable order
   */
  public Map<String, String> contextHeaders() {
    return HeliconeHeaders.of(ContextStorage.current());
  }

  /**
   * A task that runs with the context current now (session, path, user, properties), on whatever
   * thread runs it; afterwards that thread's own context is restored.
   */
  public Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    ContextSnapshot snapshot = ContextStorage.current();
    return () -> {
      HeliconeScope scope = ContextStorage.attach(snapshot, diagnostics);
      try {
        task.run();
      } finally {
        scope.close();
      }
    };
  }

  /** Like {@link #wrap(Runnable)}, for a task with a result. */
  public <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    ContextSnapshot snapshot = ContextStorage.current();
    return () -> {
      HeliconeScope scope = ContextStorage.attach(snapshot, diagnostics);
      try {
        return task.call();
      } finally {
        scope.close();
      }
    };
  }

  /**
   * An executor that runs each task with the context that was current when the task was submitted.
   * Nothing is left on the executor's threads after a task. For an {@link ExecutorService}, the
   * {@link #wrap(ExecutorService)} overload keeps its whole API.
   */
  public Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return new ContextExecutor(executor);
  }

  /**
   * Like {@link #wrap(Executor)}, for an executor service: tasks run with the context current when
   * they were submitted; shutting down the returned service shuts down {@code executor}.
   */
  public ExecutorService wrap(ExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return new ContextExecutorService(executor);
  }

  /** Submissions go through {@link #execute}, so every task carries its submitter's context. */
  private final class ContextExecutorService extends AbstractExecutorService {
    private final ExecutorService delegate;

    ContextExecutorService(ExecutorService delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(wrap(command));
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
      return "HeliconeContextExecutorService{" + delegate + '}';
    }
  }

  private final class ContextExecutor implements Executor {
    private final Executor delegate;

    ContextExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(wrap(command));
    }

    @Override
    public String toString() {
      return "HeliconeContextExecutor{" + delegate + '}';
    }
  }

  /**
   * Waits until every record queued so far is exported and counted in {@link #metrics()}, or until
   * the timeout. True when all of them were delivered in time; false on timeout or when an exporter
   * failed. The calls themselves never wait for export.
   */
  public boolean flush(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean exported = pipeline.flush(timeout);
    return (!enabled || metrics.awaitAggregated(deadline)) && exported;
  }

  /**
   * Live aggregates of the LLM calls recorded so far: requests, errors, rate limits, tokens, cost,
   * cache hit rate, latency and time-to-first-token percentiles, in total and by provider, model,
   * operation, user, session and custom property, since start and over the sliding window ({@link
   * Builder#metricsWindow}). Computed on a background thread from the same records the exporters
   * get, whether or not they are delivered; a call shows up within about 20 ms after it ends, and
   * {@link #flush} waits for it.
   */
  public HeliconeMetrics metrics() {
    return metrics.snapshot();
  }

  /**
   * Counters of exported, dropped, failed and queued records (summed over the exporters), of
   * contained SDK errors, and of the bytes held for export.
   */
  public HeliconeStats stats() {
    return pipeline.stats();
  }

  /**
   * The same counters for each exporter, keyed by the exporter's class name (with {@code #2},
   * {@code #3}, ... when several exporters share a class), in the order they were added. The
   * SDK-wide counters ({@code sdkErrors}, bytes) are the same in each.
   */
  public Map<String, HeliconeStats> statsByExporter() {
    return pipeline.statsByExporter();
  }

  /**
   * Delivers what is queued (waiting at most the close timeout, 10 s by default), then stops the
   * export threads and closes the exporters. When it returns, no export thread runs and no exporter
   * is called again: an exporter still busy after the timeout is interrupted and, if it ignores
   * that, abandoned with a logged warning, its records counted as failed. Instrumented clients keep
   * working afterwards, without recording: their calls and traces are counted as dropped in {@link
   * #stats()}. Calling it again does nothing.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      removeShutdownHook();
      if (!enabled) {
        pipeline.close(closeTimeout);
        exporters.forEach(this::closeUnused);
        return;
      }
      if (!pipeline.close(closeTimeout)) {
        diagnostics.warn(
            "close", "not every record could be exported before the close timeout " + closeTimeout);
      }
      metrics.close(Duration.ofSeconds(1));
    }
  }

  private void closeUnused(HeliconeExporter exporter) {
    try {
      exporter.close();
    } catch (RuntimeException e) {
      diagnostics.error("close", exporter + ".close() failed; ignored", e);
    }
  }

  private void removeShutdownHook() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | SecurityException e) {
        // The JVM is already exiting (close() called from another hook): nothing to remove.
      }
    }
  }

  // Package-private hooks for sessions, scopes and traces.

  Diagnostics diagnostics() {
    return diagnostics;
  }

  Map<String, String> captureAttributes() {
    return capturers.capture();
  }

  boolean omitRequestBodies() {
    return omitRequestBodies;
  }

  boolean omitResponseBodies() {
    return omitResponseBodies;
  }

  void submit(HeliconeRecord record) {
    if (!enabled) {
      return;
    }
    try {
      pipeline.submit(record);
    } catch (RuntimeException e) {
      diagnostics.error("submit", "could not queue a trace", e);
    }
  }

  /** Records a call logged by hand, with the context of the calling thread; its request id. */
  String log(CapturedExchange exchange, RecordOverrides overrides) {
    CallMetadata metadata =
        HeliconeHeaders.resolve(
            new CallContexts.Captured(ContextStorage.current(), capturers.capture()),
            Headers.of(),
            diagnostics);
    records.submit(metadata, exchange, overrides);
    return metadata.requestId();
  }

  void sessionEnded(String id, String name) {
    try {
      pipeline.sessionEnded(id, name);
    } catch (RuntimeException e) {
      diagnostics.error("session-end", "could not report the end of a session", e);
    }
  }

  @Override
  public String toString() {
    return "Helicone{"
        + (enabled ? "" : "disabled, ")
        + "serviceName="
        + serviceName
        + ", exporters="
        + exporters
        + ", adapters="
        + adapters.stream().map(Helicone::adapterName).toList()
        + '}';
  }

  private static String adapterName(ProviderAdapter adapter) {
    try {
      return adapter.name();
    } catch (RuntimeException e) {
      return adapter.getClass().getSimpleName();
    }
  }

  /** Builds a {@link Helicone}. Not thread-safe. */
  public static final class Builder {
    private final List<HeliconeExporter> exporters = new ArrayList<>();
    private final List<ProviderAdapter> adapters = new ArrayList<>();
    private final List<ContextCapturer> capturers = new ArrayList<>();
    private String serviceName;
    private boolean omitRequestBodies;
    private boolean omitResponseBodies;
    private int maxCapturedBodyBytes = 1 << 20;
    private PriceRegistry prices = PriceRegistry.defaults();
    private int queueCapacity = ExportOptions.DEFAULTS.queueCapacity();
    private int batchSize = ExportOptions.DEFAULTS.maxBatchSize();
    private Duration batchDelay = ExportOptions.DEFAULTS.batchDelay();
    private int maxExportAttempts = ExportOptions.DEFAULTS.maxAttempts();
    private Duration closeTimeout = Duration.ofSeconds(10);
    private boolean enabled = true;
    private Duration metricsWindow = Duration.ofMinutes(5);
    private int metricsTopKeys = 20;
    private final List<RecordListener> recordListeners = new ArrayList<>();
    private final List<Budget> budgets = new ArrayList<>();
    private final List<BurstRule> burstRules = new ArrayList<>();
    private AlertListener alertListener = new AlertListener() {};
    private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
    private boolean registerShutdownHook = true;
    private SpoolSettings spool;

    private Builder() {}

    /**
     * Applies the settings found in the environment variables and system properties (a system
     * property wins over its variable): the {@code HELICONE_*} settings of README's configuration
     * table, such as {@code HELICONE_EXPORTERS=jsonl,helicone,otlp} (each named exporter is created
     * from its own variables, {@code OTEL_*} for {@code otlp}), {@code HELICONE_ENABLED=false} or
     * {@code HELICONE_QUEUE_CAPACITY}. The system property of a variable is its name in lower case
     * with dots: {@code helicone.api.key} for {@code HELICONE_API_KEY}. Settings that are not set
     * are left as they are; methods called after this one override what it applied.
     *
     * @throws IllegalArgumentException when a value is invalid or a named exporter's module is not
     *     on the class path; the message names the variable
     */
    public Builder fromEnv() {
      return fromEnv(System.getenv(), EnvSettings.systemProperties());
    }

    /**
     * Like {@link #fromEnv()}, reading the given variables instead of the process's environment and
     * system properties (for tests, or configuration kept elsewhere).
     */
    public Builder fromEnv(Map<String, String> variables) {
      return fromEnv(Objects.requireNonNull(variables, "variables"), Map.of());
    }

    Builder fromEnv(Map<String, String> env, Map<String, String> systemProperties) {
      EnvSettings.apply(this, EnvSettings.merge(env, systemProperties), systemProperties);
      return this;
    }

    /**
     * False turns capture off: {@link Helicone#instrument} returns the client it is given,
     * unchanged, traces run without being recorded, and no export thread starts. For switching the
     * SDK off by configuration ({@code HELICONE_ENABLED=false}) without changing code. True by
     * default.
     */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * Keeps records that an exporter cannot deliver (its endpoint is down, retries ran out, its
     * queue is full, or the instance is closed with records still queued) in a bounded log on disk
     * under {@code directory}, one sub-directory per exporter, and re-sends them in order when the
     * exporter takes records again, also from a new instance after a restart. Delivery is at least
     * once. Off by default. See the README, "Durable spool".
     *
     * @param directory created when missing; must not be shared by two running instances
     * @param maxBytes the most bytes the spool takes on disk, shared equally by the exporters; past
     *     it the oldest records are dropped and counted (at least 64 KiB)
     */
    public Builder spool(Path directory, long maxBytes) {
      this.spool = new SpoolSettings(directory, maxBytes);
      return this;
    }

    /**
     * Adds a destination for records. Each exporter gets its own queue and thread. Without any, a
     * {@link JsonLinesExporter} writes to {@code helicone-logs/helicone.jsonl}.
     */
    public Builder addExporter(HeliconeExporter exporter) {
      exporters.add(Objects.requireNonNull(exporter, "exporter"));
      return this;
    }

    /**
     * The application's name, recorded as the {@code service.name} context attribute of every
     * record (the JSON Lines file shows it under {@code contextAttributes}). The OTLP exporter does
     * not read it: give that exporter its own service name.
     */
    public Builder serviceName(String serviceName) {
      this.serviceName = MetadataRules.requireText("serviceName", serviceName);
      return this;
    }

    /** Leaves every request body (and trace input) out of the records; false by default. */
    public Builder omitRequestBodies(boolean omit) {
      this.omitRequestBodies = omit;
      return this;
    }

    /** Leaves every response body (and trace output) out of the records; false by default. */
    public Builder omitResponseBodies(boolean omit) {
      this.omitResponseBodies = omit;
      return this;
    }

    /**
     * The most bytes captured of each request and response body, 1 MiB by default. Longer bodies
     * still reach the application and the provider in full; the record keeps their start and is
     * flagged as truncated.
     */
    public Builder maxCapturedBodyBytes(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxCapturedBodyBytes must not be negative: " + bytes);
      }
      this.maxCapturedBodyBytes = bytes;
      return this;
    }

    /**
     * Adds a provider adapter. Adapters added here are asked before those found with {@link
     * java.util.ServiceLoader}, in the order they were added.
     */
    public Builder addAdapter(ProviderAdapter adapter) {
      adapters.add(Objects.requireNonNull(adapter, "adapter"));
      return this;
    }

    /** The prices used to compute costs; {@link PriceRegistry#defaults()} when not set. */
    public Builder prices(PriceRegistry prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /**
     * Adds a capturer of context values (such as an OpenTelemetry span) taken on the caller's
     * thread; it runs after those found with {@link java.util.ServiceLoader}, and its values win.
     */
    public Builder addContextCapturer(ContextCapturer capturer) {
      capturers.add(Objects.requireNonNull(capturer, "capturer"));
      return this;
    }

    /** How many records each exporter's queue holds before new ones are dropped; 2048. */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = requirePositive(capacity, "queueCapacity");
      return this;
    }

    /** The most records passed to one export call; 512. */
    public Builder batchSize(int size) {
      this.batchSize = requirePositive(size, "batchSize");
      return this;
    }

    /** How long a worker waits for a batch to fill before exporting what it has; 1 s. */
    public Builder batchDelay(Duration delay) {
      this.batchDelay = requireNotNegative(delay, "batchDelay");
      return this;
    }

    /** How often a batch that failed with a retryable error is tried in all; 5. */
    public Builder maxExportAttempts(int attempts) {
      this.maxExportAttempts = requirePositive(attempts, "maxExportAttempts");
      return this;
    }

    /**
     * The most bytes the SDK holds for export at once, over all exporters: captured bodies of
     * finished calls and queued records, each record counted once however many exporters share it.
     * 32 MiB by default: a few seconds of heavy traffic at most, about 6% of a 512 MB heap, so that
     * a collector that is down or hanging can never cost the application its memory, while normal
     * bursts (hundreds of calls with large bodies) still fit.
     *
     * <p>When a finished call's record would not fit, the newest record is dropped for every
     * exporter (the records already queued are older and closer to delivery), counted in {@link
     * HeliconeStats#droppedOverBudget()} and {@link HeliconeStats#dropped()}, and logged at most
     * once a minute. Captures still in progress are not counted: they are bounded by the number of
     * concurrent calls times {@link #maxCapturedBodyBytes}.
     *
     * <p>Once a record was refused, calls that start before the budget is back under three quarters
     * of its limit are not captured at all (they are sent as usual, at the cost of an
     * uninstrumented call) and are counted the same way.
     */
    public Builder maxBufferedBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBufferedBytes must be at least 1: " + bytes);
      }
      this.maxBufferedBytes = bytes;
      return this;
    }

    /**
     * Whether to close the instance when the JVM exits without {@link Helicone#close()}, so that
     * queued records are delivered (within the close timeout); true by default. The hook keeps the
     * instance reachable until it is closed; {@link Helicone#close()} removes it.
     */
    public Builder registerShutdownHook(boolean register) {
      this.registerShutdownHook = register;
      return this;
    }

    /** How long {@link Helicone#close()} waits for queued records to be exported; 10 s. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = requireNotNegative(timeout, "closeTimeout");
      return this;
    }

    private static int requirePositive(int value, String what) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1: " + value);
      }
      return value;
    }

    private static Duration requireNotNegative(Duration value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + value);
      }
      return value;
    }

    /** Builds the instance and starts one export thread per exporter. */
    /**
     * The length of the sliding window of {@link Helicone#metrics()} (default 5 minutes, at least 3
     * seconds).
     */
    public Builder metricsWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.compareTo(Duration.ofSeconds(3)) < 0) {
        throw new IllegalArgumentException("metricsWindow must be at least 3 s, was " + window);
      }
      this.metricsWindow = window;
      return this;
    }

    /**
     * How many values each grouping of {@link Helicone#metrics()} keeps (models, users, sessions,
     * values of each property; default 20), and how many property names get a grouping. The busiest
     * values keep their rows; the rest are summed under {@code (other)}. This bounds the metrics'
     * memory: each row holds two histograms of a few kilobytes, kept for the totals since start and
     * for each of the window's four slices.
     */
    public Builder metricsTopKeys(int keys) {
      if (keys < 1) {
        throw new IllegalArgumentException("metricsTopKeys must be at least 1, was " + keys);
      }
      this.metricsTopKeys = keys;
      return this;
    }

    /** Receives every finished record on the metrics thread (see {@link RecordListener}). */
    public Builder addRecordListener(RecordListener listener) {
      recordListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Adds a spending limit; see {@link Budget}. */
    public Builder addBudget(Budget budget) {
      budgets.add(Objects.requireNonNull(budget, "budget"));
      return this;
    }

    /** Hears budget thresholds and failure bursts (one listener; the last one set wins). */
    public Builder alertListener(AlertListener listener) {
      this.alertListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Tells the alert listener when {@code count} calls end in error (rate limits apart) within
     * {@code window}; after an alert it stays quiet for one window.
     */
    public Builder alertOnErrors(int count, Duration window) {
      burstRules.add(new BurstRule(BurstAlert.Kind.ERRORS, count, window));
      return this;
    }

    /**
     * Tells the alert listener when {@code count} calls are rate limited (HTTP 429) in {@code
     * window}.
     */
    public Builder alertOnRateLimits(int count, Duration window) {
      burstRules.add(new BurstRule(BurstAlert.Kind.RATE_LIMITS, count, window));
      return this;
    }

    public Helicone build() {
      return new Helicone(this);
    }

    @Override
    public String toString() {
      return "Helicone.Builder{exporters=" + exporters + ", adapters=" + adapters.size() + '}';
    }
  }
}
