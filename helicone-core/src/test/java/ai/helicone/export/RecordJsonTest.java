package ai.helicone.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.export.EmbeddedJson;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.HeliconeRecord;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void writesDocumentedFieldsOnOneLine() throws Exception {
    HeliconeRecord record = TestRecords.llm("s-1", "/analyze");
    String json = RecordJson.toJson(record);

    assertThat(json).doesNotContain("\n");
    JsonNode n = mapper.readTree(json);
    assertThat(n.get("schema").asInt()).isEqualTo(1);
    assertThat(n.get("type").asText()).isEqualTo("llm");
    assertThat(n.get("id").asText()).isEqualTo(record.id());
    assertThat(n.get("sessionId").asText()).isEqualTo("s-1");
    assertThat(n.get("sessionPath").asText()).isEqualTo("/analyze");
    assertThat(n.get("userId").asText()).isEqualTo("user-1");
    assertThat(n.get("properties").get("Environment").asText()).isEqualTo("test");
    assertThat(n.get("startTime").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(n.get("endTime").asText()).isEqualTo("2026-11-26T10:00:00.420Z");
    assertThat(n.get("durationMs").decimalValue()).isEqualByComparingTo("420.123456");
    assertThat(n.get("timeToFirstTokenMs").decimalValue()).isEqualByComparingTo("120");
    assertThat(n.get("provider").asText()).isEqualTo("openai");
    assertThat(n.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(n.get("operation").asText()).isEqualTo("chat");
    assertThat(n.get("stream").asBoolean()).isFalse();
    assertThat(n.get("status").asText()).isEqualTo("success");
    assertThat(n.get("usage").get("inputTokens").asLong()).isEqualTo(12);
    assertThat(n.get("usage").get("totalTokens").asLong()).isEqualTo(42);
    assertThat(n.get("usage").get("estimated").asBoolean()).isFalse();
    assertThat(n.get("costUsd").decimalValue()).isEqualByComparingTo("0.0000198");
    // JSON bodies are embedded as JSON, compacted.
    assertThat(n.get("request").get("body").get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(n.get("response").get("body").get("id").asText()).isEqualTo("chatcmpl-1");
    assertThat(n.get("response").get("status").asInt()).isEqualTo(200);
  }

  @Test
  void invalidJsonBodyIsWrittenAsString() throws Exception {
    HeliconeRecord base = TestRecords.llm(null, null);
    HeliconeRecord record =
        base.toBuilder()
            .request(
                new CapturedRequest(
                    "https://x", "POST", Map.of(), CapturedBody.json("{\"cut"), false, true))
            .build();
    JsonNode n = mapper.readTree(RecordJson.toJson(record));
    assertThat(n.get("request").get("body").asText()).isEqualTo("{\"cut");
    assertThat(n.get("request").get("truncated").asBoolean()).isTrue();
    assertThat(n.has("sessionId")).isFalse();
  }

  @Test
  void traceFields() throws Exception {
    JsonNode n = mapper.readTree(RecordJson.toJson(TestRecords.trace("s", "/a", "get-weather")));
    assertThat(n.get("type").asText()).isEqualTo("trace");
    assertThat(n.get("name").asText()).isEqualTo("get-weather");
    assertThat(n.get("kind").asText()).isEqualTo("tool");
    assertThat(n.get("input").asText()).isEqualTo("Paris");
    assertThat(n.get("output").get("temp").asInt()).isEqualTo(21);
    assertThat(n.has("request")).isFalse();
  }

  @Test
  void aStreamedResponseKeepsItsRawStreamOnceAndRebuildsItsBodyWhenWritten() throws Exception {
    String raw = "data: {\"c\":\"h\u00e9\\\"llo\"}\n\ndata: [DONE]\n\n";
    java.util.concurrent.atomic.AtomicInteger rebuilds =
        new java.util.concurrent.atomic.AtomicInteger();
    ai.helicone.record.CapturedResponse response =
        ai.helicone.record.CapturedResponse.ofStream(
            200,
            Map.of("content-type", "text/event-stream"),
            raw.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            in -> {
              rebuilds.incrementAndGet();
              return CapturedBody.json("{\n  \"rebuilt\": \"a b\"\n}");
            },
            false);
    HeliconeRecord record = TestRecords.llm(null, null).toBuilder().response(response).build();
    assertThat(rebuilds).hasValue(0);

    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    RecordJson.write(record, bytes);
    String line = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(rebuilds).hasValue(1);
    assertThat(line).doesNotContain("\n").isEqualTo(RecordJson.toJson(record));
    JsonNode n = mapper.readTree(line);
    assertThat(n.get("response").get("rawBody").asText()).isEqualTo(raw);
    assertThat(n.get("response").get("body").get("rebuilt").asText()).isEqualTo("a b");
    assertThat(response.rawBody()).isEqualTo(raw);
  }

  /** What {@link EmbeddedJson#writeCompact} writes for {@code json}, as the value of an array. */
  private static String compact(String json) throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartArray();
      EmbeddedJson.writeCompact(g, json);
      g.writeEndArray();
    }
    String written = out.toString();
    return written.substring(1, written.length() - 1);
  }

  @Test
  void compactPutsJsonOnOneLineAndKeepsWhitespaceInsideStrings() throws Exception {
    assertThat(compact("{ \"a b\" :\r\n [1, \"x \\\" y\"] }"))
        .isEqualTo("{ \"a b\" :[1, \"x \\\" y\"] }");
    assertThat(compact("{\n  \"id\": \"x y\",\n\t\"n\": [\r\n    1\n  ]\n}\n"))
        .isEqualTo("{\"id\": \"x y\",\"n\": [1]}");
    assertThat(compact("\n\r\n {\"a\":\r1\n,\r\n\"b\":2}\r")).isEqualTo("{\"a\":1,\"b\":2}");
    assertThat(compact("{\"a\":1}")).isEqualTo("{\"a\":1}");
    // Many lines, some ending in CR LF, some in LF: the same as dropping every break and its
    // indent.
    StringBuilder doc = new StringBuilder("[");
    StringBuilder expected = new StringBuilder("[");
    for (int i = 0; i < 300; i++) {
      doc.append(i == 0 ? "" : ",")
          .append(i % 7 == 0 ? "\r\n" : "\n")
          .append("   \"v ")
          .append(i)
          .append('"');
      expected.append(i == 0 ? "" : ",").append("\"v ").append(i).append('"');
    }
    assertThat(compact(doc.append("\n]").toString())).isEqualTo(expected.append("]").toString());
  }

  @Test
  void aBodyWrittenFromATreeIsWrittenWhereItGoesAndAsTextOnlyWhenAsked() throws Exception {
    ObjectNode message = mapper.createObjectNode().put("id", "chatcmpl-t");
    message.putArray("choices").addObject().putObject("message").put("content", "Hi \u00e9\n\"x\"");
    CapturedBody written = RawBodies.writtenJson(message);
    HeliconeRecord base = TestRecords.llm(null, null);
    HeliconeRecord record =
        base.toBuilder()
            .request(new CapturedRequest("https://x", "POST", Map.of(), written, false, false))
            .build();

    JsonNode line = mapper.readTree(RecordJson.toJson(record));
    assertThat(line.get("request").get("body")).isEqualTo(message);
    // Writing the record did not turn the tree into text.
    assertThat(RawBodies.unwrittenTree(written)).isSameAs(message);

    String text = written.text();
    assertThat(text).isEqualTo(mapper.writeValueAsString(message));
    assertThat(written.isJson()).isTrue();
    assertThat(written)
        .isEqualTo(CapturedBody.json(text))
        .hasSameHashCodeAs(CapturedBody.json(text));
    assertThat(written.toString()).isEqualTo(text);
    // Once written, the text is kept and the tree let go; the line is the same.
    assertThat(RawBodies.unwrittenTree(written)).isNull();
    assertThat(written.text()).isSameAs(text);
    assertThat(mapper.readTree(RecordJson.toJson(record))).isEqualTo(line);
  }

  @Test
  void timesAreWrittenAsInstantWritesThem() {
    Random random = new Random(7);
    char[] out = new char[40];
    List<Instant> instants = new ArrayList<>();
    instants.add(Instant.EPOCH);
    instants.add(Instant.parse("2026-11-26T10:00:00.420Z"));
    instants.add(Instant.parse("2026-11-26T10:00:00.000420Z"));
    instants.add(Instant.parse("2026-11-26T10:00:00.000000420Z"));
    instants.add(Instant.parse("-0001-01-01T00:00:00.5Z"));
    instants.add(Instant.parse("+12026-01-01T00:00:00.000001Z"));
    for (int i = 0; i < 20_000; i++) {
      long second = 1_700_000_000L + random.nextInt(4);
      int nano =
          switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      instants.add(Instant.ofEpochSecond(second, nano));
    }
    for (Instant t : instants) {
      assertThat(new String(out, 0, RecordJson.isoInstant(t, out))).isEqualTo(t.toString());
    }
  }

  @Test
  void durationsAreWrittenAsTheirDecimalMillisecondsAre() {
    Random random = new Random(11);
    char[] out = new char[RecordJson.MAX_MILLIS_CHARS];
    List<Long> nanos =
        new ArrayList<>(
            List.of(
                0L,
                1L,
                999L,
                1000L,
                1001L,
                999_999L,
                1_000_000L,
                36_057L,
                -1L,
                -1000L,
                -36_057L,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                Long.MAX_VALUE / 1000 * 1000,
                Long.MIN_VALUE / 1000 * 1000));
    for (int i = 0; i < 20_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      nanos.add(random.nextBoolean() ? value : value / 1000 * 1000);
    }
    for (long n : nanos) {
      BigDecimal expected =
          n % 1000 == 0 ? BigDecimal.valueOf(n / 1000, 3) : BigDecimal.valueOf(n, 6);
      assertThat(new String(out, 0, RecordJson.decimalMillis(n, out)))
          .as("%d ns", n)
          .isEqualTo(expected.toString());
    }
  }

  @Test
  void oneGeneratorWritesRecordAfterRecordAsTheOneShotWriterDoes() {
    HeliconeRecord first = TestRecords.llm("s-1", "/analyze");
    HeliconeRecord second =
        TestRecords.llm(null, null).toBuilder()
            .duration(java.time.Duration.ofNanos(36_057))
            .property("team", "search")
            .build();
    java.io.ByteArrayOutputStream lines = new java.io.ByteArrayOutputStream();
    JsonGenerator g = RecordJson.lineGenerator(lines);
    for (HeliconeRecord r : List.of(first, second, first)) {
      RecordJson.writeLine(r, g, true);
      lines.write('\n');
    }
    assertThat(lines.toString(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            RecordJson.toJson(first)
                + "\n"
                + RecordJson.toJson(second)
                + "\n"
                + RecordJson.toJson(first)
                + "\n");
    assertThat(RecordJson.toJson(second)).contains("\"durationMs\":0.036057");
  }
}
