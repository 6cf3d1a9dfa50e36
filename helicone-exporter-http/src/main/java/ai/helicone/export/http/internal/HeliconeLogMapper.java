package ai.helicone.export.http.internal;

import ai.helicone.TraceKind;
import ai.helicone.internal.HeliconeProviderNames;
import ai.helicone.internal.context.MetadataRules;
import ai.helicone.internal.export.EmbeddedJson;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a record into one request of Helicone's asynchronous logging API: the route, the Helicone-*
 * headers and the JSON body ({@code providerRequest}, {@code providerResponse}, {@code timing},
 * {@code provider}). Thread-safe.
 */
public final class HeliconeLogMapper {
  /** The URL Helicone's own manual loggers send for calls that have none. */
  static final String NO_URL = "custom-model-nopath";

  /** The property set on records whose bodies were shortened to fit the payload limit. */
  public static final String TRUNCATED_PROPERTY = "helicone-truncated";

  /** Wraps a request body that is not JSON: {@code {"raw_body": "<text>"}}. */
  static final String RAW_BODY_FIELD = "raw_body";

  /** Helicone's status for a call the client cancelled. */
  static final int CANCELLED_STATUS = -3;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MIN_STRING_CAP = 256;

  private static final Pattern OPENAI_PATHS =
      Pattern.compile(".*/(chat/completions|completions|embeddings|responses)(\\?.*)?$");

  private static final Set<String> VECTOR_OPERATIONS =
      Set.of("search", "insert", "delete", "update");

  /**
   * Where a record is logged. The worker routes fix the provider Helicone assumes; the API host's
   * custom-trace route reads it from the body, and is the only one that prices providers other than
   * OpenAI, Anthropic and Google (see the exporter's README).
   */
  public enum Route {
    /** Worker route: Helicone assumes OpenAI. */
    OPENAI("/oai/v1/log", true),
    /** Worker route: Helicone assumes Anthropic. */
    ANTHROPIC("/anthropic/v1/log", true),
    /** Worker route: Helicone assumes Google (Gemini API and Vertex AI). */
    GOOGLE("/googleapis/v1/log", true),
    /** Worker route for custom traces (tool, vector_db, data events). */
    CUSTOM("/custom/v1/log", true),
    /** API host route that honours the body's {@code provider}. */
    PROVIDER_IN_BODY("/v1/trace/custom/v1/log", false);

    private final String path;
    private final boolean worker;

    Route(String path, boolean worker) {
      this.path = path;
      this.worker = worker;
    }

    /** The path below the base URL, such as {@code /oai/v1/log}. */
    public String path() {
      return path;
    }

    /** True for the worker host's routes, false for the API host's. */
    public boolean worker() {
      return worker;
    }
  }

  /**
   * One prepared log request. Not a record: a record would compare and print the body array by
   * identity. The body is handed over as built, not copied, since it is sent once and then dropped.
   */
  public static final class LogRequest {
    private final Route route;
    private final Map<String, String> headers;
    private final byte[] body;

    LogRequest(Route route, Map<String, String> headers, byte[] body) {
      this.route = route;
      this.headers = headers;
      this.body = body;
    }

    /** Where it goes. */
    public Route route() {
      return route;
    }

    /** The Helicone-* headers to send (already valid header names and values). */
    public Map<String, String> headers() {
      return headers;
    }

    /** The JSON body. */
    public byte[] body() {
      return body;
    }
  }

  private final ObjectMapper mapper = new ObjectMapper();
  private final int maxPayloadBytes;

