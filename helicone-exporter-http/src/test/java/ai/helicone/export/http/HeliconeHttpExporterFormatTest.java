package ai.helicone.export.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.TraceKind;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What Helicone receives for each kind of record: path, headers and the exact JSON body. */
class HeliconeHttpExporterFormatTest {
  static final String HELICONE_KEY = "sk-helicone-test-key";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @RegisterExtension
  static WireMockExtension helicone =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private HeliconeHttpExporter exporter;

  @BeforeEach
  void setUp() {
    helicone.stubFor(post(anyUrl()).willReturn(ok("ok")));
    exporter =
        HeliconeHttpExporter.builder()
            .apiKey(HELICONE_KEY)
            .baseUrl(helicone.baseUrl())
            .maxAttempts(1)
            .build();
  }

  @AfterEach
  void tearDown() {
    exporter.close();
  }

  /** The Helicone-* headers of every {@link TestRecords#llm()} record. */
  private static final Map<String, String> LLM_HEADERS =
      Map.of(
          "Helicone-Request-Id", TestRecords.ID,
          "Helicone-Session-Id", "sess-1",
          "Helicone-Session-Path", "/research/analysis",
          "Helicone-Session-Name", "Research",
          "Helicone-User-Id", "user-1",
          "Helicone-Property-Environment", "test");

  /** {@code providerRequest.meta} of every {@link TestRecords#llm()} record. */
  private static final String LLM_META =
      """
      {
        "Helicone-Request-Id": "0b6f5a3e-8f1e-4c8a-9d3b-2a1c5e7f9a10",
        "Helicone-Session-Id": "sess-1",
        "Helicone-Session-Path": "/research/analysis",
        "Helicone-Session-Name": "Research",
        "Helicone-User-Id": "user-1",
        "Helicone-Property-Environment": "test"
      }
      """;

  /**
   * {@code timing} of every {@link TestRecords#llm()} record: 2026-11-26T10:00:00.250Z is
   * 1795687200 s and 250 ms; it ends 1.5 s later; the first token came after 300 ms.
   */
  private static final String LLM_TIMING =
      """
      {
        "startTime": {"seconds": 1795687200, "milliseconds": 250},
        "endTime": {"seconds": 1795687201, "milliseconds": 750},
        "timeToFirstToken": 300
      }
      """;

  private static final String STREAM_REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
          + "\"stream\":true}";

  @Test
  void plainCallIsLoggedToTheOpenAiRouteWithHeliconeHeaders() {
    LoggedRequest sent = exportOne(TestRecords.plainCall());

    assertThat(sent.getUrl()).isEqualTo("/oai/v1/log");
    assertSentHeaders(sent, LLM_HEADERS);
    assertThat(body(sent))
        .isEqualTo(
            llmLog(
                TestRecords.CHAT_REQUEST,
                """
                {
                  "json": %s,
                  "status": 200,
                  "headers": {"Content-Type": "application/json", "x-request-id": "req_123"}
                }
                """
                    .formatted(TestRecords.CHAT_RESPONSE)));
  }

