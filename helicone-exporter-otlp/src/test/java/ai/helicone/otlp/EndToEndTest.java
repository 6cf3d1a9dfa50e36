package ai.helicone.otlp;

import static ai.helicone.otlp.OtlpReceiver.attributes;
import static ai.helicone.otlp.OtlpReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.offset;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.TraceKind;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.otlp.internal.Ids;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordType;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path to an OTLP backend: an instrumented OkHttp call to a local OpenAI-shaped server,
 * read by the OpenAI adapter, exported by {@link OtlpExporter} through the export pipeline to a
 * local OTLP receiver.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class EndToEndTest {
  private final OtlpReceiver receiver = new OtlpReceiver();
  private final MockWebServer llm = new MockWebServer();
  private final InMemoryExporter records = new InMemoryExporter();
  private Helicone helicone;
  private OkHttpClient client;

  @BeforeEach
  void setUp() throws IOException {
    llm.start(InetAddress.getLoopbackAddress(), 0);
    helicone =
        Helicone.builder()
            .addExporter(
                OtlpExporter.builder()
                    .endpoint(receiver.endpoint())
                    .metrics(false)
                    .serviceName("e2e")
                    .build())
            .addExporter(records)
            .addAdapter(OpenAiAdapter.builder().compatibleHost(llmHost(), "openai").build())
            .batchDelay(Duration.ofMillis(5))
            .build();
    client = helicone.instrument(new OkHttpClient());
  }

  @AfterEach
  void tearDown() throws IOException {
    helicone.close();
    llm.shutdown();
    receiver.close();
  }

  private String llmHost() {
    return llm.getHostName() + ":" + llm.getPort();
  }

  private void chatCompletion() throws IOException {
    llm.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(TestRecords.CHAT_RESPONSE));
    Request request =
        new Request.Builder()
            .url(llm.url("/v1/chat/completions"))
            .header("Authorization", "Bearer sk-test-secret")
            .post(RequestBody.create(TestRecords.CHAT_REQUEST, MediaType.get("application/json")))
            .build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo(TestRecords.CHAT_RESPONSE);
    }
  }

  private HeliconeRecord record(RecordType type) {
    return records.records().stream()
        .filter(r -> r.type() == type)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " record in " + records.records()));
  }

  @Test
  void sessionWithACallAndAToolIsOneTrace() throws IOException {
    String sessionId;
    try (HeliconeSession session = helicone.session("Doc").userId("u-1").start()) {
      sessionId = session.id();
      try (HeliconeScope step = session.path("/a")) {
        chatCompletion();
        String weather =
            helicone.trace("get_weather").kind(TraceKind.TOOL).input("Paris").call(() -> "sunny");
        assertThat(weather).isEqualTo("sunny");
      }
    }
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();

    HeliconeRecord call = record(RecordType.LLM);
    HeliconeRecord tool = record(RecordType.TRACE);
    String traceId = Ids.sessionTraceId(sessionId);
    Span root = receiver.span("session Doc");
    Span pathNode = receiver.span("/a");
    Span chat = receiver.span("chat gpt-4o");
    Span toolSpan = receiver.span("execute_tool get_weather");
    assertThat(receiver.spans()).hasSize(4);
    for (Span span : List.of(root, pathNode, chat, toolSpan)) {
      assertThat(hex(span.getTraceId())).as(span.getName()).isEqualTo(traceId);
    }

    assertThat(root.getParentSpanId().isEmpty()).isTrue();
    assertThat(hex(root.getSpanId())).isEqualTo(Ids.sessionRootSpanId(sessionId));
    assertThat(attributes(root))
        .contains(entry("session.id", sessionId), entry("helicone.session.name", "Doc"));
    assertThat(pathNode.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(hex(pathNode.getSpanId())).isEqualTo(Ids.pathSpanId(sessionId, "/a"));
    assertThat(chat.getParentSpanId()).isEqualTo(pathNode.getSpanId());
    assertThat(toolSpan.getParentSpanId()).isEqualTo(pathNode.getSpanId());
    // Nodes cover what is below them.
    assertThat(root.getStartTimeUnixNano()).isLessThanOrEqualTo(chat.getStartTimeUnixNano());
    assertThat(pathNode.getEndTimeUnixNano()).isGreaterThanOrEqualTo(toolSpan.getEndTimeUnixNano());

    assertThat(chat.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(hex(chat.getSpanId())).isEqualTo(Ids.recordSpanId(call.id()));
    // What the adapter read from the real exchange: gpt-4o at 12 x 2.50 + 3 x 10.00 per 1M.
    assertThat(attributes(chat))
        .contains(
            entry("gen_ai.operation.name", "chat"),
            entry("gen_ai.provider.name", "openai"),
            entry("gen_ai.request.model", "gpt-4o"),
            entry("gen_ai.response.model", "gpt-4o-2024-08-06"),
            entry("gen_ai.response.id", "chatcmpl-1"),
            entry("gen_ai.response.finish_reasons", List.of("stop")),
            entry("gen_ai.request.temperature", 0.2),
            entry("gen_ai.usage.input_tokens", 12L),
            entry("gen_ai.usage.output_tokens", 3L),
            entry("server.address", llm.getHostName()),
            entry("server.port", (long) llm.getPort()),
            entry("session.id", sessionId),
            entry("gen_ai.conversation.id", sessionId),
            entry("user.id", "u-1"),
            entry("helicone.request_id", call.id()),
            entry("helicone.session.path", "/a"),
            entry("helicone.session.name", "Doc"))
        .doesNotContainKey("error.type");
    assertThat((Double) attributes(chat).get("helicone.cost_usd"))
        .isCloseTo(0.00006, offset(1e-12));

    assertThat(toolSpan.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(hex(toolSpan.getSpanId())).isEqualTo(Ids.recordSpanId(tool.id()));
    assertThat(attributes(toolSpan))
        .contains(
            entry("gen_ai.operation.name", "execute_tool"),
            entry("gen_ai.tool.name", "get_weather"),
            entry("session.id", sessionId),
            entry("helicone.session.path", "/a"));

    // The key reached the LLM server, but nothing exported to the backend.
    assertThat(receiver.requests("/v1/traces"))
        .allSatisfy(
            r ->
                assertThat(new String(r.body, StandardCharsets.ISO_8859_1))
                    .doesNotContain("sk-test-secret"));
  }

  @Test
  void activeApplicationSpanIsTheParentOfTheCallsSpan() throws IOException {
    CollectingSpanExporter appSpans = new CollectingSpanExporter();
    SpanContext handlerContext;
    String sessionId;
    try (SdkTracerProvider app =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(appSpans))
            .build()) {
      Tracer tracer = app.get("app");
      try (HeliconeSession session = helicone.session("Doc").start()) {
        sessionId = session.id();
        io.opentelemetry.api.trace.Span handler = tracer.spanBuilder("handle request").startSpan();
        handlerContext = handler.getSpanContext();
        try (Scope scope = handler.makeCurrent();
            HeliconeScope step = session.path("/a")) {
          chatCompletion();
        } finally {
          handler.end();
        }
      }
    }
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();

    HeliconeRecord call = record(RecordType.LLM);
    assertThat(call.contextAttributes())
        .containsEntry(OtelContextCapturer.TRACEPARENT, Ids.formatTraceparent(handlerContext));
    Span chat = receiver.span("chat gpt-4o");
    assertThat(hex(chat.getTraceId())).isEqualTo(handlerContext.getTraceId());
    assertThat(hex(chat.getParentSpanId())).isEqualTo(handlerContext.getSpanId());
    assertThat(hex(chat.getTraceId())).isNotEqualTo(Ids.sessionTraceId(sessionId));
    assertThat(attributes(chat))
        .contains(
            entry("session.id", sessionId),
            entry("gen_ai.conversation.id", sessionId),
            entry("helicone.session.path", "/a"),
            entry("gen_ai.usage.input_tokens", 12L));
    // The application's own span is the one the call points at.
    assertThat(appSpans.span("handle request").getSpanContext()).isEqualTo(handlerContext);
  }

  @Test
  void callOutsideAnyContextIsARootClientSpan() throws IOException {
    chatCompletion();
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();

    HeliconeRecord call = record(RecordType.LLM);
    Span chat = receiver.span("chat gpt-4o");
    assertThat(receiver.spans()).hasSize(1);
    assertThat(chat.getParentSpanId().isEmpty()).isTrue();
    assertThat(hex(chat.getTraceId())).isEqualTo(Ids.recordTraceId(call.id()));
    assertThat(attributes(chat)).doesNotContainKey("session.id");
    assertThat(
            receiver.traceRequests().get(0).getResourceSpans(0).getResource().getAttributesList())
        .anySatisfy(
            kv -> {
              assertThat(kv.getKey()).isEqualTo("service.name");
              assertThat(kv.getValue().getStringValue()).isEqualTo("e2e");
            });
    assertThat(attributes(chat)).containsEntry("helicone.request_id", call.id());
  }
}