  /**
   * @param maxPayloadBytes the largest body to send; larger ones are shortened
   */
  public HeliconeLogMapper(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * The route for a record. With {@code workerRoutes}, OpenAI (and OpenAI-format hosts Helicone
   * prices as OpenAI), Anthropic and Google go to their worker routes and traces to the worker's
   * custom route; every other provider, and everything without {@code workerRoutes}, goes to the
   * route that reads the provider from the body.
   */
  static Route routeFor(HeliconeRecord record, boolean workerRoutes) {
    if (!workerRoutes) {
      return Route.PROVIDER_IN_BODY;
    }
    if (record.type() == RecordType.TRACE) {
      return Route.CUSTOM;
    }
    return switch (providerName(record)) {
      case "OPENAI" -> Route.OPENAI;
      case "ANTHROPIC" -> Route.ANTHROPIC;
      case "GOOGLE" -> Route.GOOGLE;
      default -> Route.PROVIDER_IN_BODY;
    };
  }

  /** Helicone's name of the record's provider: {@code CUSTOM} for traces and unknown ones. */
  static String providerName(HeliconeRecord record) {
    if (record.type() == RecordType.TRACE) {
      return HeliconeProviderNames.CUSTOM;
    }
    CapturedRequest request = record.request();
    if (!HeliconeProviderNames.isKnown(record.provider())
        && request != null
        && OPENAI_PATHS.matcher(request.url()).matches()) {
      // A provider Helicone does not know, speaking OpenAI's protocol: Helicone reads and prices
      // it as OpenAI, as the core's price table does for OpenAI-compatible hosts.
      return HeliconeProviderNames.of("openai-compatible");
    }
    return HeliconeProviderNames.of(record.provider());
  }

  /** Builds the log request for one record. */
  public LogRequest map(HeliconeRecord record, boolean workerRoutes) {
    Route route = routeFor(record, workerRoutes);
    String provider = providerName(record);
    Parts parts =
        record.type() == RecordType.TRACE ? traceParts(record) : llmParts(record, provider);

    Map<String, String> meta = heliconeMetadata(record);
    if (bodiesCutAtCapture(record)) {
      meta.put("Helicone-Property-" + TRUNCATED_PROPERTY, "true");
    }
    byte[] body = write(record, provider, parts, meta);
    if (body.length > maxPayloadBytes) {
      meta.put("Helicone-Property-" + TRUNCATED_PROPERTY, "true");
      body = shrink(record, provider, parts, meta);
    }
    return new LogRequest(route, sendableHeaders(meta), body);
  }

  private static boolean bodiesCutAtCapture(HeliconeRecord record) {
    return (record.request() != null && record.request().truncated())
        || (record.response() != null && record.response().truncated());
  }

  /** The bodies and status of one log, before the payload limit is applied. */
  private record Parts(JsonValue request, JsonValue response, String textBody, int status) {
    Parts(JsonNode request, JsonNode response, String textBody, int status) {
      this(new Tree(request), new Tree(response), textBody, status);
    }
  }

  /** One JSON value of a log's body. */
  private sealed interface JsonValue permits Tree, Embedded {}

  /** A value built or parsed here. */
  private record Tree(JsonNode node) implements JsonValue {}

  /**
   * A captured body that holds one valid JSON value, copied into the log as it is ({@link
   * EmbeddedJson}): most bodies are never parsed into a tree and written again.
   */
  private record Embedded(CapturedBody body) implements JsonValue {}

  /** {@code value} as a tree: its own, or one parsed from the body, which may be changed. */
  private JsonNode tree(JsonValue value) {
    if (value instanceof Tree tree) {
      return tree.node();
    }
    String text = ((Embedded) value).body().text();
    JsonNode parsed = parse(text);
    return parsed != null ? parsed : NODES.textNode(text);
  }

  private Parts llmParts(HeliconeRecord record, String provider) {
    CapturedRequest request = record.request();
    CapturedResponse response = record.response();
    boolean requestOmitted = request != null && request.omitted();
    boolean responseOmitted = response != null && response.omitted();

    String textBody = null;
    String rawStream;
    CapturedBody body;
    JsonValue responseJson = new Tree(NODES.objectNode());
    int httpStatus = response == null ? 0 : response.status();
    if (responseOmitted) {
      responseJson = new Tree(usageSummary(record, provider));
    } else if (record.stream() && response != null && (rawStream = response.rawBody()) != null) {
      textBody = rawStream;
      if (record.status() == RecordStatus.ERROR && httpStatus < 400 && record.error() != null) {
        // As Helicone's own SDKs do: the error first, then what the stream delivered.
        textBody = record.error() + "\n\n" + textBody;
      }
    } else if (response != null && (body = response.body()) != null) {
      if (EmbeddedJson.isJsonValue(body)) {
        responseJson = new Embedded(body);
      } else {
        textBody = body.text();
      }
    } else if (record.status() == RecordStatus.ERROR) {
      responseJson = new Tree(errorJson(record.error()));
    }

    int status;
    if (record.status() == RecordStatus.CANCELLED) {
      status = CANCELLED_STATUS;
    } else if (record.status() == RecordStatus.ERROR) {
      status = httpStatus >= 400 ? httpStatus : 500;
    } else {
      status = httpStatus > 0 ? httpStatus : 200;
    }

    JsonValue requestJson;
    if (requestOmitted || request == null || request.body() == null) {
      ObjectNode minimal = NODES.objectNode();
      putIfNotNull(minimal, "model", record.requestModel());
      requestJson = new Tree(minimal);
    } else if (EmbeddedJson.isJsonValue(request.body())) {
      requestJson = new Embedded(request.body());
    } else {
      ObjectNode wrapper = NODES.objectNode();
      putIfNotNull(wrapper, "model", record.requestModel());
      wrapper.put(RAW_BODY_FIELD, request.body().text());
      requestJson = new Tree(wrapper);
    }
    // Helicone parses textBody as a stream only when the request says stream: true.
    if (record.stream() && textBody != null) {
      JsonNode tree = tree(requestJson);
      if (tree instanceof ObjectNode object) {
        object.put("stream", true);
      }
      requestJson = new Tree(tree);
    }
    return new Parts(requestJson, responseJson, textBody, status);
  }

  private Parts traceParts(HeliconeRecord record) {
    TraceKind kind = record.kind() == null ? TraceKind.CUSTOM : record.kind();
    JsonNode input = record.input() == null ? null : bodyNode(record.input());
    JsonNode output = record.output() == null ? null : bodyNode(record.output());

    ObjectNode request = NODES.objectNode();
    ObjectNode response = NODES.objectNode();
    switch (kind) {
      case TOOL -> {
        request.put("_type", "tool");
        request.put("toolName", nameOf(record));
        putIfNotNull(request, "input", input);
      }
      case VECTOR_DB -> {
        request.put("_type", "vector_db");
        request.put("operation", vectorOperation(record, input));
        if (input != null && input.isObject()) {
          // Helicone's vector_db events carry text, vector, topK, filter... at the top level.
          mergeInto(request, input);
        } else {
          putIfNotNull(request, "input", input);
        }
      }
      default -> {
        request.put("_type", "data");
        request.put("name", nameOf(record));
        request.put("kind", kind.name().toLowerCase(Locale.ROOT));
        putIfNotNull(request, "input", input);
      }
    }
    // The response carries the output, then the same event type so Helicone recognises it.
    if (output != null && output.isObject()) {
      mergeInto(response, output);
    } else if (output != null) {
      response.set("output", output);
    }
    for (String key : new String[] {"_type", "toolName", "operation", "name"}) {
      if (request.has(key)) {
        response.set(key, request.get(key));
      }
    }
    if (record.status() == RecordStatus.ERROR) {
      // Helicone's tool, vector_db and data mappers read error.message.
      response.set("error", errorJson(record.error()).get("error"));
    }
    int status =
        record.status() == RecordStatus.CANCELLED
            ? CANCELLED_STATUS
            : record.status() == RecordStatus.ERROR ? 500 : 200;
    return new Parts(request, response, null, status);
  }

  private static String nameOf(HeliconeRecord record) {
    return record.name() == null ? "unnamed" : record.name();
  }

  /**
   * The vector operation: the input's {@code operation} field, else an {@code operation} property,
   * else a word in the trace name (insert/upsert/add, delete/remove, update), else {@code search}.
   */
  static String vectorOperation(HeliconeRecord record, JsonNode input) {
    if (input != null && input.isObject() && input.path("operation").isTextual()) {
      String op = input.get("operation").textValue().toLowerCase(Locale.ROOT).trim();
      if (VECTOR_OPERATIONS.contains(op)) {
        return op;
      }
    }
    for (Map.Entry<String, String> property : record.properties().entrySet()) {
      if (property.getKey().equalsIgnoreCase("operation") && property.getValue() != null) {
        String op = property.getValue().toLowerCase(Locale.ROOT).trim();
        if (VECTOR_OPERATIONS.contains(op)) {
          return op;
        }
      }
    }
    String name = record.name() == null ? "" : record.name().toLowerCase(Locale.ROOT);
    if (name.contains("insert") || name.contains("upsert") || name.contains("add")) {
      return "insert";
    }
    if (name.contains("delete") || name.contains("remove")) {
      return "delete";
    }
    if (name.contains("update")) {
      return "update";
    }
    return "search";
  }

  private static void mergeInto(ObjectNode target, JsonNode source) {
    for (Map.Entry<String, JsonNode> field : source.properties()) {
      if (!target.has(field.getKey())) {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  private JsonNode bodyNode(CapturedBody body) {
    JsonNode parsed = body.isJson() ? parse(body.text()) : null;
    return parsed != null ? parsed : NODES.textNode(body.text());
  }

  private JsonNode parse(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static ObjectNode errorJson(String error) {
    ObjectNode node = NODES.objectNode();
    node.putObject("error").put("message", error == null ? "request failed" : error);
    return node;
  }

  /**
   * Token counts in the provider's own response shape, sent instead of an omitted response body so
   * Helicone can still compute the cost. It holds no content.
   */
  private static ObjectNode usageSummary(HeliconeRecord record, String provider) {
    ObjectNode node = NODES.objectNode();
    Usage usage = record.usage();
    if (provider.equals("GOOGLE")) {
      putIfNotNull(node, "modelVersion", record.model());
      if (usage != null) {
        ObjectNode u = node.putObject("usageMetadata");
        putIfNotNull(u, "promptTokenCount", usage.inputTokens());
        putIfNotNull(u, "candidatesTokenCount", usage.outputTokens());
        putIfNotNull(u, "cachedContentTokenCount", usage.cachedInputTokens());
        putIfNotNull(u, "totalTokenCount", usage.totalTokens());
      }
      return node;
    }
    putIfNotNull(node, "model", record.model());
    if (usage == null) {
      return node;
    }
    ObjectNode u = node.putObject("usage");
    if (provider.equals("ANTHROPIC")) {
      // Anthropic counts input without the cached part; our input includes it.
      if (usage.inputTokens() != null) {
        long uncached =
            usage.inputTokens()
                - orZero(usage.cachedInputTokens())
                - orZero(usage.cacheWriteTokens());
        u.put("input_tokens", Math.max(0, uncached));
      }
      putIfNotNull(u, "output_tokens", usage.outputTokens());
      putIfNotNull(u, "cache_read_input_tokens", usage.cachedInputTokens());
      putIfNotNull(u, "cache_creation_input_tokens", usage.cacheWriteTokens());
    } else {
      putIfNotNull(u, "prompt_tokens", usage.inputTokens());
      putIfNotNull(u, "completion_tokens", usage.outputTokens());
      putIfNotNull(u, "total_tokens", usage.totalTokens());
      if (usage.cachedInputTokens() != null) {
        u.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
      }
      if (usage.reasoningTokens() != null) {
        u.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
      }
    }
    return node;
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static void putIfNotNull(ObjectNode node, String field, Long value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putIfNotNull(ObjectNode node, String field, JsonNode value) {
    if (value != null) {
      node.set(field, value);
    }
  }

  private static void putIfNotNull(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** Helicone-* metadata of the record, by header name, with values as they are. */
  private static Map<String, String> heliconeMetadata(HeliconeRecord record) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("Helicone-Request-Id", requestId(record.id()));
    putIfPresent(meta, "Helicone-Session-Id", record.sessionId());
    putIfPresent(meta, "Helicone-Session-Path", record.sessionPath());
    putIfPresent(meta, "Helicone-Session-Name", record.sessionName());
    putIfPresent(meta, "Helicone-User-Id", record.userId());
    for (Map.Entry<String, String> property : record.properties().entrySet()) {
      if (property.getKey() != null && !property.getKey().isBlank()) {
        putIfPresent(meta, "Helicone-Property-" + property.getKey(), property.getValue());
      }
    }
    if (record.request() != null && record.request().omitted()) {
      meta.put("Helicone-Omit-Request", "true");
    }
    if (record.response() != null && record.response().omitted()) {
      meta.put("Helicone-Omit-Response", "true");
    }
    return meta;
  }

  private static void putIfPresent(Map<String, String> meta, String key, String value) {
    if (value != null) {
      meta.put(key, value);
    }
  }

  /**
   * Helicone replaces a request id that is not a UUID with a random one; a name-based UUID keeps
   * other ids stable across retries.
   */
  static String requestId(String id) {
    return MetadataRules.isRequestId(id)
        ? id
        : UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The metadata that can travel as headers; the rest is only in providerRequest.meta. */
  private static Map<String, String> sendableHeaders(Map<String, String> meta) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : meta.entrySet()) {
      String value = HeaderRules.sendableValue(entry.getValue());
      if (value != null && HeaderRules.isValidName(entry.getKey())) {
        headers.put(entry.getKey(), value);
      }
    }
    return headers;
  }

  /** The log's JSON body. */
  private byte[] write(
      HeliconeRecord record, String provider, Parts parts, Map<String, String> meta) {
    ByteArrayBuilder out = new ByteArrayBuilder();
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("providerRequest");
      g.writeStringField(
          "url",
          record.type() == RecordType.LLM && record.request() != null
              ? HeaderRules.redactUrl(record.request().url())
              : NO_URL);
      g.writeFieldName("json");
      writeValue(g, parts.request());
      g.writeObjectFieldStart("meta");
      for (Map.Entry<String, String> entry : meta.entrySet()) {
        g.writeStringField(entry.getKey(), entry.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();

      g.writeObjectFieldStart("providerResponse");
      g.writeFieldName("json");
      writeValue(g, parts.response());
      if (parts.textBody() != null) {
        g.writeStringField("textBody", parts.textBody());
      }
      g.writeNumberField("status", parts.status());
      g.writeObjectFieldStart("headers");
      if (record.type() == RecordType.LLM && record.response() != null) {
        for (Map.Entry<String, String> header : record.response().headers().entrySet()) {
          String name = header.getKey();
          if (!HeaderRules.isSecret(name) && !name.regionMatches(true, 0, "helicone-", 0, 9)) {
            g.writeStringField(name, header.getValue());
          }
        }
      }
      g.writeEndObject();
      g.writeEndObject();

      g.writeObjectFieldStart("timing");
      Instant start = record.startTime();
      Instant end = record.endTime().isBefore(start) ? start : record.endTime();
      writeTime(g, "startTime", start);
      writeTime(g, "endTime", end);
      if (record.timeToFirstToken() != null && !record.timeToFirstToken().isNegative()) {
        g.writeNumberField("timeToFirstToken", record.timeToFirstToken().toMillis());
      }
      g.writeEndObject();
      g.writeStringField("provider", provider);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a log body", e);
    }
    return out.toByteArray();
  }

  private void writeValue(JsonGenerator g, JsonValue value) throws IOException {
    if (value instanceof Embedded embedded) {
      EmbeddedJson.write(g, embedded.body(), true);
    } else {
      mapper.writeTree(g, ((Tree) value).node());
    }
  }

  private static void writeTime(JsonGenerator g, String field, Instant instant) throws IOException {
    long epochMillis = Math.max(0, instant.toEpochMilli());
    g.writeObjectFieldStart(field);
    g.writeNumberField("seconds", epochMillis / 1000);
    g.writeNumberField("milliseconds", epochMillis % 1000);
    g.writeEndObject();
  }

  /**
   * Shortens the bodies until the payload fits: the stream text keeps its start and end, string
   * values are cut, then arrays. The record is always sent, flagged as truncated.
   */
  private byte[] shrink(
      HeliconeRecord record, String provider, Parts parts, Map<String, String> meta) {
    // Cut from trees: a body copied as it is cannot be shortened.
    JsonNode requestJson = tree(parts.request());
    JsonNode responseJson = tree(parts.response());
    int stringCap =
        Math.max(JsonLimits.longestString(requestJson), JsonLimits.longestString(responseJson));
    int arrayCap = Integer.MAX_VALUE;
    int textCap = parts.textBody() == null ? 0 : parts.textBody().length();
    byte[] body = write(record, provider, parts, meta);
    for (int round = 0; round < 40 && body.length > maxPayloadBytes; round++) {
      double ratio = Math.min(0.9, 0.9 * maxPayloadBytes / body.length);
      if (textCap > MIN_STRING_CAP) {
        textCap = Math.max(MIN_STRING_CAP, (int) (textCap * ratio));
      }
      if (stringCap > MIN_STRING_CAP) {
        stringCap = Math.max(MIN_STRING_CAP, (int) (stringCap * ratio));
      } else {
        arrayCap = arrayCap == Integer.MAX_VALUE ? 1000 : Math.max(1, arrayCap / 4);
      }
      Parts cut =
          new Parts(
              JsonLimits.capped(requestJson, stringCap, arrayCap),
              JsonLimits.capped(responseJson, stringCap, arrayCap),
              parts.textBody() == null ? null : JsonLimits.headAndTail(parts.textBody(), textCap),
              parts.status());
      body = write(record, provider, cut, meta);
    }
    if (body.length > maxPayloadBytes) {
      ObjectNode note = NODES.objectNode().put("_truncated", true);
      Parts minimal = new Parts(note, note, null, parts.status());
      body = write(record, provider, minimal, meta);
    }
    return body;
  }
}
