package ai.helicone.export;

import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link HeliconeRecord} as one compact JSON object on one line: the layout of the JSON
 * Lines file and of the collector exporter, documented in the README. Fields that are null are left
 * out. JSON bodies are embedded as JSON (re-written compactly, so they never break a line); other
 * bodies, and JSON that does not parse, are written as strings. Thread-safe.
 */
public final class RecordJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private RecordJson() {}

  /** The record as one line of JSON, without a line break. */
  public static String toJson(HeliconeRecord record) {
    StringWriter out = new StringWriter(512);
    write(record, out);
    return out.toString();
  }

  /** Writes the record as one line of JSON, without a line break; the writer is not closed. */
  public static void write(HeliconeRecord record, Writer out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      writeRecord(record, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeRecord(HeliconeRecord r, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField("schema", HeliconeRecord.SCHEMA_VERSION);
    g.writeStringField("type", r.type().wireName());
    g.writeStringField("id", r.id());
    string(g, "sessionId", r.sessionId());
    string(g, "sessionPath", r.sessionPath());
    string(g, "sessionName", r.sessionName());
    string(g, "userId", r.userId());
    if (!r.properties().isEmpty()) {
      stringMap(g, "properties", r.properties());
    }
    string(g, "name", r.name());
    if (r.kind() != null) {
      g.writeStringField("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
    }
    g.writeStringField("startTime", r.startTime().toString());
    g.writeStringField("endTime", r.endTime().toString());
    millis(g, "durationMs", r.duration());
    millis(g, "timeToFirstTokenMs", r.timeToFirstToken());
    string(g, "provider", r.provider());
    string(g, "model", r.model());
    string(g, "requestModel", r.requestModel());
    string(g, "operation", r.operation());
    if (r.request() != null) {
      g.writeBooleanField("stream", r.stream());
    }
    g.writeStringField("status", r.status().wireName());
    string(g, "error", r.error());
    string(g, "parseError", r.parseError());
    if (r.usage() != null) {
      writeUsage(g, r.usage());
    }
    if (r.costUsd() != null) {
      g.writeFieldName("costUsd");
      g.writeNumber(r.costUsd());
    }
    string(g, "responseId", r.responseId());
    if (!r.finishReasons().isEmpty()) {
      g.writeArrayFieldStart("finishReasons");
      for (String reason : r.finishReasons()) {
        g.writeString(reason);
      }
      g.writeEndArray();
    }
    if (!r.requestParameters().isEmpty()) {
      g.writeObjectFieldStart("requestParameters");
      for (Map.Entry<String, Object> e : r.requestParameters().entrySet()) {
        g.writeFieldName(e.getKey());
        writeScalarOrList(g, e.getValue());
      }
      g.writeEndObject();
    }
    if (r.request() != null) {
      writeRequest(g, r.request());
    }
    if (r.response() != null) {
      writeResponse(g, r.response());
    }
    body(g, "input", r.input());
    body(g, "output", r.output());
    if (!r.contextAttributes().isEmpty()) {
      stringMap(g, "contextAttributes", r.contextAttributes());
    }
    g.writeEndObject();
  }

  private static void writeUsage(JsonGenerator g, Usage u) throws IOException {
    g.writeObjectFieldStart("usage");
    number(g, "inputTokens", u.inputTokens());
    number(g, "outputTokens", u.outputTokens());
    number(g, "cachedInputTokens", u.cachedInputTokens());
    number(g, "cacheWriteTokens", u.cacheWriteTokens());
    number(g, "reasoningTokens", u.reasoningTokens());
    number(g, "inputAudioTokens", u.inputAudioTokens());
    number(g, "outputAudioTokens", u.outputAudioTokens());
    number(g, "totalTokens", u.totalTokens());
    g.writeBooleanField("estimated", u.estimated());
    g.writeEndObject();
  }

  private static void writeRequest(JsonGenerator g, CapturedRequest req) throws IOException {
    g.writeObjectFieldStart("request");
    g.writeStringField("url", req.url());
    g.writeStringField("method", req.method());
    stringMap(g, "headers", req.headers());
    body(g, "body", req.body());
    g.writeBooleanField("omitted", req.omitted());
    g.writeBooleanField("truncated", req.truncated());
    g.writeEndObject();
  }

  private static void writeResponse(JsonGenerator g, CapturedResponse res) throws IOException {
    g.writeObjectFieldStart("response");
    g.writeNumberField("status", res.status());
    stringMap(g, "headers", res.headers());
    body(g, "body", res.body());
    string(g, "rawBody", res.rawBody());
    g.writeBooleanField("omitted", res.omitted());
    g.writeBooleanField("truncated", res.truncated());
    g.writeEndObject();
  }

  private static void body(JsonGenerator g, String field, CapturedBody body) throws IOException {
    if (body == null) {
      return;
    }
    g.writeFieldName(field);
    if (!body.isJson() || !copyJson(body.text(), g)) {
      g.writeString(body.text());
    }
  }

  /**
   * Copies a JSON document into the generator, compactly. Parses it fully first, so that a body
   * that is not valid JSON leaves the generator untouched and returns false.
   */
  private static boolean copyJson(String json, JsonGenerator g) throws IOException {
    try (JsonParser validate = FACTORY.createParser(json)) {
      if (validate.nextToken() == null) {
        return false;
      }
      validate.skipChildren();
      if (validate.nextToken() != null) {
        return false;
      }
    } catch (IOException notJson) {
      return false;
    }
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return false;
      }
      g.copyCurrentStructure(p);
      return true;
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

  private static void stringMap(JsonGenerator g, String field, Map<String, String> map)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }

  private static void number(JsonGenerator g, String field, Long value) throws IOException {
    if (value != null) {
      g.writeNumberField(field, value);
    }
  }

  private static void millis(JsonGenerator g, String field, Duration d) throws IOException {
    if (d != null) {
      // Milliseconds with microsecond precision: readable, and exact enough for fast calls.
      g.writeNumberField(field, BigDecimal.valueOf(d.toNanos() / 1000, 3));
    }
  }
}
