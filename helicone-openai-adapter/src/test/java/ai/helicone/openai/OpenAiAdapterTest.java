package ai.helicone.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.cost.PriceRegistry;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiAdapterTest {
  private CapturedExchange lastExchange;

  @RegisterExtension
  static final WireMockExtension SERVER =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Encoding O200K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  private final OpenAiAdapter adapter = new OpenAiAdapter();

  private static String openai(String path) {
    return "http://api.openai.com:" + SERVER.getPort() + path;
  }

  private static void serveJson(String path, int status, String fixture) {
    SERVER.stubFor(
        post(urlPathEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-request-id", "req_123")
                    .withBody(Fixtures.bytes(fixture))));
  }

  private static void serveStream(String path, String fixture) {
    SERVER.stubFor(
        post(urlPathEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .withBody(Fixtures.bytes(fixture))));
  }

  private AdapterResult call(String path, String requestFixture) {
    CapturedExchange exchange =
        LiveCall.post(openai(path)).body(Fixtures.text(requestFixture)).execute();
    assertThat(adapter.supports(exchange)).isTrue();
    return parse(exchange);
  }

  private AdapterResult parse(CapturedExchange exchange) {
    lastExchange = exchange;
    return adapter.parse(exchange);
  }

  /** The readable body of the last call's stream, rebuilt from its raw bytes as exporters do. */
  private JsonNode body(AdapterResult result) throws Exception {
    CapturedBody readable = Readable.of(result, lastExchange);
    assertThat(readable).isNotNull();
    assertThat(readable.isJson()).isTrue();
    return MAPPER.readTree(readable.text());
  }

  private static long tokens(String text) {
    return O200K.countTokensOrdinary(text);
  }

  @Test
  void plainChatCompletion() {
    serveJson("/v1/chat/completions", 200, "chat.json");
    AdapterResult r = call("/v1/chat/completions", "chat-request.json");

    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.requestModel()).isEqualTo("gpt-4o");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.stream()).isFalse();
    assertThat(r.responseId()).isEqualTo("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.error()).isNull();
    assertThat(r.timeToFirstToken()).isNull();
    assertThat(r.responseBody()).isNull();
    assertThat(r.responseBodyRebuilder()).isNull();
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(1200L)
                .outputTokens(300L)
                .totalTokens(1500L)
                .cachedInputTokens(1000L)
                .inputAudioTokens(0L)
                .reasoningTokens(0L)
                .outputAudioTokens(0L)
                .build());
    assertThat(r.requestParameters())
        .containsExactly(
            Map.entry("temperature", 0.7),
            Map.entry("max_tokens", 256L),
            Map.entry("top_p", 1.0),
            Map.entry("frequency_penalty", 0.5),
            Map.entry("presence_penalty", 0.0),
            Map.entry("stop", List.of("\n\n", "END")),
            Map.entry("seed", 42L));
    // 200 x 2.50 + 1000 cached x 1.25 + 300 x 10.00 = 4750 USD per 1M tokens
    assertThat(PriceRegistry.defaults().cost(r.provider(), r.model(), r.usage()))
        .isEqualByComparingTo("0.00475");
  }

  @Test
  void streamWithUsageChunk() throws Exception {
    serveStream("/v1/chat/completions", "chat-stream-usage.sse");
    AdapterResult r = call("/v1/chat/completions", "chat-stream-request.json");

    assertThat(r.stream()).isTrue();
    assertThat(r.requestModel()).isEqualTo("gpt-4o-mini");
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.responseId()).isEqualTo("chatcmpl-123");
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.usage().inputTokens()).isEqualTo(25);
    assertThat(r.usage().outputTokens()).isEqualTo(9);
    assertThat(r.usage().totalTokens()).isEqualTo(34);
    assertThat(r.usage().cachedInputTokens()).isZero();
    assertThat(r.usage().estimated()).isFalse();
    assertThat(r.timeToFirstToken()).isNotNull().isPositive();
    JsonNode body = body(r);
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(body.path("system_fingerprint").asText()).isEqualTo("fp_44709d6fcb");
    JsonNode choice = body.path("choices").path(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText())
        .isEqualTo("Hello there, friend! \u00e9t\u00e9 \ud83d\ude00");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(body.path("usage").path("total_tokens").asLong()).isEqualTo(34);
    // Written once from the adapter's read, then the same for every exporter that asks.
    assertThat(Readable.of(r, lastExchange)).isSameAs(Readable.of(r, lastExchange));
  }

  @Test
  void streamWithoutUsageIsCountedLocally() throws Exception {
    serveStream("/v1/chat/completions", "chat-stream-no-usage.sse");
    AdapterResult r = call("/v1/chat/completions", "chat-stream-request.json");

    // Two messages: 3 each plus role and content, then 3 to prime the reply.
    long prompt =
        3
            + tokens("system")
            + tokens("You are a helpful assistant.")
            + 3
            + tokens("user")
            + tokens("Say hello in three words.")
            + 3;
    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().inputTokens()).isEqualTo(prompt);
    assertThat(r.usage().outputTokens()).isEqualTo(tokens("Hello there, friend!"));
    assertThat(r.usage().cachedInputTokens()).isNull();
    assertThat(body(r).path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("Hello there, friend!");
    assertThat(body(r).has("usage")).isFalse();
  }

  @Test
  void aStreamingRequestAnsweredWithOneJsonBody() {
    serveJson("/v1/chat/completions", 200, "chat.json");
    AdapterResult r = call("/v1/chat/completions", "chat-stream-request.json");
    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.usage().inputTokens()).isEqualTo(1200);
    assertThat(r.usage().estimated()).isFalse();
  }

  @Test
  void streamedToolCallsAreReassembled() throws Exception {
    serveStream("/v1/chat/completions", "chat-stream-tools.sse");
    AdapterResult r = call("/v1/chat/completions", "chat-stream-request.json");

    assertThat(r.finishReasons()).containsExactly("tool_calls");
    assertThat(r.usage().inputTokens()).isEqualTo(80);
    JsonNode message = body(r).path("choices").path(0).path("message");
    assertThat(message.path("content").isNull()).isTrue();
    JsonNode calls = message.path("tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.path(0).path("id").asText()).isEqualTo("call_abc");
    assertThat(calls.path(0).path("type").asText()).isEqualTo("function");
    assertThat(calls.path(0).path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(calls.path(0).path("function").path("arguments").asText())
        .isEqualTo("{\"location\": \"Paris\"}");
    assertThat(calls.path(1).path("id").asText()).isEqualTo("call_def");
    assertThat(calls.path(1).path("function").path("arguments").asText()).isEqualTo("{}");
  }

  @Test
  void streamedRefusal() throws Exception {
    serveStream("/v1/chat/completions", "chat-stream-refusal.sse");
    AdapterResult r = call("/v1/chat/completions", "chat-stream-request.json");

    JsonNode message = body(r).path("choices").path(0).path("message");
    assertThat(message.path("refusal").asText()).isEqualTo("I'm sorry, I can't help with that.");
    assertThat(message.path("content").isNull()).isTrue();
    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().outputTokens()).isEqualTo(tokens("I'm sorry, I can't help with that."));
  }

  @Test
  void timeToFirstTokenIsTheFirstContentChunkNotTheRoleChunk() {
    byte[] stream = Fixtures.bytes("chat-stream-usage.sse");
    CapturedExchange exchange =
        Exchanges.eventPerRead(
            openai("/v1/chat/completions"),
            Fixtures.text("chat-stream-request.json"),
            stream,
            Duration.ofMillis(10));
    AdapterResult r = parse(exchange);
    // Event 0 (role only, read at 10 ms) does not count; event 1 ("Hello", read at 20 ms) does.
    assertThat(r.timeToFirstToken()).isEqualTo(Duration.ofMillis(20));

    CapturedExchange tools =
        Exchanges.eventPerRead(
            openai("/v1/chat/completions"),
            null,
            Fixtures.bytes("chat-stream-tools.sse"),
            Duration.ofMillis(7));
    // The first chunk carries the tool call's name: it counts.
    assertThat(adapter.parse(tools).timeToFirstToken()).isEqualTo(Duration.ofMillis(7));

    CapturedExchange reasoning =
        Exchanges.eventPerRead(
            "http://api.deepseek.com/chat/completions",
            null,
            Fixtures.bytes("deepseek-stream.sse"),
            Duration.ofMillis(5));
    // Event 0 has an empty reasoning delta; event 1 the first reasoning text.
    assertThat(adapter.parse(reasoning).timeToFirstToken()).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void timeToFirstTokenOverARealSlowStream() {
    byte[] stream = Fixtures.bytes("chat-stream-usage.sse");
    SERVER.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(stream)
                    .withChunkedDribbleDelay(8, 400)));
    CapturedExchange exchange =
        LiveCall.post(openai("/v1/chat/completions"))
            .body(Fixtures.text("chat-stream-request.json"))
            .execute();
    AdapterResult r = parse(exchange);

    String text = new String(stream, StandardCharsets.UTF_8);
    long firstContentEnd = text.indexOf('\n', text.indexOf("\"content\":\"Hello\""));
    assertThat(r.timeToFirstToken()).isEqualTo(exchange.timeAtResponseOffset(firstContentEnd));
    assertThat(r.timeToFirstToken()).isGreaterThan(exchange.timeAtResponseOffset(0));
  }

  @Test
  void errorInsideA200Stream() throws Exception {
    serveStream("/v1/chat/completions", "chat-stream-error.sse");
    AdapterResult r = call("/v1/chat/completions", "chat-stream-request.json");

    assertThat(r.error())
        .isEqualTo("The server had an error while processing your request. Sorry about that!");
    assertThat(r.usage()).isNull();
    assertThat(body(r).path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("Partial");
  }

  @Test
  void streamCutByTheServerIsCountedLocally() throws Exception {
    serveStream("/v1/chat/completions", "chat-stream-truncated.sse");
    AdapterResult r = call("/v1/chat/completions", "chat-stream-request.json");

    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().outputTokens()).isEqualTo(tokens("Hello there, friend!"));
    assertThat(r.finishReasons()).isNull();
    assertThat(body(r).path("choices").path(0).path("finish_reason").isNull()).isTrue();
  }

  @Test
  void streamCancelledByTheCallerIsCountedLocally() throws Exception {
    byte[] stream = Fixtures.bytes("chat-stream-usage.sse");
    String text = new String(stream, StandardCharsets.UTF_8);
    serveStream("/v1/chat/completions", "chat-stream-usage.sse");
    // Stop reading in the middle of the third chunk.
    int cut = text.indexOf("\" there,\"") + 3;
    CapturedExchange exchange =
        LiveCall.post(openai("/v1/chat/completions"))
            .body(Fixtures.text("chat-stream-request.json"))
            .cancelAfter(cut)
            .execute();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.CANCELLED);
    AdapterResult r = parse(exchange);

    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().outputTokens()).isEqualTo(tokens("Hello"));
    assertThat(body(r).path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("Hello");
    assertThat(r.timeToFirstToken()).isNotNull();
  }

  @Test
  void errorBodies() {
    serveJson("/v1/chat/completions", 401, "error-401.json");
    AdapterResult r = call("/v1/chat/completions", "chat-request.json");
    assertThat(r.error()).startsWith("Incorrect API key provided");
    assertThat(r.usage()).isNull();
    assertThat(r.model()).isEqualTo("gpt-4o");
    assertThat(r.provider()).isEqualTo("openai");

    serveJson("/v1/embeddings", 429, "error-429.json");
    assertThat(call("/v1/embeddings", "embeddings-request.json").error())
        .startsWith("Rate limit reached for gpt-4o");

    SERVER.stubFor(
        post(urlPathEqualTo("/v1/responses"))
            .willReturn(
                aResponse()
                    .withStatus(502)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html>Bad gateway</html>")));
    assertThat(call("/v1/responses", "responses-request.json").error())
        .isEqualTo("<html>Bad gateway</html>");
  }

  @Test
  void responsesApi() {
    serveJson("/v1/responses", 200, "responses.json");
    AdapterResult r = call("/v1/responses", "responses-request.json");

    assertThat(r.operation()).isEqualTo("responses");
    assertThat(r.requestModel()).isEqualTo("o4-mini");
    assertThat(r.model()).isEqualTo("o4-mini-2025-04-16");
    assertThat(r.responseId()).startsWith("resp_67ccd2bed1ec");
    assertThat(r.finishReasons()).containsExactly("completed");
    assertThat(r.requestParameters())
        .containsExactly(Map.entry("max_tokens", 500L), Map.entry("temperature", 1.0));
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(36L)
                .outputTokens(287L)
                .totalTokens(323L)
                .cachedInputTokens(12L)
                .reasoningTokens(192L)
                .build());
    // o4-mini: 24 x 1.10 + 12 x 0.275 + 287 x 4.40 = 26.4 + 3.3 + 1262.8 = 1292.5 per 1M
    assertThat(PriceRegistry.defaults().cost(r.provider(), r.model(), r.usage()))
        .isEqualByComparingTo("0.0012925");
  }

  @Test
  void responsesStream() throws Exception {
    byte[] stream = Fixtures.bytes("responses-stream.sse");
    CapturedExchange exchange =
        Exchanges.eventPerRead(
            openai("/v1/responses"),
            "{\"model\":\"gpt-4.1\",\"input\":\"Hi\",\"stream\":true}",
            stream,
            Duration.ofMillis(10));
    AdapterResult r = parse(exchange);

    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(r.responseId()).isEqualTo("resp_abc");
    assertThat(r.finishReasons()).containsExactly("completed");
    assertThat(r.usage().inputTokens()).isEqualTo(37);
    assertThat(r.usage().outputTokens()).isEqualTo(11);
    assertThat(r.usage().estimated()).isFalse();
    // Events 0-3 are bookkeeping; event 4 is the first text delta.
    assertThat(r.timeToFirstToken()).isEqualTo(Duration.ofMillis(50));
    JsonNode body = body(r);
    assertThat(body.path("status").asText()).isEqualTo("completed");
    assertThat(body.path("output").path(0).path("content").path(0).path("text").asText())
        .isEqualTo("Hi there!");
    assertThat(body.path("output").path(1).path("arguments").asText())
        .isEqualTo("{\"city\":\"Oslo\"}");
  }

  @Test
  void responsesStreamCutShortIsRebuiltAndCountedLocally() throws Exception {
    CapturedExchange exchange =
        Exchanges.eventPerRead(
            openai("/v1/responses"),
            "{\"model\":\"gpt-4.1\",\"input\":\"Hi\",\"stream\":true}",
            Fixtures.bytes("responses-stream-truncated.sse"),
            Duration.ofMillis(10));
    AdapterResult r = parse(exchange);

    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().inputTokens()).isEqualTo(3 + tokens("user") + tokens("Hi") + 3);
    assertThat(r.usage().outputTokens()).isEqualTo(tokens("Hi there!"));
    JsonNode body = body(r);
    assertThat(body.path("id").asText()).isEqualTo("resp_abc");
    assertThat(body.path("status").asText()).isEqualTo("in_progress");
    assertThat(body.path("output").path(0).path("content").path(0).path("text").asText())
        .isEqualTo("Hi there!");
  }

  @Test
  void responsesStreamIncompleteWithReasoning() throws Exception {
    CapturedExchange exchange =
        Exchanges.eventPerRead(
            openai("/v1/responses"),
            "{\"model\":\"o4-mini\",\"input\":\"Why?\",\"stream\":true}",
            Fixtures.bytes("responses-stream-incomplete.sse"),
            Duration.ofMillis(10));
    AdapterResult r = parse(exchange);

    assertThat(r.model()).isEqualTo("o4-mini-2025-04-16");
    assertThat(r.finishReasons()).containsExactly("max_output_tokens");
    assertThat(r.error()).isNull();
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(40L)
                .cachedInputTokens(32L)
                .outputTokens(64L)
                .reasoningTokens(60L)
                .totalTokens(104L)
                .build());
    // Events 0-2 are bookkeeping; event 3 is the first reasoning summary delta.
    assertThat(r.timeToFirstToken()).isEqualTo(Duration.ofMillis(40));
    JsonNode body = body(r);
    assertThat(body.path("status").asText()).isEqualTo("incomplete");
    assertThat(body.path("output").path(1).path("content").path(0).path("text").asText())
        .isEqualTo("The answer");
  }

  @Test
  void responsesStreamCutBeforeItsEndRebuildsReasoningTextAndFunctionCalls() throws Exception {
    String full = Fixtures.text("responses-stream-incomplete.sse");
    String reasoningAndText = full.substring(0, full.indexOf("event: response.incomplete"));
    String withCall = Fixtures.text("responses-stream.sse");
    withCall = withCall.substring(0, withCall.indexOf("event: response.completed"));
    for (String cut : List.of(reasoningAndText, withCall)) {
      AdapterResult r =
          parse(
              Exchanges.eventPerRead(
                  openai("/v1/responses"),
                  "{\"model\":\"o4-mini\",\"input\":\"Why?\",\"stream\":true}",
                  cut.getBytes(StandardCharsets.UTF_8),
                  Duration.ofMillis(10)));
      assertThat(r.usage().estimated()).isTrue();
      assertThat(r.finishReasons()).isNull();
      JsonNode output = body(r).path("output");
      if (cut == reasoningAndText) {
        assertThat(output.path(0).path("type").asText()).isEqualTo("reasoning");
        assertThat(output.path(0).path("summary").path(0).path("text").asText())
            .isEqualTo("Weighing options.");
        assertThat(output.path(1).path("content").path(0).path("text").asText())
            .isEqualTo("The answer");
        assertThat(r.usage().outputTokens())
            .isEqualTo(tokens("Weighing options.") + tokens("The answer"));
      } else {
        assertThat(output.path(1).path("type").asText()).isEqualTo("function_call");
        assertThat(output.path(1).path("name").asText()).isEqualTo("get_weather");
        assertThat(output.path(1).path("arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
      }
    }
  }

  @Test
  void plainResponsesIncomplete() {
    String body =
        "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"incomplete\","
            + "\"incomplete_details\":{\"reason\":\"content_filter\"},\"model\":\"gpt-4.1\","
            + "\"output\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":0,\"total_tokens\":5}}";
    AdapterResult r =
        adapter.parse(
            Exchanges.json(
                openai("/v1/responses"),
                Fixtures.text("responses-request.json"),
                body.getBytes(StandardCharsets.UTF_8)));
    assertThat(r.finishReasons()).containsExactly("content_filter");
    assertThat(r.usage().inputTokens()).isEqualTo(5);
    assertThat(r.error()).isNull();
  }

  @Test
  void responsesStreamErrors() {
    AdapterResult failed =
        adapter.parse(
            Exchanges.eventPerRead(
                openai("/v1/responses"),
                null,
                Fixtures.bytes("responses-stream-failed.sse"),
                Duration.ofMillis(1)));
    assertThat(failed.error()).isEqualTo("The model failed to generate a response.");
    assertThat(failed.finishReasons()).containsExactly("failed");
    assertThat(failed.usage()).isNull();

    AdapterResult error =
        adapter.parse(
            Exchanges.eventPerRead(
                openai("/v1/responses"),
                null,
                Fixtures.bytes("responses-stream-error.sse"),
                Duration.ofMillis(1)));
    assertThat(error.error()).isEqualTo("Something went wrong");
  }

  @Test
  void embeddings() {
    serveJson("/v1/embeddings", 200, "embeddings.json");
    AdapterResult r = call("/v1/embeddings", "embeddings-request.json");

    assertThat(r.operation()).isEqualTo("embeddings");
    assertThat(r.model()).isEqualTo("text-embedding-3-small");
    assertThat(r.usage().inputTokens()).isEqualTo(8);
    assertThat(r.usage().outputTokens()).isNull();
    assertThat(r.usage().totalTokens()).isEqualTo(8);
    assertThat(PriceRegistry.defaults().cost(r.provider(), r.model(), r.usage()))
        .isEqualByComparingTo("0.00000016");
  }

  @Test
  void embeddingsWithoutUsageAreCountedWithTheCl100kEncoding() {
    String body = "{\"object\":\"list\",\"data\":[],\"model\":\"text-embedding-3-small\"}";
    AdapterResult r =
        adapter.parse(
            Exchanges.json(
                openai("/v1/embeddings"),
                Fixtures.text("embeddings-request.json"),
                body.getBytes(StandardCharsets.UTF_8)));
    Encoding cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().inputTokens())
        .isEqualTo(
            cl100k.countTokensOrdinary("The food was delicious and the waiter...")
                + cl100k.countTokensOrdinary("Another sentence."));
    assertThat(r.usage().outputTokens()).isNull();
  }

  @Test
  void legacyCompletions() throws Exception {
    serveJson("/v1/completions", 200, "completions.json");
    AdapterResult r = call("/v1/completions", "completions-request.json");
    assertThat(r.operation()).isEqualTo("text_completion");
    assertThat(r.model()).isEqualTo("gpt-3.5-turbo-instruct");
    assertThat(r.finishReasons()).containsExactly("length");
    assertThat(r.usage().inputTokens()).isEqualTo(5);
    assertThat(r.usage().outputTokens()).isEqualTo(7);
    assertThat(r.requestParameters())
        .containsExactly(
            Map.entry("max_tokens", 7L),
            Map.entry("temperature", 0.0),
            Map.entry("stop", List.of("\n")));

    serveStream("/v1/completions", "completions-stream.sse");
    AdapterResult s = call("/v1/completions", "completions-request.json");
    JsonNode body = body(s);
    assertThat(body.path("object").asText()).isEqualTo("text_completion");
    assertThat(body.path("choices").path(0).path("text").asText()).isEqualTo("This is a test.");
    assertThat(s.finishReasons()).containsExactly("stop");
    Encoding cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    assertThat(s.usage().estimated()).isTrue();
    assertThat(s.usage().inputTokens()).isEqualTo(cl100k.countTokensOrdinary("Say this is a test"));
    assertThat(s.usage().outputTokens()).isEqualTo(cl100k.countTokensOrdinary("This is a test."));
  }

  @Test
  void legacyCompletionsStreamWithSeveralChoices() throws Exception {
    // Completions chunks name "text" before "index"; the choices' chunks interleave.
    serveStream("/v1/completions", "completions-stream-n2.sse");
    AdapterResult r = call("/v1/completions", "completions-request.json");
    JsonNode choices = body(r).path("choices");
    assertThat(choices).hasSize(2);
    assertThat(choices.path(0).path("text").asText()).isEqualTo("One apple");
    assertThat(choices.path(1).path("text").asText()).isEqualTo("Two pears");
    assertThat(r.finishReasons()).containsExactly("stop", "length");
  }

  @Test
  void otherPathsOfKnownHostsAreRecognisedWithoutAnOperation() {
    CapturedExchange models =
        Exchanges.json(
            "https://api.openai.com/v1/models",
            null,
            "{\"data\":[]}".getBytes(StandardCharsets.UTF_8));
    assertThat(adapter.supports(models)).isTrue();
    AdapterResult r = adapter.parse(models);
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.operation()).isNull();
    assertThat(r.usage()).isNull();

    CapturedExchange other =
        Exchanges.json(
            "https://example.com/v1/models", null, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(adapter.supports(other)).isFalse();
  }

  @Test
  void malformedBodiesNeverThrow() {
    byte[] garbage = {'{', '"', 'u', 's', 'a', 0, (byte) 0xff, '[', '['};
    for (String path : List.of("/v1/chat/completions", "/v1/responses", "/v1/embeddings")) {
      AdapterResult json = adapter.parse(Exchanges.json(openai(path), "{\"model\":", garbage));
      assertThat(json.provider()).isEqualTo("openai");
      AdapterResult sse =
          adapter.parse(
              Exchanges.eventPerRead(openai(path), "not json", garbage, Duration.ofMillis(1)));
      assertThat(sse.provider()).isEqualTo("openai");
    }
  }

  @Test
  void includeUsageInStreamsIsOffByDefault() {
    byte[] body = Fixtures.bytes("chat-stream-request.json");
    String url = "https://api.openai.com/v1/chat/completions";
    assertThat(adapter.rewriteRequestBody("POST", url, "application/json", body)).isNull();

    OpenAiAdapter on = OpenAiAdapter.builder().includeUsageInStreams(true).build();
    byte[] rewritten = on.rewriteRequestBody("POST", url, "application/json; charset=utf-8", body);
    assertThat(new String(rewritten, StandardCharsets.UTF_8))
        .startsWith("{\"stream_options\":{\"include_usage\":true},\"model\":\"gpt-4o-mini\"");
    assertThat(on.rewriteRequestBody("GET", url, null, body)).isNull();
    assertThat(on.rewriteRequestBody("POST", url, "text/plain", body)).isNull();
    assertThat(on.rewriteRequestBody("POST", "https://api.openai.com/v1/responses", null, body))
        .isNull();
    assertThat(on.rewriteRequestBody("POST", url, null, Fixtures.bytes("chat-request.json")))
        .isNull();
  }

  @Test
  void serviceLoaderFindsTheAdapterWithDefaultSettings() {
    assertThat(ServiceLoader.load(ProviderAdapter.class))
        .anySatisfy(a -> assertThat(a).isInstanceOf(OpenAiAdapter.class));
    assertThat(adapter.name()).isEqualTo("openai");
  }
}