  @Test
  void streamWithUsageSendsTheRawStreamAsTextBody() {
    String sse =
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}],"
            + "\"usage\":null}\n\n"
            + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
            + "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,"
            + "\"completion_tokens\":2,\"total_tokens\":10}}\n\n"
            + "data: [DONE]\n\n";

    LoggedRequest sent = exportOne(TestRecords.stream(sse, RecordStatus.SUCCESS));

    assertSentHeaders(sent, LLM_HEADERS);
    assertThat(body(sent))
        .isEqualTo(
            llmLog(
                STREAM_REQUEST,
                """
                {"json": {}, "textBody": %s, "status": 200,
                 "headers": {"Content-Type": "text/event-stream"}}
                """
                    .formatted(quote(sse))));
  }

  @Test
  void streamWithoutUsageGetsStreamTrueAddedToTheRequest() {
    String sse =
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},"
            + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
    HeliconeRecord record =
        TestRecords.stream(sse, RecordStatus.SUCCESS).toBuilder()
            .usage(null)
            .request(
                new CapturedRequest(
                    TestRecords.CHAT_URL,
                    "POST",
                    Map.of(),
                    CapturedBody.json(TestRecords.CHAT_REQUEST),
                    false,
                    false))
            .build();

    LoggedRequest sent = exportOne(record);

    assertSentHeaders(sent, LLM_HEADERS);
    assertThat(body(sent))
        .isEqualTo(
            llmLog(
                STREAM_REQUEST,
                """
                {"json": {}, "textBody": %s, "status": 200,
                 "headers": {"Content-Type": "text/event-stream"}}
                """
                    .formatted(quote(sse))));
  }

  @Test
  void aStreamsRequestSaysStreamTrueWhateverItsBodyWas() {
    String sse =
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
            + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
    CapturedBody notJson = CapturedBody.text("model=gpt-4o-mini&stream=1");
    for (CapturedBody requestBody : new CapturedBody[] {null, notJson}) {
      HeliconeRecord record =
          TestRecords.stream(sse, RecordStatus.SUCCESS).toBuilder()
              // Its own id: the exporter sends a record once.
              .id(java.util.UUID.randomUUID().toString())
              .request(
                  new CapturedRequest(
                      TestRecords.CHAT_URL,
                      "POST",
                      Map.of(),
                      requestBody,
                      requestBody == null,
                      false))
              .build();

      JsonNode request = body(exportOne(record)).at("/providerRequest/json");

      assertThat(request.get("stream").asBoolean()).as("%s", requestBody).isTrue();
      assertThat(request.get("model").asText()).isEqualTo("gpt-4o-mini");
      helicone.resetRequests();
    }
  }

  @Test
  void cancelledStreamHasStatusMinusThree() {
    String partial = "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";

    LoggedRequest sent = exportOne(TestRecords.stream(partial, RecordStatus.CANCELLED));

    assertSentHeaders(sent, LLM_HEADERS);
    assertThat(body(sent))
        .isEqualTo(
            llmLog(
                STREAM_REQUEST,
                """
                {"json": {}, "textBody": %s, "status": -3,
                 "headers": {"Content-Type": "text/event-stream"}}
                """
                    .formatted(quote(partial))));
  }

  @Test
  void anErrorInsideA200StreamIsStatus500WithTheErrorBeforeTheStream() {
    String sse =
        "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";

    HeliconeRecord record =
        TestRecords.stream(sse, RecordStatus.ERROR).toBuilder().error("overloaded").build();
    LoggedRequest sent = exportOne(record);

    assertThat(body(sent))
        .isEqualTo(
            llmLog(
                STREAM_REQUEST,
                """
                {"json": {}, "textBody": %s, "status": 500,
                 "headers": {"Content-Type": "text/event-stream"}}
                """
                    .formatted(quote("overloaded\n\n" + sse))));
  }

  @Test
  void providerErrorKeepsTheProviderStatusAndBody() {
    String error =
        "{\"error\":{\"message\":\"Invalid model\",\"type\":\"invalid_request_error\","
            + "\"param\":\"model\",\"code\":null}}";
    HeliconeRecord record =
        TestRecords.llm()
            .status(RecordStatus.ERROR)
            .error("Invalid model")
            .response(
                new CapturedResponse(400, Map.of(), CapturedBody.json(error), null, false, false))
            .build();

    LoggedRequest sent = exportOne(record);

    assertThat(sent.getUrl()).isEqualTo("/oai/v1/log");
    assertSentHeaders(sent, LLM_HEADERS);
    assertThat(body(sent))
        .isEqualTo(
            llmLog(
                TestRecords.CHAT_REQUEST,
                "{\"json\": " + error + ", \"status\": 400, \"headers\": {}}"));
  }

  @Test
  void providerServerErrorWithTextBodyIsSentAsTextBody() {
    HeliconeRecord record =
        TestRecords.llm()
            .status(RecordStatus.ERROR)
            .error("HTTP 500")
            .response(
                new CapturedResponse(
                    500, Map.of(), CapturedBody.text("upstream failure"), null, false, false))
            .build();

    JsonNode response = body(exportOne(record)).get("providerResponse");

    assertThat(response)
        .isEqualTo(
            json(
                "{\"json\": {}, \"textBody\": \"upstream failure\", \"status\": 500,"
                    + " \"headers\": {}}"));
  }

  @Test
  void aJsonTypedBodyThatIsNotOneJsonValueIsSentWholeAsText() {
    // Each is JSON by its content type only: a cut-off object, and one with more text after it.
    String cutOff = "{\"id\":\"chatcmpl-1\",\"choices\":[";
    String trailing = "{\"error\":{\"message\":\"busy\"}} retry later";
    HeliconeRecord record =
        TestRecords.llm()
            .request(TestRecords.chatRequest(CapturedBody.json(trailing)))
            .response(
                new CapturedResponse(200, Map.of(), CapturedBody.json(cutOff), null, false, false))
            .build();

    JsonNode body = body(exportOne(record));

    assertThat(body.at("/providerResponse/textBody").asText()).isEqualTo(cutOff);
    assertThat(body.at("/providerResponse/json")).isEqualTo(json("{}"));
    assertThat(body.at("/providerRequest/json"))
        .isEqualTo(
            json("{\"model\": \"gpt-4o-mini\", \"raw_body\": %s}".formatted(quote(trailing))));
  }

  @Test
  void transportErrorIsStatus500WithTheErrorText() {
    HeliconeRecord record =
        TestRecords.llm()
            .status(RecordStatus.ERROR)
            .error("java.net.SocketTimeoutException: timeout")
            .response(null)
            .build();

    JsonNode response = body(exportOne(record)).get("providerResponse");

    assertThat(response)
        .isEqualTo(
            json(
                "{\"json\": {\"error\": {\"message\": \"java.net.SocketTimeoutException:"
                    + " timeout\"}}, \"status\": 500, \"headers\": {}}"));
  }

  @Test
  void toolTraceIsAToolEvent() {
    HeliconeRecord record =
        TestRecords.trace(
                TraceKind.TOOL,
                "get_weather",
                CapturedBody.json("{\"city\":\"Paris\"}"),
                CapturedBody.json("{\"temperature\":21}"))
            .toBuilder()
            .id(TestRecords.ID)
            .build();

    LoggedRequest sent = exportOne(record);

    assertThat(sent.getUrl()).isEqualTo("/custom/v1/log");
    assertSentHeaders(
        sent, Map.of("Helicone-Request-Id", TestRecords.ID, "Helicone-Session-Id", "sess-1"));
    assertThat(body(sent))
        .isEqualTo(
            json(
                """
                {
                  "providerRequest": {
                    "url": "custom-model-nopath",
                    "json": {"_type": "tool", "toolName": "get_weather", "input": {"city": "Paris"}},
                    "meta": {
                      "Helicone-Request-Id": "0b6f5a3e-8f1e-4c8a-9d3b-2a1c5e7f9a10",
                      "Helicone-Session-Id": "sess-1"
                    }
                  },
                  "providerResponse": {
                    "json": {"temperature": 21, "_type": "tool", "toolName": "get_weather"},
                    "status": 200,
                    "headers": {}
                  },
                  "timing": {
                    "startTime": {"seconds": 1795687200, "milliseconds": 250},
                    "endTime": {"seconds": 1795687200, "milliseconds": 290}
                  },
                  "provider": "CUSTOM"
                }
                """));
  }

  @Test
  void vectorTraceTakesTheOperationFromItsInput() {
    HeliconeRecord record =
        TestRecords.trace(
            TraceKind.VECTOR_DB,
            "index-docs",
            CapturedBody.json(
                "{\"operation\":\"insert\",\"text\":\"doc\",\"databaseName\":\"kb\"}"),
            CapturedBody.text("3 ids"));

    LoggedRequest sent = exportOne(record);
    JsonNode body = body(sent);

    assertThat(sent.getUrl()).isEqualTo("/custom/v1/log");
    assertThat(body.at("/providerRequest/json"))
        .isEqualTo(
            json(
                "{\"_type\":\"vector_db\",\"operation\":\"insert\",\"text\":\"doc\","
                    + "\"databaseName\":\"kb\"}"));
    assertThat(body.at("/providerResponse/json"))
        .isEqualTo(json("{\"output\":\"3 ids\",\"_type\":\"vector_db\",\"operation\":\"insert\"}"));
    assertThat(body.at("/providerResponse/status").asInt()).isEqualTo(200);
    assertThat(body.get("provider").asText()).isEqualTo("CUSTOM");
  }

  @Test
  void vectorTraceWithoutOperationIsASearch() {
    HeliconeRecord record =
        TestRecords.trace(
            TraceKind.VECTOR_DB,
            "retrieve",
            CapturedBody.json("{\"text\":\"capital of France\",\"topK\":3}"),
            CapturedBody.json("[{\"id\":\"d1\",\"score\":0.9}]"));

    JsonNode body = body(exportOne(record));

    assertThat(body.at("/providerRequest/json"))
        .isEqualTo(
            json(
                "{\"_type\":\"vector_db\",\"operation\":\"search\",\"text\":\"capital of France\","
                    + "\"topK\":3}"));
    assertThat(body.at("/providerResponse/json"))
        .isEqualTo(
            json(
                "{\"output\":[{\"id\":\"d1\",\"score\":0.9}],\"_type\":\"vector_db\","
                    + "\"operation\":\"search\"}"));
  }

  @Test
  void otherTraceKindsAreDataEvents() {
    HeliconeRecord record =
        TestRecords.trace(TraceKind.DATABASE, "load-user", CapturedBody.text("SELECT 1"), null)
            .toBuilder()
            .status(RecordStatus.ERROR)
            .error("connection refused")
            .build();

    LoggedRequest sent = exportOne(record);
    JsonNode body = body(sent);

    assertThat(sent.getUrl()).isEqualTo("/custom/v1/log");
    assertThat(body.at("/providerRequest/json"))
        .isEqualTo(
            json(
                "{\"_type\":\"data\",\"name\":\"load-user\",\"kind\":\"database\","
                    + "\"input\":\"SELECT 1\"}"));
    assertThat(body.at("/providerResponse/json"))
        .isEqualTo(
            json(
                "{\"_type\":\"data\",\"name\":\"load-user\",\"error\":{\"message\":\"connection"
                    + " refused\"}}"));
    assertThat(body.at("/providerResponse/status").asInt()).isEqualTo(500);
    assertThat(body.get("provider").asText()).isEqualTo("CUSTOM");
  }

  @Test
  void customAndHttpTracesAreDataEventsToo() {
    for (TraceKind kind : List.of(TraceKind.CUSTOM, TraceKind.HTTP)) {
      helicone.resetRequests();
      JsonNode body =
          body(exportOne(TestRecords.trace(kind, "step", null, CapturedBody.json("{\"n\":1}"))));
      assertThat(body.at("/providerRequest/json"))
          .isEqualTo(
              json(
                  "{\"_type\":\"data\",\"name\":\"step\",\"kind\":\""
                      + kind.name().toLowerCase(java.util.Locale.ROOT)
                      + "\"}"));
      assertThat(body.at("/providerResponse/json"))
          .isEqualTo(json("{\"n\":1,\"_type\":\"data\",\"name\":\"step\"}"));
    }
  }

  @Test
  void omittedBodiesAreNotSentAndFlagged() {
    HeliconeRecord record =
        TestRecords.llm()
            .request(new CapturedRequest(TestRecords.CHAT_URL, "POST", Map.of(), null, true, false))
            .response(new CapturedResponse(200, Map.of(), null, null, true, false))
            .build();

    LoggedRequest sent = exportOne(record);

    Map<String, String> headers = new java.util.LinkedHashMap<>(LLM_HEADERS);
    headers.put("Helicone-Omit-Request", "true");
    headers.put("Helicone-Omit-Response", "true");
    assertSentHeaders(sent, headers);
    // Only the requested model and the token counts remain, so Helicone can still compute the cost.
    assertThat(body(sent))
        .isEqualTo(
            json(
                """
                {
                  "providerRequest": {
                    "url": "https://api.openai.com/v1/chat/completions",
                    "json": {"model": "gpt-4o-mini"},
                    "meta": {
                      "Helicone-Request-Id": "0b6f5a3e-8f1e-4c8a-9d3b-2a1c5e7f9a10",
                      "Helicone-Session-Id": "sess-1",
                      "Helicone-Session-Path": "/research/analysis",
                      "Helicone-Session-Name": "Research",
                      "Helicone-User-Id": "user-1",
                      "Helicone-Property-Environment": "test",
                      "Helicone-Omit-Request": "true",
                      "Helicone-Omit-Response": "true"
                    }
                  },
                  "providerResponse": {
                    "json": {
                      "model": "gpt-4o-mini-2024-07-18",
                      "usage": {"prompt_tokens": 8, "completion_tokens": 2, "total_tokens": 10}
                    },
                    "status": 200,
                    "headers": {}
                  },
                  "timing": %s,
                  "provider": "OPENAI"
                }
                """
                    .formatted(LLM_TIMING)));
  }

  @Test
  void oversizedRequestBodyIsTruncatedBelowTenMegabytesAndFlagged() {
    String huge = "a".repeat(12 * 1024 * 1024);
    HeliconeRecord record =
        TestRecords.llm()
            .request(
                new CapturedRequest(
                    TestRecords.CHAT_URL,
                    "POST",
                    Map.of(),
                    CapturedBody.json(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                            + huge
                            + "\"}]}"),
                    false,
                    false))
            .build();

    LoggedRequest sent = exportOne(record);
    JsonNode body = body(sent);

    assertThat(sent.getBody().length).isLessThan(10_000_000);
    assertThat(sent.getHeader("Helicone-Property-helicone-truncated")).isEqualTo("true");
    assertThat(body.at("/providerRequest/json/model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.at("/providerRequest/json/messages/0/content").asText())
        .startsWith("aaaa")
        .endsWith("...[truncated]");
    assertThat(body.at("/providerResponse/json")).isEqualTo(json(TestRecords.CHAT_RESPONSE));
  }

  @Test
  void oversizedStreamKeepsItsStartAndItsUsageChunk() {
    String chunk =
        "data: {\"choices\":[{\"delta\":{\"content\":\"" + "y".repeat(200) + "\"}}]}\n\n";
    String usage =
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2,"
            + "\"total_tokens\":10}}\n\ndata: [DONE]\n\n";
    String sse = chunk.repeat(60_000) + usage;
    assertThat(sse.length()).isGreaterThan(10_000_000);

    LoggedRequest sent = exportOne(TestRecords.stream(sse, RecordStatus.SUCCESS));
    JsonNode body = body(sent);

    assertThat(sent.getBody().length).isLessThan(10_000_000);
    assertThat(sent.getHeader("Helicone-Property-helicone-truncated")).isEqualTo("true");
    String textBody = body.at("/providerResponse/textBody").asText();
    assertThat(textBody).startsWith(chunk).endsWith(usage).contains(": truncated ");
  }

  @Test
  void oversizedNumberArraysAreCutToo() {
    // An embeddings response: no long string to shorten, only a long array of numbers.
    String vector = "0.0123456789,".repeat(40_000) + "0.5";
    String response =
        "{\"object\":\"list\",\"model\":\"text-embedding-3-small\",\"data\":[{\"object\":"
            + "\"embedding\",\"index\":0,\"embedding\":["
            + vector
            + "]}],\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}";
    HeliconeRecord record =
        TestRecords.llm()
            .response(
                new CapturedResponse(
                    200, Map.of(), CapturedBody.json(response), null, false, false))
            .build();
    exporter.close();
    exporter =
        HeliconeHttpExporter.builder()
            .apiKey(HELICONE_KEY)
            .baseUrl(helicone.baseUrl())
            .maxPayloadBytes(100_000)
            .build();

    LoggedRequest sent = exportOne(record);
    JsonNode body = body(sent);

    assertThat(sent.getBody().length).isLessThanOrEqualTo(100_000);
    assertThat(sent.getHeader("Helicone-Property-helicone-truncated")).isEqualTo("true");
    assertThat(body.at("/providerResponse/json/model").asText())
        .isEqualTo("text-embedding-3-small");
    assertThat(body.at("/providerResponse/json/usage"))
        .isEqualTo(json("{\"prompt_tokens\":3,\"total_tokens\":3}"));
    JsonNode embedding = body.at("/providerResponse/json/data/0/embedding");
    assertThat(embedding.get(embedding.size() - 1).asText()).endsWith("more items truncated]");
  }

  @Test
  void recordsCutAtCaptureAreFlaggedToo() {
    HeliconeRecord record =
        TestRecords.llm()
            .request(
                new CapturedRequest(
                    TestRecords.CHAT_URL,
                    "POST",
                    Map.of(),
                    CapturedBody.text("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"ro"),
                    false,
                    true))
            .build();

    LoggedRequest sent = exportOne(record);

    assertThat(sent.getHeader("Helicone-Property-helicone-truncated")).isEqualTo("true");
    // A body that is not JSON travels in a documented wrapper.
    assertThat(body(sent).at("/providerRequest/json"))
        .isEqualTo(
            json(
                "{\"model\":\"gpt-4o-mini\",\"raw_body\":"
                    + quote("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"ro")
                    + "}"));
  }

  @Test
  void noProviderKeyIsSentAnywhere() {
    HeliconeRecord record =
        TestRecords.llm()
            .request(
                new CapturedRequest(
                    "https://generativelanguage.googleapis.com/v1beta/models/m:generateContent?key="
                        + TestRecords.PROVIDER_SECRET,
                    "POST",
                    TestRecords.requestHeaders(),
                    CapturedBody.json(TestRecords.CHAT_REQUEST),
                    false,
                    false))
            .build();

    LoggedRequest sent = exportOne(record);

    assertThat(sent.getBodyAsString()).doesNotContain("SECRET123");
    for (HttpHeader header : sent.getHeaders().all()) {
      assertThat(header.values()).allSatisfy(v -> assertThat(v).doesNotContain("SECRET123"));
    }
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + HELICONE_KEY);
    assertThat(body(sent).at("/providerResponse/headers"))
        .isEqualTo(json("{\"Content-Type\":\"application/json\",\"x-request-id\":\"req_123\"}"));
  }

  @Test
  void unsendableMetadataStaysInMetaAndNeverBreaksTheExport() {
    HeliconeRecord record =
        TestRecords.llm()
            .properties(Map.of())
            .property("Multi", "line\r\nvalue")
            .property("Owner", "Zoë")
            .property("has space", "v")
            .userId("user\n2")
            .build();

    LoggedRequest sent = exportOne(record);
    JsonNode meta = body(sent).at("/providerRequest/meta");

    assertThat(sent.getHeader("Helicone-Property-Multi")).isEqualTo("line  value");
    assertThat(sent.getHeader("Helicone-User-Id")).isEqualTo("user 2");
    assertThat(sent.containsHeader("Helicone-Property-Owner")).isFalse();
    assertThat(meta.get("Helicone-Property-Owner").asText()).isEqualTo("Zoë");
    assertThat(meta.get("Helicone-Property-has space").asText()).isEqualTo("v");
  }

  @Test
  void nonUuidIdsBecomeStableUuids() {
    HeliconeRecord record = TestRecords.llm().id("call-42").build();

    String first = exportOne(record).getHeader("Helicone-Request-Id");

    assertThat(first)
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void providersChooseTheirRoute() {
    assertRoute(TestRecords.llm().provider("anthropic").build(), "/anthropic/v1/log", "ANTHROPIC");
    assertRoute(TestRecords.llm().provider("gemini").build(), "/googleapis/v1/log", "GOOGLE");
    assertRoute(TestRecords.llm().provider("vertex_ai").build(), "/googleapis/v1/log", "GOOGLE");
    assertRoute(TestRecords.llm().provider("azure").build(), "/v1/trace/custom/v1/log", "AZURE");
    assertRoute(TestRecords.llm().provider("groq").build(), "/v1/trace/custom/v1/log", "GROQ");
    assertRoute(TestRecords.llm().provider("xai").build(), "/v1/trace/custom/v1/log", "X");
    assertRoute(TestRecords.llm().provider("ollama").build(), "/v1/trace/custom/v1/log", "LOCAL");
    // A provider Helicone has no name for, speaking OpenAI's protocol, is read as OpenAI.
    assertRoute(TestRecords.llm().provider("my-provider").build(), "/oai/v1/log", "OPENAI");
    assertRoute(
        TestRecords.llm()
            .provider("cohere")
            .request(
                new CapturedRequest(
                    "https://api.cohere.com/v2/chat",
                    "POST",
                    Map.of(),
                    CapturedBody.json("{}"),
                    false,
                    false))
            .build(),
        "/v1/trace/custom/v1/log",
        "COHERE");
    // An unknown provider speaking the OpenAI protocol is logged as OpenAI.
    assertRoute(TestRecords.llm().provider(null).build(), "/oai/v1/log", "OPENAI");
  }

  private void assertRoute(HeliconeRecord record, String path, String provider) {
    helicone.resetRequests();
    LoggedRequest sent =
        exportOne(record.toBuilder().id(java.util.UUID.randomUUID().toString()).build());
    assertThat(sent.getUrl()).isEqualTo(path);
    assertThat(body(sent).get("provider").asText()).isEqualTo(provider);
  }

  /** The whole log body of a {@link TestRecords#llm()} record with the given bodies. */
  private static JsonNode llmLog(String requestJson, String providerResponse) {
    return json(
        """
        {
          "providerRequest": {
            "url": "https://api.openai.com/v1/chat/completions",
            "json": %s,
            "meta": %s
          },
          "providerResponse": %s,
          "timing": %s,
          "provider": "OPENAI"
        }
        """
            .formatted(requestJson, LLM_META, providerResponse, LLM_TIMING));
  }

  /**
   * The log request carries Helicone's key, a JSON content type, and exactly the given Helicone-*
   * headers.
   */
  private static void assertSentHeaders(LoggedRequest sent, Map<String, String> expected) {
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + HELICONE_KEY);
    assertThat(sent.getHeader("Content-Type"))
        .isEqualToIgnoringCase("application/json; charset=utf-8");
    Map<String, String> helicone = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (HttpHeader header : sent.getHeaders().all()) {
      if (header.key().regionMatches(true, 0, "helicone-", 0, 9)) {
        assertThat(header.values()).as(header.key()).hasSize(1);
        helicone.put(header.key(), header.firstValue());
      }
    }
    Map<String, String> wanted = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    wanted.putAll(expected);
    assertThat(helicone).containsExactlyEntriesOf(wanted);
  }

  private LoggedRequest exportOne(HeliconeRecord record) {
    assertThat(exporter.export(List.of(record)).isSuccess()).isTrue();
    List<LoggedRequest> requests = helicone.findAll(postRequestedFor(anyUrl()));
    assertThat(requests).hasSize(1);
    return requests.get(0);
  }

  static JsonNode body(LoggedRequest request) {
    return json(request.getBodyAsString());
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quote(String text) {
    try {
      return MAPPER.writeValueAsString(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
