package ai.helicone.otlp.internal;

import static ai.helicone.otlp.internal.SemanticNames.*;

import ai.helicone.TraceKind;
import ai.helicone.internal.HeliconeProviderNames;
import ai.helicone.otlp.internal.MessageContent.Message;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns records into GenAI spans and their attributes. Stateless and thread-safe. */
public final class RecordSpanMapper {
  /** Where a record's span goes: its trace and, when it has one, its parent. */
  public static final class Placement {
    final String traceId;
    final SpanContext parent;

    public Placement(String traceId, SpanContext parent) {
      this.traceId = traceId;
      this.parent = parent;
    }
  }

  private static final Map<String, String> PROVIDERS =
      Map.of(
          "openai", "openai",
          "azure", "azure.ai.openai",
          "anthropic", "anthropic",
          "google", "gcp.gemini",
          "groq", "groq",
          "deepseek", "deepseek",
          "mistral", "mistral_ai",
          "xai", "x_ai");

  private static final Pattern EXCEPTION_CLASS =
      Pattern.compile("([A-Za-z_$][\\w$]*\\.)*[A-Za-z_$][\\w$]*(Exception|Error|Throwable)");

  private static final int MAX_STATUS_DESCRIPTION = 512;

  /**
   * What the spans carry.
   *
   * @param captureContent message content and trace input/output
   * @param heliconeCompatible the names Helicone's OTLP ingestion reads, its provider names
   * @param names the GenAI names written
   */
  public record Options(
      boolean captureContent, boolean heliconeCompatible, SemanticNames.Version names) {}

  private final boolean captureContent;
  private final boolean heliconeCompatible;
  private final SemanticNames.Version names;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;

  public RecordSpanMapper(Options options, Resource resource, InstrumentationScopeInfo scope) {
    this.captureContent = options.captureContent();
    this.heliconeCompatible = options.heliconeCompatible();
    this.names = options.names();
    this.resource = resource;
    this.scope = scope;
  }

  /** The span of one record, placed in the given trace under the given parent. */
  public ExportedSpan toSpan(HeliconeRecord r, Placement placement) {
    SpanContext ctx =
        SpanContext.create(
            placement.traceId,
            Ids.recordSpanId(r.id()),
            TraceFlags.getSampled(),
            TraceState.getDefault());
    AttributesBuilder a = Attributes.builder();
    String name;
    SpanKind kind;
    if (r.type() == RecordType.TRACE) {
      TraceKind traceKind = r.kind() == null ? TraceKind.CUSTOM : r.kind();
      String traceName = r.name() == null ? "unnamed" : r.name();
      kind = SpanKind.INTERNAL;
      name = traceAttributes(r, traceKind, traceName, a);
    } else {
      kind = SpanKind.CLIENT;
      name = llmAttributes(r, a);
    }
    commonAttributes(r, a);
    String errorType = errorType(r);
    StatusData status = StatusData.unset();
    if (errorType != null) {
      a.put(ERROR_TYPE, errorType);
      status = StatusData.create(StatusCode.ERROR, statusDescription(r));
    }
    return new ExportedSpan(
        name,
        kind,
        ctx,
        placement.parent,
        status,
        nanos(r.startTime()),
        nanos(r.endTime()),
        a.build(),
        resource,
        scope);
  }

  /**
   * A span of the session tree: the root ({@code path} empty) or the node of one path prefix such
   * as {@code /a/b}.
   */
  public ExportedSpan sessionNodeSpan(
      String sessionId,
      String sessionName,
      String path,
      String parentSpanId,
      long startNanos,
      long endNanos) {
    String traceId = Ids.sessionTraceId(sessionId);
    SpanContext ctx =
        SpanContext.create(
            traceId,
            Ids.pathSpanId(sessionId, path),
            TraceFlags.getSampled(),
            TraceState.getDefault());
    SpanContext parent =
        parentSpanId == null
            ? null
            : SpanContext.create(
                traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault());
    AttributesBuilder a = Attributes.builder();
    a.put(SESSION_ID, sessionId);
    a.put(GEN_AI_CONVERSATION_ID, sessionId);
    putIfNotNull(a, HELICONE_SESSION_NAME, sessionName);
    if (!path.isEmpty()) {
      a.put(HELICONE_SESSION_PATH, path);
    }
    if (heliconeCompatible) {
      a.put(COMPAT_SESSION_ID, sessionId);
      putIfNotNull(a, COMPAT_SESSION_NAME, sessionName);
      if (!path.isEmpty()) {
        a.put(COMPAT_SESSION_PATH, path);
      }
    }
    String name =
        path.isEmpty()
            ? (sessionName == null ? SESSION_SPAN_NAME : SESSION_SPAN_NAME + ' ' + sessionName)
            : path;
    return new ExportedSpan(
        name,
        SpanKind.INTERNAL,
        ctx,
        parent,
        StatusData.unset(),
        startNanos,
        endNanos,
        a.build(),
        resource,
        scope);
  }

