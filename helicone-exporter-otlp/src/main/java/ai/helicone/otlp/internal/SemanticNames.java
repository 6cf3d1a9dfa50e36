package ai.helicone.otlp.internal;

import java.util.List;

/**
 * Every span, metric and attribute name the OTLP exporter writes, kept together because the
 * OpenTelemetry GenAI conventions are still in development and their names keep moving.
 *
 * <p>The default names are those of OpenTelemetry semantic conventions v1.43.0 (the constants of
 * {@code io.opentelemetry.semconv:opentelemetry-semconv-incubating:1.43.0-alpha}, the newest on
 * Maven Central in November 2026). {@link Version#LATEST} switches the few names the GenAI
 * conventions renamed after that release, in their own repository
 * (open-telemetry/semantic-conventions-genai, not yet released as an artifact).
 */
public final class SemanticNames {
  private SemanticNames() {}

  /** Which GenAI names are written. */
  public enum Version {
    /** Semantic conventions v1.43.0. */
    DEFAULT(
        "gen_ai.usage.cache_creation.input_tokens",
        "gen_ai.client.token.usage",
        "gen_ai.client.token.usage"),
    /**
     * The newest development names: the cache write attribute, and the token usage histogram split
     * into one histogram per token type.
     */
    LATEST(
        "gen_ai.usage.cache_write.input_tokens",
        "gen_ai.client.inference.usage.input_tokens",
        "gen_ai.client.inference.usage.output_tokens");

    /** The span attribute with the tokens written to a provider cache. */
    public final String cacheWriteInputTokens;

    /** The token usage histogram of input tokens. */
    public final String inputTokenUsageMetric;

    /** The token usage histogram of output tokens. */
    public final String outputTokenUsageMetric;

    Version(String cacheWriteInputTokens, String inputTokenUsage, String outputTokenUsage) {
      this.cacheWriteInputTokens = cacheWriteInputTokens;
      this.inputTokenUsageMetric = inputTokenUsage;
      this.outputTokenUsageMetric = outputTokenUsage;
    }

    /** True when one histogram carries both token types, told apart by gen_ai.token.type. */
    public boolean sharedTokenHistogram() {
      return inputTokenUsageMetric.equals(outputTokenUsageMetric);
    }
  }

  /** The {@code OTEL_SEMCONV_STABILITY_OPT_IN} value that selects {@link Version#LATEST}. */
  public static final String GEN_AI_LATEST_EXPERIMENTAL = "gen_ai_latest_experimental";

  /** The instrumentation scope of every span and instrument. */
  public static final String SCOPE_NAME = "ai.helicone.otlp";

  /** The scope of the OpenTelemetry SDK's own metrics, which the exporter leaves out. */
  public static final String SDK_METRICS_SCOPE = "io.opentelemetry.sdk.metrics";

  // GenAI operation names (values of gen_ai.operation.name).
  public static final String OP_CHAT = "chat";
  public static final String OP_EMBEDDINGS = "embeddings";
  public static final String OP_TEXT_COMPLETION = "text_completion";
  public static final String OP_EXECUTE_TOOL = "execute_tool";

  // GenAI span attributes.
  public static final String GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
  public static final String GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
  public static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
  public static final String GEN_AI_REQUEST_TEMPERATURE = "gen_ai.request.temperature";
  public static final String GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  public static final String GEN_AI_REQUEST_TOP_P = "gen_ai.request.top_p";
  public static final String GEN_AI_REQUEST_FREQUENCY_PENALTY = "gen_ai.request.frequency_penalty";
  public static final String GEN_AI_REQUEST_PRESENCE_PENALTY = "gen_ai.request.presence_penalty";
  public static final String GEN_AI_REQUEST_STOP_SEQUENCES = "gen_ai.request.stop_sequences";
  public static final String GEN_AI_REQUEST_SEED = "gen_ai.request.seed";
  public static final String GEN_AI_REQUEST_STREAM = "gen_ai.request.stream";
  public static final String GEN_AI_RESPONSE_ID = "gen_ai.response.id";
  public static final String GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
  public static final String GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  public static final String GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK =
      "gen_ai.response.time_to_first_chunk";
  public static final String GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  public static final String GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS =
      "gen_ai.usage.cache_read.input_tokens";
  public static final String GEN_AI_USAGE_REASONING_OUTPUT_TOKENS =
      "gen_ai.usage.reasoning.output_tokens";
  public static final String GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";
  public static final String GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
  public static final String GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
  public static final String GEN_AI_SYSTEM_INSTRUCTIONS = "gen_ai.system_instructions";
  public static final String GEN_AI_TOOL_NAME = "gen_ai.tool.name";
  public static final String GEN_AI_TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
  public static final String GEN_AI_TOOL_CALL_RESULT = "gen_ai.tool.call.result";
  public static final String GEN_AI_TOKEN_TYPE = "gen_ai.token.type";
  public static final String TOKEN_TYPE_INPUT = "input";
  public static final String TOKEN_TYPE_OUTPUT = "output";

