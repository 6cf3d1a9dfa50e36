package ai.helicone.otlp;

import static ai.helicone.otlp.OtlpReceiver.attributes;
import static ai.helicone.otlp.OtlpReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import ai.helicone.TraceKind;
import ai.helicone.export.ExportResult;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedRequest;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import ai.helicone.spi.ContextCapturer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpExporterSpanTest {
  private final OtlpReceiver receiver = new OtlpReceiver();
  private OtlpExporter exporter;

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
    receiver.close();
  }

  private OtlpExporter.Builder builder() {
    return OtlpExporter.builder().endpoint(receiver.endpoint()).metrics(false);
  }

  private Span exportOne(OtlpExporter.Builder b, HeliconeRecord r) {
    exporter = b.build();
    assertThat(exporter.export(List.of(r)).isSuccess()).isTrue();
    assertThat(receiver.spans()).hasSize(1);
    return receiver.spans().get(0);
  }

  @Test
  void llmCallBecomesClientSpanWithGenAiAttributes() {
    HeliconeRecord r =
        TestRecords.streamedChat()
            .userId("user-7")
            .property("env", "test")
            .property("Team", "core")
            .build();

    Span span = exportOne(builder().serviceName("billing"), r);

    assertThat(span.getName()).isEqualTo("chat gpt-4o");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStartTimeUnixNano())
        .isEqualTo(TestRecords.T0.getEpochSecond() * 1_000_000_000L);
    assertThat(span.getEndTimeUnixNano() - span.getStartTimeUnixNano()).isEqualTo(1_500_000_000L);
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
    Map<String, Object> a = attributes(span);
    assertThat(a)
        .contains(
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.model", "gpt-4o"),
            entry("gen_ai.request.temperature", 0.2),
            entry("gen_ai.request.max_tokens", 100L),
            entry("gen_ai.request.top_p", 0.9),
            entry("gen_ai.request.frequency_penalty", 0.5),
            entry("gen_ai.request.presence_penalty", 0.1),
            entry("gen_ai.request.stop_sequences", List.of("END")),
            entry("gen_ai.request.seed", 42L),
            entry("gen_ai.request.stream", true),
            entry("gen_ai.response.id", "chatcmpl-1"),
            entry("gen_ai.response.model", "gpt-4o-2024-08-06"),
            entry("gen_ai.response.finish_reasons", List.of("stop")),
            entry("gen_ai.response.time_to_first_chunk", 0.25),
            entry("gen_ai.usage.input_tokens", 12L),
            entry("gen_ai.usage.output_tokens", 3L),
            entry("gen_ai.usage.cache_read.input_tokens", 4L),
            entry("gen_ai.usage.cache_creation.input_tokens", 2L),
            entry("gen_ai.usage.reasoning.output_tokens", 1L),
            entry("server.address", "api.openai.com"),
            entry("server.port", 443L),
            entry("user.id", "user-7"),
            entry("helicone.request_id", r.id()),
            entry("helicone.property.env", "test"),
            entry("helicone.property.Team", "core"),
            entry("helicone.cost_usd", 0.00006),
            entry("helicone.usage.estimated", false));
    assertThat(a)
        .doesNotContainKeys(
            "error.type",
            "session.id",
            "gen_ai.input.messages",
            "gen_ai.output.messages",
            "gen_ai.system");
    Map<String, Object> resource =
        attributes(
            receiver.traceRequests().get(0).getResourceSpans(0).getResource().getAttributesList());
    assertThat(resource).containsEntry("service.name", "billing");
    assertThat(
            receiver
                .traceRequests()
                .get(0)
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getScope()
                .getName())
        .isEqualTo("ai.helicone.otlp");
  }

  @Test
  void estimatedUsageAndServerPortsAreReported() {
    exporter = builder().build();
    HeliconeRecord local =
        TestRecords.chat()
            .requestModel("m-local")
            .usage(Usage.builder().inputTokens(5L).outputTokens(2L).estimated(true).build())
            .request(
                new CapturedRequest(
                    "http://localhost:8080/v1/chat/completions",
                    "POST",
                    Map.of(),
                    null,
                    false,
                    false))
            .build();
    HeliconeRecord plainHttp =
        TestRecords.chat()
            .requestModel("m-http")
            .usage(null)
            .request(
                new CapturedRequest(
                    "http://gateway.internal/v1/chat/completions",
                    "POST",
                    Map.of(),
                    null,
                    false,
                    false))
            .build();

    assertThat(exporter.export(List.of(local, plainHttp)).isSuccess()).isTrue();

    assertThat(attributes(receiver.span("chat m-local")))
        .contains(
            entry("helicone.usage.estimated", true),
            entry("gen_ai.usage.input_tokens", 5L),
            entry("server.address", "localhost"),
            entry("server.port", 8080L))
        .doesNotContainKeys(
            "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.reasoning.output_tokens");
    assertThat(attributes(receiver.span("chat m-http")))
        .contains(entry("server.address", "gateway.internal"), entry("server.port", 80L))
        .doesNotContainKeys("helicone.usage.estimated", "gen_ai.usage.input_tokens");
  }

  @Test
  void mapsOperationsAndProviders() {
    exporter = builder().build();
    HeliconeRecord embeddings =
        TestRecords.chat()
            .operation("embeddings")
            .provider("azure")
            .requestModel("emb-deploy")
            .build();
    HeliconeRecord responses =
        TestRecords.chat()
            .operation("responses")
            .provider("google")
            .requestModel("gemini-2.5")
            .build();
    HeliconeRecord completion =
        TestRecords.chat()
            .operation("text_completion")
            .provider("xai")
            .requestModel("grok")
            .build();
    HeliconeRecord other =
        TestRecords.chat().operation("rerank").provider("cohere").requestModel("rr").build();

    assertThat(exporter.export(List.of(embeddings, responses, completion, other)).isSuccess())
        .isTrue();

    assertThat(receiver.names())
        .containsExactly(
            "embeddings emb-deploy", "chat gemini-2.5", "text_completion grok", "rerank rr");
    assertThat(attributes(receiver.span("embeddings emb-deploy")))
        .containsEntry("gen_ai.provider.name", "azure.ai.openai");
    assertThat(attributes(receiver.span("chat gemini-2.5")))
        .containsEntry("gen_ai.provider.name", "gcp.gemini");
    assertThat(attributes(receiver.span("text_completion grok")))
        .containsEntry("gen_ai.provider.name", "x_ai");
    assertThat(attributes(receiver.span("rerank rr")))
        .containsEntry("gen_ai.provider.name", "cohere")
        .containsEntry("gen_ai.operation.name", "rerank");
  }

  @Test
  void failuresSetErrorStatusAndType() {
    exporter = builder().build();
    HeliconeRecord httpError =
        TestRecords.chat()
            .requestModel("m-http")
            .status(RecordStatus.ERROR)
            .error("HTTP 429: rate limited")
            .response(new CapturedResponse(429, Map.of(), null, null, false, false))
            .build();
    HeliconeRecord transport =
        TestRecords.chat()
            .requestModel("m-io")
            .status(RecordStatus.ERROR)
            .error("java.net.SocketTimeoutException: timeout")
            .response(null)
            .build();
    HeliconeRecord cancelled =
        TestRecords.chat().requestModel("m-cancel").status(RecordStatus.CANCELLED).build();
    HeliconeRecord streamError =
        TestRecords.chat()
            .requestModel("m-stream")
            .status(RecordStatus.ERROR)
            .error("server_error in stream")
            .build();

    assertThat(exporter.export(List.of(httpError, transport, cancelled, streamError)).isSuccess())
        .isTrue();

    Span http = receiver.span("chat m-http");
    assertThat(http.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(http.getStatus().getMessage()).isEqualTo("HTTP 429: rate limited");
    assertThat(attributes(http)).containsEntry("error.type", "429");
    assertThat(attributes(receiver.span("chat m-io")))
        .containsEntry("error.type", "java.net.SocketTimeoutException");
    Span cancel = receiver.span("chat m-cancel");
    assertThat(cancel.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attributes(cancel)).containsEntry("error.type", "cancelled");
    assertThat(attributes(receiver.span("chat m-stream"))).containsEntry("error.type", "_OTHER");
  }

  @Test
  void contentIsOffByDefault() {
    HeliconeRecord tool = TestRecords.trace(TraceKind.TOOL, "get_weather").build();
    HeliconeRecord search = TestRecords.trace(TraceKind.VECTOR_DB, "search-docs").build();
    exporter = builder().build();
    exporter.export(List.of(TestRecords.chat().build(), tool, search));

    assertThat(receiver.spans()).hasSize(3);
    for (Span s : receiver.spans()) {
      assertThat(attributes(s).keySet())
          .noneMatch(k -> k.contains("messages") || k.contains("instructions"))
          .noneMatch(k -> k.startsWith("gen_ai.tool.call.") || k.startsWith("helicone.trace.in"))
          .noneMatch(k -> k.startsWith("helicone.trace.out"))
          .noneMatch(k -> k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion"));
    }
  }

  @Test
  void contentIsExportedInConventionShapeWhenEnabled() throws Exception {
    Span span = exportOne(builder().captureContent(true), TestRecords.chat().build());

    Map<String, Object> a = attributes(span);
    ObjectMapper json = new ObjectMapper();
    JsonNode input = json.readTree((String) a.get("gen_ai.input.messages"));
    assertThat(input)
        .isEqualTo(
            json.readTree(
                "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
                    + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Say hi\"}]}]"));
    JsonNode output = json.readTree((String) a.get("gen_ai.output.messages"));
    assertThat(output)
        .isEqualTo(
            json.readTree(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi!\"}],"
                    + "\"finish_reason\":\"stop\"}]"));
  }

  @Test
  void systemInstructionsComeFromResponsesApiInstructions() throws Exception {
    String request =
        "{\"model\":\"gpt-4.1\",\"instructions\":\"Answer in French.\",\"input\":\"Hello\"}";
    String response =
        "{\"id\":\"resp_1\",\"output\":[{\"type\":\"message\",\"role\":\"assistant\","
            + "\"content\":[{\"type\":\"output_text\",\"text\":\"Bonjour\"}]}]}";
    HeliconeRecord r =
        TestRecords.chat()
            .operation("responses")
            .request(
                new CapturedRequest(
                    "https://api.openai.com/v1/responses",
                    "POST",
                    Map.of(),
                    CapturedBody.json(request),
                    false,
                    false))
            .response(
                new CapturedResponse(
                    200, Map.of(), CapturedBody.json(response), null, false, false))
            .build();

    Map<String, Object> a = attributes(exportOne(builder().captureContent(true), r));

    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree((String) a.get("gen_ai.system_instructions")))
        .isEqualTo(json.readTree("[{\"type\":\"text\",\"content\":\"Answer in French.\"}]"));
    assertThat(json.readTree((String) a.get("gen_ai.input.messages")))
        .isEqualTo(
            json.readTree(
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello\"}]}]"));
    assertThat(json.readTree((String) a.get("gen_ai.output.messages")))
        .isEqualTo(
            json.readTree(
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Bonjour\"}],"
                    + "\"finish_reason\":\"stop\"}]"));
  }

  @Test
  void omittedBodiesAreNeverExported() {
    HeliconeRecord r =
        TestRecords.chat()
            .request(
                new CapturedRequest(
                    "https://api.openai.com/v1/chat/completions",
                    "POST",
                    Map.of(),
                    CapturedBody.json(TestRecords.CHAT_REQUEST),
                    true,
                    false))
            .response(
                new CapturedResponse(
                    200, Map.of(), CapturedBody.json(TestRecords.CHAT_RESPONSE), null, true, false))
            .build();

    Map<String, Object> a =
        attributes(exportOne(builder().captureContent(true).heliconeCompatible(true), r));

    assertThat(a.keySet())
        .doesNotContain("gen_ai.input.messages", "gen_ai.output.messages")
        .noneMatch(k -> k.startsWith("gen_ai.prompt.") || k.startsWith("gen_ai.completion."));
  }

  @Test
  void heliconeCompatibilityAddsIngestionAttributes() {
    HeliconeRecord r =
        TestRecords.chat()
            .sessionId("s-1")
            .sessionPath("/plan")
            .sessionName("Trip")
            .userId("u-1")
            .property("env", "prod")
            .build();
    exporter = builder().heliconeCompatible(true).captureContent(true).build();
    exporter.export(List.of(r));

    Map<String, Object> a = attributes(receiver.span("chat gpt-4o"));
    String p = "traceloop.association.properties.";
    assertThat(a)
        .contains(
            entry(p + "Helicone-Session-Id", "s-1"),
            entry(p + "Helicone-Session-Path", "/plan"),
            entry(p + "Helicone-Session-Name", "Trip"),
            entry(p + "Helicone-User-Id", "u-1"),
            entry(p + "Helicone-Property-env", "prod"),
            entry(p + "Helicone-Request-Id", r.id()),
            entry("gen_ai.system", "OPENAI"),
            entry("gen_ai.usage.prompt_tokens", 12L),
            entry("gen_ai.usage.completion_tokens", 3L),
            entry("llm.usage.total_tokens", 15L),
            entry("gen_ai.prompt.0.role", "system"),
            entry("gen_ai.prompt.0.content", "Be brief."),
            entry("gen_ai.prompt.1.role", "user"),
            entry("gen_ai.prompt.1.content", "Say hi"),
            entry("gen_ai.completion.0.role", "assistant"),
            entry("gen_ai.completion.0.content", "Hi!"),
            entry("gen_ai.completion.0.finish_reason", "stop"));
  }

  @Test
  void customTracesBecomeInternalSpans() {
    HeliconeRecord tool = TestRecords.trace(TraceKind.TOOL, "get_weather").build();
    HeliconeRecord search =
        TestRecords.trace(TraceKind.VECTOR_DB, "search-docs")
            .status(RecordStatus.ERROR)
            .error("java.lang.IllegalStateException: index missing")
            .build();
    exporter = builder().captureContent(true).build();

    assertThat(exporter.export(List.of(tool, search)).isSuccess()).isTrue();

    Span toolSpan = receiver.span("execute_tool get_weather");
    assertThat(toolSpan.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(attributes(toolSpan))
        .contains(
            entry("gen_ai.operation.name", "execute_tool"),
            entry("gen_ai.tool.name", "get_weather"),
            entry("gen_ai.tool.call.arguments", "{\"query\":\"weather\"}"),
            entry("gen_ai.tool.call.result", "sunny"),
            entry("helicone.request_id", tool.id()));
    Span searchSpan = receiver.span("vector_db search-docs");
    assertThat(searchSpan.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(searchSpan.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attributes(searchSpan))
        .contains(
            entry("helicone.trace.kind", "vector_db"),
            entry("helicone.trace.input", "{\"query\":\"weather\"}"),
            entry("helicone.trace.output", "sunny"),
            entry("error.type", "java.lang.IllegalStateException"))
        .doesNotContainKey("gen_ai.operation.name");
  }

  @Test
  void activeApplicationSpanBecomesTheParent() {
    ContextCapturer capturer =
        ServiceLoader.load(ContextCapturer.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(c -> c instanceof OtelContextCapturer)
            .findFirst()
            .orElseThrow();
    Map<String, String> captured;
    io.opentelemetry.api.trace.SpanContext appSpan;
    try (SdkTracerProvider app =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new CollectingSpanExporter()))
            .build()) {
      Tracer tracer = app.get("app");
      io.opentelemetry.api.trace.Span handler = tracer.spanBuilder("handle request").startSpan();
      Scope scope = handler.makeCurrent();
      try {
        captured = capturer.capture();
      } finally {
        scope.close();
        handler.end();
      }
      appSpan = handler.getSpanContext();
    }
    assertThat(capturer.capture()).isEmpty();
    HeliconeRecord r =
        TestRecords.chat().sessionId("s-9").sessionPath("/x").contextAttributes(captured).build();

    Span span = exportOne(builder(), r);

    assertThat(hex(span.getTraceId())).isEqualTo(appSpan.getTraceId());
    assertThat(hex(span.getParentSpanId())).isEqualTo(appSpan.getSpanId());
    assertThat(attributes(span))
        .containsEntry("session.id", "s-9")
        .containsEntry("gen_ai.conversation.id", "s-9")
        .containsEntry("helicone.session.path", "/x");
  }

  @Test
  void gzipCompressedRequestsDecode() {
    Span span = exportOne(builder().compression("gzip"), TestRecords.chat().build());

    assertThat(receiver.requests("/v1/traces").get(0).header("Content-Encoding")).isEqualTo("gzip");
    assertThat(span.getName()).isEqualTo("chat gpt-4o");
  }

  @Test
  void unavailableReceiverGivesRetryableAndTheRetryDelivers() {
    exporter = builder().build();
    List<HeliconeRecord> batch = List.of(TestRecords.chat().build(), TestRecords.chat().build());
    receiver.respondNextWith(503);

    ExportResult first = exporter.export(batch);
    ExportResult second = exporter.export(batch);

    assertThat(first.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(second.isSuccess()).isTrue();
    List<OtlpReceiver.Received> requests = receiver.requests("/v1/traces");
    assertThat(requests).extracting(q -> q.status).containsExactly(503, 200);
    // The retry carries the same spans, with the same ids, so backends see no duplicates.
    assertThat(OtlpReceiver.parseTraces(requests.get(0).body))
        .isEqualTo(OtlpReceiver.parseTraces(requests.get(1).body));
    assertThat(receiver.spans()).hasSize(2);
  }

  @Test
  void unreachableReceiverGivesRetryable() {
    receiver.close();
    exporter = builder().timeout(java.time.Duration.ofSeconds(2)).build();

    assertThat(exporter.export(List.of(TestRecords.chat().build())).kind())
        .isEqualTo(ExportResult.Kind.RETRYABLE);
  }
}
