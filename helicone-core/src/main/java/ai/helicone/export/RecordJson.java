package ai.helicone.export;

import ai.helicone.TraceKind;
import ai.helicone.internal.export.EmbeddedJson;
import ai.helicone.internal.export.Utf8JsonString;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.FrozenMap;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link HeliconeRecord} as one compact JSON object on one line: the layout of the JSON
 * Lines file and of the collector exporter, documented in the README. Fields that are null are left
 * out. JSON bodies are embedded as JSON (without whitespace between tokens, so they never break a
 * line); other bodies, and JSON that does not parse, are written as strings. {@link #fromJson}
 * reads such a line back. Thread-safe.
 */
public final class RecordJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper READER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private RecordJson() {}

  /** The record's field names, encoded once: a line has dozens of them. */
  private static final class Field {
    static final SerializableString BODY = new SerializedString("body");
    static final SerializableString CACHE_WRITE1H_TOKENS =
        new SerializedString("cacheWrite1hTokens");
    static final SerializableString CACHE_WRITE_TOKENS = new SerializedString("cacheWriteTokens");
    static final SerializableString CACHED_INPUT_TOKENS = new SerializedString("cachedInputTokens");
    static final SerializableString CONTEXT_ATTRIBUTES = new SerializedString("contextAttributes");
    static final SerializableString COST_USD = new SerializedString("costUsd");
    static final SerializableString DURATION_MS = new SerializedString("durationMs");
    static final SerializableString END_TIME = new SerializedString("endTime");
    static final SerializableString ERROR = new SerializedString("error");
    static final SerializableString ESTIMATED = new SerializedString("estimated");
    static final SerializableString FINISH_REASONS = new SerializedString("finishReasons");
    static final SerializableString HEADERS = new SerializedString("headers");
    static final SerializableString ID = new SerializedString("id");
    static final SerializableString INPUT = new SerializedString("input");
    static final SerializableString INPUT_AUDIO_TOKENS = new SerializedString("inputAudioTokens");
    static final SerializableString INPUT_TOKENS = new SerializedString("inputTokens");
    static final SerializableString KIND = new SerializedString("kind");
    static final SerializableString METHOD = new SerializedString("method");
    static final SerializableString MODEL = new SerializedString("model");
    static final SerializableString NAME = new SerializedString("name");
    static final SerializableString OMITTED = new SerializedString("omitted");
    static final SerializableString OPERATION = new SerializedString("operation");
    static final SerializableString OUTPUT = new SerializedString("output");
    static final SerializableString OUTPUT_AUDIO_TOKENS = new SerializedString("outputAudioTokens");
    static final SerializableString OUTPUT_TOKENS = new SerializedString("outputTokens");
    static final SerializableString PARSE_ERROR = new SerializedString("parseError");
    static final SerializableString PROPERTIES = new SerializedString("properties");
    static final SerializableString PROVIDER = new SerializedString("provider");
    static final SerializableString RAW_BODY = new SerializedString("rawBody");
    static final SerializableString REASONING_TOKENS = new SerializedString("reasoningTokens");
    static final SerializableString REQUEST = new SerializedString("request");
    static final SerializableString REQUEST_MODEL = new SerializedString("requestModel");
    static final SerializableString REQUEST_PARAMETERS = new SerializedString("requestParameters");
    static final SerializableString RESPONSE = new SerializedString("response");
    static final SerializableString RESPONSE_ID = new SerializedString("responseId");
    static final SerializableString SCHEMA = new SerializedString("schema");
    static final SerializableString SESSION_ID = new SerializedString("sessionId");
    static final SerializableString SESSION_NAME = new SerializedString("sessionName");
    static final SerializableString SESSION_PATH = new SerializedString("sessionPath");
    static final SerializableString START_TIME = new SerializedString("startTime");
    static final SerializableString STATUS = new SerializedString("status");
    static final SerializableString STREAM = new SerializedString("stream");
    static final SerializableString TIME_TO_FIRST_TOKEN_MS =
        new SerializedString("timeToFirstTokenMs");
    static final SerializableString TOTAL_TOKENS = new SerializedString("totalTokens");
    static final SerializableString TRUNCATED = new SerializedString("truncated");
    static final SerializableString TYPE = new SerializedString("type");
    static final SerializableString URL = new SerializedString("url");
    static final SerializableString USAGE = new SerializedString("usage");
    static final SerializableString USER_ID = new SerializedString("userId");

    private Field() {}
  }

  /** The record as one line of JSON, without a line break. */
  public static String toJson(HeliconeRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    write(record, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Writes the record as one line of JSON, without a line break; the writer is not closed. */
  public static void write(HeliconeRecord record, Writer out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      writeRecord(record, g, false, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the record as one line of UTF-8 JSON, without a line break; the stream is not closed.
   * The fastest form: a raw stream body is escaped straight from its captured bytes.
   */
  public static void write(HeliconeRecord record, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      writeRecord(record, g, true, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A UTF-8 generator for writing records one after another with {@link #writeLine}, reused for as
   * long as it writes whole records: creating one per record costs more than some of the fields.
   * Nothing separates the records; the caller adds the line breaks.
   */
  static JsonGenerator lineGenerator(OutputStream out) {
    try {
      JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setRootValueSeparator(null);
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the record with a generator from {@link #lineGenerator}, and flushes it into its stream.
   * A stream's {@code rawBody} is left out unless {@code rawStreams}: its {@code body} is then the
   * message rebuilt from the stream, or the raw text itself when none could be rebuilt. After an
   * exception the generator is in the middle of a record: it must not be used again.
   */
  static void writeLine(HeliconeRecord record, JsonGenerator g, boolean rawStreams) {
    try {
      writeRecord(record, g, true, rawStreams);
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeRecord(
      HeliconeRecord r, JsonGenerator g, boolean utf8, boolean rawStreams) throws IOException {
    g.writeStartObject();
    g.writeFieldName(Field.SCHEMA);
    g.writeNumber(HeliconeRecord.SCHEMA_VERSION);
    g.writeFieldName(Field.TYPE);
    g.writeString(r.type().wireName());
    g.writeFieldName(Field.ID);
    g.writeString(r.id());
    string(g, Field.SESSION_ID, r.sessionId());
    string(g, Field.SESSION_PATH, r.sessionPath());
    string(g, Field.SESSION_NAME, r.sessionName());
    string(g, Field.USER_ID, r.userId());
    if (!r.properties().isEmpty()) {
      stringMap(g, Field.PROPERTIES, r.properties());
    }
    string(g, Field.NAME, r.name());
    if (r.kind() != null) {
      g.writeFieldName(Field.KIND);
      g.writeString(r.kind().name().toLowerCase(java.util.Locale.ROOT));
    }
    instant(g, Field.START_TIME, r.startTime());
    instant(g, Field.END_TIME, r.endTime());
    millis(g, Field.DURATION_MS, r.duration());
    millis(g, Field.TIME_TO_FIRST_TOKEN_MS, r.timeToFirstToken());
    string(g, Field.PROVIDER, r.provider());
    string(g, Field.MODEL, r.model());
    string(g, Field.REQUEST_MODEL, r.requestModel());
    string(g, Field.OPERATION, r.operation());
    if (r.request() != null) {
      g.writeFieldName(Field.STREAM);
      g.writeBoolean(r.stream());
    }
    g.writeFieldName(Field.STATUS);
    g.writeString(r.status().wireName());
    string(g, Field.ERROR, r.error());
    string(g, Field.PARSE_ERROR, r.parseError());
    if (r.usage() != null) {
      writeUsage(g, r.usage());
    }
    if (r.costUsd() != null) {
      g.writeFieldName(Field.COST_USD);
      g.writeNumber(r.costUsd());
    }
    string(g, Field.RESPONSE_ID, r.responseId());
    if (!r.finishReasons().isEmpty()) {
      g.writeFieldName(Field.FINISH_REASONS);
      g.writeStartArray();
      for (String reason : r.finishReasons()) {
        g.writeString(reason);
      }
      g.writeEndArray();
    }
    if (!r.requestParameters().isEmpty()) {
      g.writeFieldName(Field.REQUEST_PARAMETERS);
      g.writeStartObject();
      for (Map.Entry<String, Object> e : r.requestParameters().entrySet()) {
        g.writeFieldName(e.getKey());
        writeScalarOrList(g, e.getValue());
      }
      g.writeEndObject();
    }
    if (r.request() != null) {
      writeRequest(g, r.request(), utf8);
    }
    if (r.response() != null) {
      writeResponse(g, r.response(), utf8, rawStreams);
    }
    body(g, Field.INPUT, r.input(), utf8);
    body(g, Field.OUTPUT, r.output(), utf8);
    if (!r.contextAttributes().isEmpty()) {
      stringMap(g, Field.CONTEXT_ATTRIBUTES, r.contextAttributes());
    }
    g.writeEndObject();
  }

  /** A whole second and its ISO-8601 text without the zone: a record's two times share it. */
  private static final class SecondText {
    final long epochSecond;
    final char[] text;

    SecondText(long epochSecond, char[] text) {
      this.epochSecond = epochSecond;
      this.text = text;
    }
  }

  private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, new char[0]);

  /** Writes {@code t} as {@link Instant#toString()} does, without its formatter's garbage. */
  private static void instant(JsonGenerator g, SerializableString field, Instant t)
      throws IOException {
    char[] out = new char[40];
    g.writeFieldName(field);
    g.writeString(out, 0, isoInstant(t, out));
  }

  /** {@link Instant#toString()} of {@code t} into {@code out} (40 chars or more); its length. */
  static int isoInstant(Instant t, char[] out) {
    SecondText second = lastSecond;
    if (second.epochSecond != t.getEpochSecond()) {
      String whole = Instant.ofEpochSecond(t.getEpochSecond()).toString();
      second =
          new SecondText(t.getEpochSecond(), whole.substring(0, whole.length() - 1).toCharArray());
      lastSecond = second;
    }
    char[] prefix = second.text;
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    int n = prefix.length;
    int nano = t.getNano();
    if (nano > 0) {
      // Like ISO_INSTANT: the fraction in groups of three digits, as many as it needs.
      int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
      int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
      out[n++] = '.';
      for (int i = n + digits - 1; i >= n; i--) {
        out[i] = (char) ('0' + value % 10);
        value /= 10;
      }
      n += digits;
    }
    out[n++] = 'Z';
    return n;
  }

  private static void writeUsage(JsonGenerator g, Usage u) throws IOException {
    g.writeFieldName(Field.USAGE);
    g.writeStartObject();
    number(g, Field.INPUT_TOKENS, u.inputTokens());
    number(g, Field.OUTPUT_TOKENS, u.outputTokens());
    number(g, Field.CACHED_INPUT_TOKENS, u.cachedInputTokens());
    number(g, Field.CACHE_WRITE_TOKENS, u.cacheWriteTokens());
    number(g, Field.CACHE_WRITE1H_TOKENS, u.cacheWrite1hTokens());
    number(g, Field.REASONING_TOKENS, u.reasoningTokens());
    number(g, Field.INPUT_AUDIO_TOKENS, u.inputAudioTokens());
    number(g, Field.OUTPUT_AUDIO_TOKENS, u.outputAudioTokens());
    number(g, Field.TOTAL_TOKENS, u.totalTokens());
    g.writeFieldName(Field.ESTIMATED);
    g.writeBoolean(u.estimated());
    g.writeEndObject();
  }

  private static void writeRequest(JsonGenerator g, CapturedRequest req, boolean utf8)
      throws IOException {
    g.writeFieldName(Field.REQUEST);
    g.writeStartObject();
    g.writeFieldName(Field.URL);
    g.writeString(req.url());
    g.writeFieldName(Field.METHOD);
    g.writeString(req.method());
    stringMap(g, Field.HEADERS, req.headers());
    body(g, Field.BODY, req.body(), utf8);
    g.writeFieldName(Field.OMITTED);
    g.writeBoolean(req.omitted());
    g.writeFieldName(Field.TRUNCATED);
    g.writeBoolean(req.truncated());
    g.writeEndObject();
  }

  private static void writeResponse(
      JsonGenerator g, CapturedResponse res, boolean utf8, boolean rawStreams) throws IOException {
    g.writeFieldName(Field.RESPONSE);
    g.writeStartObject();
    g.writeFieldName(Field.STATUS);
    g.writeNumber(res.status());
    stringMap(g, Field.HEADERS, res.headers());
    CapturedBody body = res.body();
    body(g, Field.BODY, body, utf8);
    // Without raw streams, the raw text is still written when it is the only body there is.
    if (rawStreams || body == null) {
      ByteChunks raw = RawBodies.rawUtf8(res);
      if (raw != null && utf8) {
        g.writeFieldName(Field.RAW_BODY);
        Utf8JsonString.write(g, raw);
      } else {
        string(g, Field.RAW_BODY, res.rawBody());
      }
    }
    g.writeFieldName(Field.OMITTED);
    g.writeBoolean(res.omitted());
    g.writeFieldName(Field.TRUNCATED);
    g.writeBoolean(res.truncated());
    g.writeEndObject();
  }

  private static void body(
      JsonGenerator g, SerializableString field, CapturedBody body, boolean utf8)
      throws IOException {
    if (body == null) {
      return;
    }
    g.writeFieldName(field);
    if (EmbeddedJson.isJsonValue(body)) {
      EmbeddedJson.write(g, body, utf8);
    } else {
      g.writeString(body.text());
    }
  }

  private static void writeScalarOrList(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long || v instanceof Integer) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d);
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        writeScalarOrList(g, item);
      }
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }

  private static void stringMap(JsonGenerator g, SerializableString field, Map<String, String> map)
      throws IOException {
    g.writeFieldName(field);
    g.writeStartObject();
    if (map instanceof FrozenMap<String> frozen) {
      for (int i = 0, n = frozen.size(); i < n; i++) {
        g.writeStringField(frozen.keyAt(i), frozen.valueAt(i));
      }
    } else {
      for (Map.Entry<String, String> e : map.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
    }
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, SerializableString field, String value)
      throws IOException {
    if (value != null) {
      g.writeFieldName(field);
      g.writeString(value);
    }
  }

  private static void number(JsonGenerator g, SerializableString field, Long value)
      throws IOException {
    if (value != null) {
      g.writeFieldName(field);
      g.writeNumber(value);
    }
  }

  private static void millis(JsonGenerator g, SerializableString field, Duration d)
      throws IOException {
    if (d != null) {
      char[] out = new char[MAX_MILLIS_CHARS];
      g.writeFieldName(field);
      g.writeNumber(out, 0, decimalMillis(d.toNanos(), out));
    }
  }

  // "-9223372036854.775808": a sign, 13 digits, a point and 6 decimals.
  static final int MAX_MILLIS_CHARS = 21;

  /**
   * Milliseconds written into {@code out} as {@code BigDecimal} writes them, with three decimals
   * when that is exact and six (nanoseconds) otherwise: readable, and read back without loss.
   * Returns the length.
   */
  static int decimalMillis(long nanos, char[] out) {
    int scale = nanos % 1000 == 0 ? 3 : 6;
    long unscaled = scale == 3 ? nanos / 1000 : nanos;
    int n = 0;
    if (unscaled < 0) {
      out[n++] = '-';
    }
    // Digits from the last, kept negative so that Long.MIN_VALUE needs no special case.
    long rest = unscaled < 0 ? unscaled : -unscaled;
    char[] digits = new char[20];
    int count = 0;
    while (rest != 0 || count <= scale) {
      digits[count++] = (char) ('0' - rest % 10);
      rest /= 10;
    }
    for (int i = count - 1; i >= 0; i--) {
      if (i == scale - 1) {
        out[n++] = '.';
      }
      out[n++] = digits[i];
    }
    return n;
  }

  /**
   * Reads a record written by {@link #toJson}. Every field comes back as it was written, with two
   * normalisations that the line format implies: a JSON body comes back on one line, without the
   * line breaks and indentation of a pretty-printed body (the same JSON value), and a JSON body
   * whose value is a single string, or that did not parse, comes back as a text body.
   *
   * @throws IllegalArgumentException when the line is not such a record (the message does not quote
   *     the line)
   */
  public static HeliconeRecord fromJson(String line) {
    JsonNode n;
    try {
      n = READER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a JSON record: malformed at column "
              + (e.getLocation() == null ? -1 : e.getLocation().getColumnNr()));
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON record: not an object");
    }
    try {
      return readRecord(n);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a valid record: " + e.getMessage(), e);
    }
  }

  private static HeliconeRecord readRecord(JsonNode n) {
    int schema = n.path("schema").asInt(-1);
    if (schema != HeliconeRecord.SCHEMA_VERSION) {
      throw new IllegalArgumentException("unknown schema " + n.path("schema"));
    }
    HeliconeRecord.Builder b =
        HeliconeRecord.builder()
            .type(RecordType.valueOf(required(n, "type").toUpperCase(Locale.ROOT)))
            .id(required(n, "id"))
            .sessionId(text(n, "sessionId"))
            .sessionPath(text(n, "sessionPath"))
            .sessionName(text(n, "sessionName"))
            .userId(text(n, "userId"))
            .properties(stringMap(n.get("properties")))
            .name(text(n, "name"))
            .startTime(Instant.parse(required(n, "startTime")))
            .endTime(Instant.parse(required(n, "endTime")))
            .duration(millis(n.get("durationMs")))
            .timeToFirstToken(millis(n.get("timeToFirstTokenMs")))
            .provider(text(n, "provider"))
            .model(text(n, "model"))
            .requestModel(text(n, "requestModel"))
            .operation(text(n, "operation"))
            .stream(n.path("stream").asBoolean(false))
            .status(RecordStatus.valueOf(required(n, "status").toUpperCase(Locale.ROOT)))
            .error(text(n, "error"))
            .responseId(text(n, "responseId"))
            .contextAttributes(stringMap(n.get("contextAttributes")))
            .input(body(n.get("input")))
            .output(body(n.get("output")));
    String kind = text(n, "kind");
    if (kind != null) {
      b.kind(TraceKind.valueOf(kind.toUpperCase(Locale.ROOT)));
    }
    JsonNode usage = n.get("usage");
    if (usage != null && usage.isObject()) {
      b.usage(readUsage(usage));
    }
    JsonNode cost = n.get("costUsd");
    if (cost != null && cost.isNumber()) {
      b.costUsd(cost.decimalValue());
    }
    JsonNode reasons = n.get("finishReasons");
    if (reasons != null && reasons.isArray()) {
      List<String> list = new ArrayList<>();
      reasons.forEach(r -> list.add(r.asText()));
      b.finishReasons(list);
    }
    JsonNode params = n.get("requestParameters");
    if (params != null && params.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      params.properties().forEach(e -> map.put(e.getKey(), scalarOrList(e.getValue())));
      b.requestParameters(map);
    }
    JsonNode req = n.get("request");
    if (req != null && req.isObject()) {
      b.request(
          new CapturedRequest(
              required(req, "url"),
              required(req, "method"),
              stringMap(req.get("headers")),
              body(req.get("body")),
              req.path("omitted").asBoolean(false),
              req.path("truncated").asBoolean(false)));
    }
    JsonNode res = n.get("response");
    if (res != null && res.isObject()) {
      b.response(
          new CapturedResponse(
              res.path("status").asInt(0),
              stringMap(res.get("headers")),
              body(res.get("body")),
              text(res, "rawBody"),
              res.path("omitted").asBoolean(false),
              res.path("truncated").asBoolean(false)));
    }
    return b.build();
  }

  private static Usage readUsage(JsonNode u) {
    return Usage.builder()
        .inputTokens(longValue(u, "inputTokens"))
        .outputTokens(longValue(u, "outputTokens"))
        .cachedInputTokens(longValue(u, "cachedInputTokens"))
        .cacheWriteTokens(longValue(u, "cacheWriteTokens"))
        .reasoningTokens(longValue(u, "reasoningTokens"))
        .inputAudioTokens(longValue(u, "inputAudioTokens"))
        .outputAudioTokens(longValue(u, "outputAudioTokens"))
        .totalTokens(longValue(u, "totalTokens"))
        .estimated(u.path("estimated").asBoolean(false))
        .build();
  }

  private static Object scalarOrList(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    } else if (v.isBoolean()) {
      return v.booleanValue();
    } else if (v.isIntegralNumber()) {
      return v.longValue();
    } else if (v.isNumber()) {
      return v.doubleValue();
    } else if (v.isArray()) {
      List<Object> list = new ArrayList<>();
      v.forEach(item -> list.add(scalarOrList(item)));
      return list;
    }
    return v.asText();
  }

  private static CapturedBody body(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isTextual() ? CapturedBody.text(v.textValue()) : CapturedBody.json(v.toString());
  }

  private static Map<String, String> stringMap(JsonNode v) {
    Map<String, String> map = new LinkedHashMap<>();
    if (v != null && v.isObject()) {
      v.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }

  private static Duration millis(JsonNode v) {
    if (v == null || !v.isNumber()) {
      return null;
    }
    return Duration.ofNanos(v.decimalValue().movePointRight(6).longValueExact());
  }

  private static Long longValue(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isNumber() ? Long.valueOf(v.longValue()) : null;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String required(JsonNode n, String field) {
    String v = text(n, field);
    if (v == null) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v;
  }
}