  // General attributes.
  public static final String SERVER_ADDRESS = "server.address";
  public static final String SERVER_PORT = "server.port";
  public static final String ERROR_TYPE = "error.type";
  public static final String ERROR_TYPE_OTHER = "_OTHER";
  public static final String ERROR_TYPE_CANCELLED = "cancelled";
  public static final String SESSION_ID = "session.id";
  public static final String USER_ID = "user.id";
  public static final String SERVICE_NAME = "service.name";

  // Helicone attributes.
  public static final String HELICONE_SESSION_PATH = "helicone.session.path";
  public static final String HELICONE_SESSION_NAME = "helicone.session.name";
  public static final String HELICONE_REQUEST_ID = "helicone.request_id";
  public static final String HELICONE_PROPERTY_PREFIX = "helicone.property.";
  public static final String HELICONE_COST_USD = "helicone.cost_usd";
  public static final String HELICONE_USAGE_ESTIMATED = "helicone.usage.estimated";
  public static final String HELICONE_TRACE_KIND = "helicone.trace.kind";
  public static final String HELICONE_TRACE_INPUT = "helicone.trace.input";
  public static final String HELICONE_TRACE_OUTPUT = "helicone.trace.output";

  // Helicone OTLP ingestion compatibility (older and Traceloop names).
  public static final String COMPAT_ASSOCIATION_PREFIX = "traceloop.association.properties.";
  public static final String COMPAT_SESSION_ID = COMPAT_ASSOCIATION_PREFIX + "Helicone-Session-Id";
  public static final String COMPAT_SESSION_PATH =
      COMPAT_ASSOCIATION_PREFIX + "Helicone-Session-Path";
  public static final String COMPAT_SESSION_NAME =
      COMPAT_ASSOCIATION_PREFIX + "Helicone-Session-Name";
  public static final String COMPAT_USER_ID = COMPAT_ASSOCIATION_PREFIX + "Helicone-User-Id";
  public static final String COMPAT_REQUEST_ID = COMPAT_ASSOCIATION_PREFIX + "Helicone-Request-Id";
  public static final String COMPAT_PROPERTY_PREFIX =
      COMPAT_ASSOCIATION_PREFIX + "Helicone-Property-";
  public static final String COMPAT_GEN_AI_SYSTEM = "gen_ai.system";
  public static final String COMPAT_PROMPT_TOKENS = "gen_ai.usage.prompt_tokens";
  public static final String COMPAT_COMPLETION_TOKENS = "gen_ai.usage.completion_tokens";
  public static final String COMPAT_TOTAL_TOKENS = "llm.usage.total_tokens";
  public static final String COMPAT_PROMPT_PREFIX = "gen_ai.prompt.";
  public static final String COMPAT_COMPLETION_PREFIX = "gen_ai.completion.";
  public static final String COMPAT_ROLE_SUFFIX = ".role";
  public static final String COMPAT_CONTENT_SUFFIX = ".content";
  public static final String COMPAT_FINISH_REASON_SUFFIX = ".finish_reason";

  // Span names of the session tree.
  public static final String SESSION_SPAN_NAME = "session";

  // Metrics.
  public static final String METRIC_TOKEN_USAGE_UNIT = "{token}";
  public static final String METRIC_OPERATION_DURATION = "gen_ai.client.operation.duration";
  public static final String METRIC_TIME_TO_FIRST_CHUNK =
      "gen_ai.client.operation.time_to_first_chunk";
  public static final String METRIC_SECONDS_UNIT = "s";
  public static final String METRIC_COST = "helicone.client.cost";
  public static final String METRIC_COST_UNIT = "USD";

  /** Token usage buckets from the conventions: 1, 4, 16, ... 67108864 (powers of 4). */
  public static final List<Long> TOKEN_BUCKETS = tokenBuckets();

  /** Duration buckets from the conventions: 0.01, 0.02, 0.04, ... 81.92 (doubling). */
  public static final List<Double> DURATION_BUCKETS = durationBuckets();

  private static List<Long> tokenBuckets() {
    Long[] b = new Long[14];
    long v = 1;
    for (int i = 0; i < b.length; i++, v *= 4) {
      b[i] = v;
    }
    return List.of(b);
  }

  private static List<Double> durationBuckets() {
    Double[] b = new Double[14];
    for (int i = 0; i < b.length; i++) {
      // Computed from integers so the bounds are exactly 0.01 * 2^i as written in the spec.
      b[i] = (1L << i) / 100.0;
    }
    return List.of(b);
  }
}