  private String llmAttributes(HeliconeRecord r, AttributesBuilder a) {
    String operation = operationName(r.operation());
    String provider = providerName(r.provider());
    String requestModel = requestModel(r);
    a.put(GEN_AI_OPERATION_NAME, operation);
    putIfNotNull(a, GEN_AI_PROVIDER_NAME, provider);
    putIfNotNull(a, GEN_AI_REQUEST_MODEL, requestModel);
    requestParameters(r.requestParameters(), a);
    a.put(GEN_AI_REQUEST_STREAM, r.stream());
    putIfNotNull(a, GEN_AI_RESPONSE_ID, r.responseId());
    putIfNotNull(a, GEN_AI_RESPONSE_MODEL, r.model());
    if (!r.finishReasons().isEmpty()) {
      a.put(AttributeKey.stringArrayKey(GEN_AI_RESPONSE_FINISH_REASONS), r.finishReasons());
    }
    if (r.timeToFirstToken() != null) {
      a.put(GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, seconds(r.timeToFirstToken()));
    }
    Usage u = r.usage();
    if (u != null) {
      putIfNotNull(a, GEN_AI_USAGE_INPUT_TOKENS, u.inputTokens());
      putIfNotNull(a, GEN_AI_USAGE_OUTPUT_TOKENS, u.outputTokens());
      putIfNotNull(a, GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, u.cachedInputTokens());
      putIfNotNull(a, names.cacheWriteInputTokens, u.cacheWriteTokens());
      putIfNotNull(a, GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, u.reasoningTokens());
      a.put(HELICONE_USAGE_ESTIMATED, u.estimated());
    }
    if (r.costUsd() != null) {
      a.put(HELICONE_COST_USD, r.costUsd().doubleValue());
    }
    serverAttributes(r.request(), a);
    if (heliconeCompatible) {
      // Helicone takes the provider from gen_ai.system, upper-cased: give it its own names.
      a.put(COMPAT_GEN_AI_SYSTEM, HeliconeProviderNames.of(r.provider()));
      if (u != null) {
        putIfNotNull(a, COMPAT_PROMPT_TOKENS, u.inputTokens());
        putIfNotNull(a, COMPAT_COMPLETION_TOKENS, u.outputTokens());
        putIfNotNull(a, COMPAT_TOTAL_TOKENS, u.totalTokens());
      }
    }
    if (captureContent) {
      messageContent(r, a);
    }
    return requestModel == null ? operation : operation + ' ' + requestModel;
  }

  private String traceAttributes(
      HeliconeRecord r, TraceKind traceKind, String traceName, AttributesBuilder a) {
    if (traceKind == TraceKind.TOOL) {
      a.put(GEN_AI_OPERATION_NAME, OP_EXECUTE_TOOL);
      a.put(GEN_AI_TOOL_NAME, traceName);
      if (captureContent) {
        putBody(a, GEN_AI_TOOL_CALL_ARGUMENTS, r.input());
        putBody(a, GEN_AI_TOOL_CALL_RESULT, r.output());
      }
      return OP_EXECUTE_TOOL + ' ' + traceName;
    }
    String kindName = traceKind.name().toLowerCase(Locale.ROOT);
    a.put(HELICONE_TRACE_KIND, kindName);
    if (captureContent) {
      putBody(a, HELICONE_TRACE_INPUT, r.input());
      putBody(a, HELICONE_TRACE_OUTPUT, r.output());
    }
    return kindName + ' ' + traceName;
  }

  private void commonAttributes(HeliconeRecord r, AttributesBuilder a) {
    a.put(HELICONE_REQUEST_ID, r.id());
    if (r.sessionId() != null) {
      a.put(SESSION_ID, r.sessionId());
      a.put(GEN_AI_CONVERSATION_ID, r.sessionId());
    }
    putIfNotNull(a, HELICONE_SESSION_PATH, r.sessionPath());
    putIfNotNull(a, HELICONE_SESSION_NAME, r.sessionName());
    putIfNotNull(a, USER_ID, r.userId());
    for (Map.Entry<String, String> p : r.properties().entrySet()) {
      a.put(HELICONE_PROPERTY_PREFIX + p.getKey(), p.getValue());
    }
    if (heliconeCompatible) {
      a.put(COMPAT_REQUEST_ID, r.id());
      putIfNotNull(a, COMPAT_SESSION_ID, r.sessionId());
      putIfNotNull(a, COMPAT_SESSION_PATH, r.sessionPath());
      putIfNotNull(a, COMPAT_SESSION_NAME, r.sessionName());
      putIfNotNull(a, COMPAT_USER_ID, r.userId());
      for (Map.Entry<String, String> p : r.properties().entrySet()) {
        a.put(COMPAT_PROPERTY_PREFIX + p.getKey(), p.getValue());
      }
    }
  }

  private void messageContent(HeliconeRecord r, AttributesBuilder a) {
    JsonNode request = jsonBody(r.request());
    List<Message> input = List.of();
    List<Map<String, Object>> system = List.of();
    if (request != null && !OP_EMBEDDINGS.equals(operationName(r.operation()))) {
      input = MessageContent.inputMessages(request);
      system = MessageContent.systemInstructions(request);
    }
    List<Message> output = MessageContent.outputMessages(jsonBody(r.response()), r.finishReasons());
    if (!input.isEmpty()) {
      a.put(GEN_AI_INPUT_MESSAGES, MessageContent.messagesJson(input));
    }
    if (!system.isEmpty()) {
      a.put(GEN_AI_SYSTEM_INSTRUCTIONS, MessageContent.toJson(system));
    }
    if (!output.isEmpty()) {
      a.put(GEN_AI_OUTPUT_MESSAGES, MessageContent.messagesJson(output));
    }
    if (heliconeCompatible) {
      List<Message> prompts = new ArrayList<>();
      if (!system.isEmpty()) {
        prompts.add(new Message("system", system, null));
      }
      prompts.addAll(input);
      for (int i = 0; i < prompts.size(); i++) {
        Message m = prompts.get(i);
        putIfNotNull(a, COMPAT_PROMPT_PREFIX + i + COMPAT_ROLE_SUFFIX, m.role);
        a.put(COMPAT_PROMPT_PREFIX + i + COMPAT_CONTENT_SUFFIX, m.text());
      }
      for (int i = 0; i < output.size(); i++) {
        Message m = output.get(i);
        putIfNotNull(a, COMPAT_COMPLETION_PREFIX + i + COMPAT_ROLE_SUFFIX, m.role);
        a.put(COMPAT_COMPLETION_PREFIX + i + COMPAT_CONTENT_SUFFIX, m.text());
        putIfNotNull(a, COMPAT_COMPLETION_PREFIX + i + COMPAT_FINISH_REASON_SUFFIX, m.finishReason);
      }
    }
  }

  /** The request body as JSON, unless it was omitted, truncated or is not JSON. */
  private static JsonNode jsonBody(CapturedRequest request) {
    if (request == null || request.omitted() || request.truncated()) {
      return null;
    }
    return jsonBody(request.body());
  }

  private static JsonNode jsonBody(CapturedResponse response) {
    if (response == null || response.omitted()) {
      return null;
    }
    return jsonBody(response.body());
  }

  private static JsonNode jsonBody(CapturedBody body) {
    return body != null && body.isJson() ? MessageContent.parse(body.text()) : null;
  }

  private static void putBody(AttributesBuilder a, String key, CapturedBody body) {
    if (body != null) {
      a.put(key, body.text());
    }
  }

  private static void requestParameters(Map<String, Object> params, AttributesBuilder a) {
    putDouble(a, GEN_AI_REQUEST_TEMPERATURE, params.get("temperature"));
    Object maxTokens = params.get("max_tokens");
    if (maxTokens == null) {
      maxTokens = params.get("max_completion_tokens");
    }
    if (maxTokens == null) {
      maxTokens = params.get("max_output_tokens");
    }
    putLong(a, GEN_AI_REQUEST_MAX_TOKENS, maxTokens);
    putDouble(a, GEN_AI_REQUEST_TOP_P, params.get("top_p"));
    putDouble(a, GEN_AI_REQUEST_FREQUENCY_PENALTY, params.get("frequency_penalty"));
    putDouble(a, GEN_AI_REQUEST_PRESENCE_PENALTY, params.get("presence_penalty"));
    putLong(a, GEN_AI_REQUEST_SEED, params.get("seed"));
    Object stop = params.get("stop");
    if (stop instanceof String s) {
      a.put(AttributeKey.stringArrayKey(GEN_AI_REQUEST_STOP_SEQUENCES), List.of(s));
    } else if (stop instanceof List<?> list) {
      List<String> seq = new ArrayList<>();
      for (Object o : list) {
        if (o != null) {
          seq.add(o.toString());
        }
      }
      a.put(AttributeKey.stringArrayKey(GEN_AI_REQUEST_STOP_SEQUENCES), seq);
    }
  }

  /** The model the call asked for, or the one that answered when the request did not say. */
  static String requestModel(HeliconeRecord r) {
    return r.requestModel() != null ? r.requestModel() : r.model();
  }

  static void serverAttributes(CapturedRequest request, AttributesBuilder a) {
    if (request == null) {
      return;
    }
    ServerAddress server = ServerAddress.of(request.url());
    if (server != null) {
      a.put(SERVER_ADDRESS, server.host);
      a.put(SERVER_PORT, (long) server.port);
    }
  }

  /** The host and port of a request URL; null when the URL cannot be parsed. */
  private static final class ServerAddress {
    final String host;
    final int port;

    private ServerAddress(String host, int port) {
      this.host = host;
      this.port = port;
    }

    static ServerAddress of(String url) {
      try {
        URI uri = URI.create(url);
        String host = uri.getHost();
        if (host == null) {
          return null;
        }
        int port = uri.getPort();
        if (port < 0) {
          port = "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
        }
        return new ServerAddress(host, port);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  /** The {@code gen_ai.operation.name} of a record's operation. */
  public static String operationName(String operation) {
    if (operation == null) {
      return OP_CHAT;
    }
    return switch (operation) {
      case "chat", "responses" -> OP_CHAT;
      case "embeddings" -> OP_EMBEDDINGS;
      case "text_completion", "completion" -> OP_TEXT_COMPLETION;
      default -> operation;
    };
  }

  /** The {@code gen_ai.provider.name} of a record's provider id; null when unknown. */
  public static String providerName(String provider) {
    if (provider == null) {
      return null;
    }
    return PROVIDERS.getOrDefault(provider.toLowerCase(Locale.ROOT), provider);
  }

  /** The {@code error.type} of a failed or cancelled record; null when it succeeded. */
  public static String errorType(HeliconeRecord r) {
    if (r.status() == RecordStatus.CANCELLED) {
      return ERROR_TYPE_CANCELLED;
    }
    if (r.status() != RecordStatus.ERROR) {
      return null;
    }
    if (r.response() != null && r.response().status() >= 400) {
      return Integer.toString(r.response().status());
    }
    if (r.error() != null) {
      int colon = r.error().indexOf(':');
      String head = (colon >= 0 ? r.error().substring(0, colon) : r.error()).trim();
      if (EXCEPTION_CLASS.matcher(head).matches()) {
        return head;
      }
    }
    return ERROR_TYPE_OTHER;
  }

  private static String statusDescription(HeliconeRecord r) {
    String d = r.error();
    if (d == null) {
      return r.status() == RecordStatus.CANCELLED ? "cancelled by the caller" : "";
    }
    return d.length() > MAX_STATUS_DESCRIPTION ? d.substring(0, MAX_STATUS_DESCRIPTION) : d;
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static double seconds(java.time.Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  static void putIfNotNull(AttributesBuilder a, String key, String value) {
    if (value != null) {
      a.put(key, value);
    }
  }

  private static void putIfNotNull(AttributesBuilder a, String key, Long value) {
    if (value != null) {
      a.put(key, value.longValue());
    }
  }

  private static void putDouble(AttributesBuilder a, String key, Object value) {
    if (value instanceof Number n) {
      a.put(key, n.doubleValue());
    }
  }

  private static void putLong(AttributesBuilder a, String key, Object value) {
    if (value instanceof Number n) {
      a.put(key, n.longValue());
    }
  }
}
