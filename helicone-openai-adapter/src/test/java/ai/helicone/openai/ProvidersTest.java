package ai.helicone.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.cost.PriceRegistry;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Provider recognition and the quirks of each OpenAI-compatible provider, over real HTTP. */
class ProvidersTest {
  private CapturedExchange lastExchange;

  @RegisterExtension
  static final WireMockExtension SERVER =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CHAT_REQUEST = Fixtures.text("chat-stream-request.json");
  private static final String PLAIN_REQUEST = Fixtures.text("chat-request.json");
  private final OpenAiAdapter adapter = new OpenAiAdapter();

  private static String url(String host, String path) {
    return "http://" + host + ":" + SERVER.getPort() + path;
  }

  private static void serve(String path, int status, String contentType, String fixture) {
    SERVER.stubFor(
        post(urlPathEqualTo(path))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", contentType)
                    .withBody(Fixtures.bytes(fixture))));
  }

  private static void json(String path, String fixture) {
    serve(path, 200, "application/json", fixture);
  }

  private static void stream(String path, String fixture) {
    serve(path, 200, "text/event-stream", fixture);
  }

  private AdapterResult call(OpenAiAdapter a, String url, String request) {
    CapturedExchange exchange = LiveCall.post(url).body(request).execute();
    assertThat(a.supports(exchange)).as(url).isTrue();
    lastExchange = exchange;
    return a.parse(exchange);
  }

  private AdapterResult call(String url, String request) {
    return call(adapter, url, request);
  }

  private static BigDecimal cost(AdapterResult r) {
    return PriceRegistry.defaults().cost(r.provider(), r.model(), r.usage());
  }

  private JsonNode message(AdapterResult r) throws Exception {
    return MAPPER
        .readTree(Readable.of(r, lastExchange).text())
        .path("choices")
        .path(0)
        .path("message");
  }

  @Test
  void azureDeploymentUrl() {
    String path = "/openai/deployments/prod-gpt4o/chat/completions";
    json(path, "azure-chat.json");
    AdapterResult r =
        call(
            url("myres.openai.azure.com", path + "?api-version=2024-10-21"),
            Fixtures.text("azure-request.json"));

    assertThat(r.provider()).isEqualTo("azure");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.requestModel()).isEqualTo("prod-gpt4o");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-11-20");
    assertThat(r.requestParameters()).containsEntry("max_tokens", 100L);
    assertThat(r.usage().inputTokens()).isEqualTo(20);
    assertThat(r.usage().outputTokens()).isEqualTo(5);
    // Priced as openai/gpt-4o through the azure alias: 20 x 2.50 + 5 x 10.00 = 100 per 1M.
    assertThat(cost(r)).isEqualByComparingTo("0.0001");
  }

  @Test
  void azureV1UrlWithAFilterResultsFirstChunk() throws Exception {
    stream("/openai/v1/chat/completions", "azure-stream.sse");
    for (String host :
        new String[] {"myres.services.ai.azure.com", "myres.cognitiveservices.azure.com"}) {
      AdapterResult r =
          call(url(host, "/openai/v1/chat/completions"), Fixtures.text("azure-v1-request.json"));

      assertThat(r.provider()).isEqualTo("azure");
      assertThat(r.requestModel()).isEqualTo("my-gpt4o-deployment");
      assertThat(r.model()).isEqualTo("gpt-4o-2024-11-20");
      assertThat(r.responseId()).isEqualTo("chatcmpl-AzStream");
      assertThat(r.usage().inputTokens()).isEqualTo(9);
      assertThat(r.usage().outputTokens()).isEqualTo(4);
      assertThat(r.timeToFirstToken()).isNotNull();
      assertThat(message(r).path("content").asText()).isEqualTo("Hello from Azure.");
    }
  }

  @Test
  void azureTimeToFirstTokenSkipsTheFilterResultsAndRoleChunks() {
    CapturedExchange exchange =
        Exchanges.eventPerRead(
            "https://myres.openai.azure.com/openai/v1/chat/completions",
            Fixtures.text("azure-v1-request.json"),
            Fixtures.bytes("azure-stream.sse"),
            Duration.ofMillis(10));
    // Event 0 is the prompt filter results, event 1 the role; event 2 carries the first text.
    assertThat(adapter.parse(exchange).timeToFirstToken()).isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void azureParallelToolCallsWithSortedKeys() throws Exception {
    // Azure sorts keys: "function" comes before the "id" and "index" naming the call, and
    // "delta" before the choice's "index"; argument deltas of the two calls interleave.
    String path = "/openai/deployments/prod-gpt4o/chat/completions";
    stream(path, "azure-stream-parallel-tools.sse");
    AdapterResult r =
        call(
            url("myres.openai.azure.com", path + "?api-version=2024-10-21"),
            Fixtures.text("azure-request.json"));

    assertThat(r.finishReasons()).containsExactly("tool_calls");
    assertThat(r.usage().inputTokens()).isEqualTo(90);
    JsonNode calls = message(r).path("tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.path(0).path("id").asText()).isEqualTo("call_w");
    assertThat(calls.path(0).path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(calls.path(0).path("function").path("arguments").asText())
        .isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(calls.path(1).path("id").asText()).isEqualTo("call_t");
    assertThat(calls.path(1).path("type").asText()).isEqualTo("function");
    assertThat(calls.path(1).path("function").path("name").asText()).isEqualTo("get_time");
    assertThat(calls.path(1).path("function").path("arguments").asText())
        .isEqualTo("{\"zone\":\"CET\"}");
  }

  @Test
  void azureSeveralChoicesWithSortedKeys() throws Exception {
    String path = "/openai/v1/chat/completions";
    stream(path, "azure-stream-n2.sse");
    AdapterResult r =
        call(url("myres.openai.azure.com", path), Fixtures.text("azure-v1-request.json"));

    assertThat(r.finishReasons()).containsExactly("stop", "length");
    JsonNode choices = MAPPER.readTree(Readable.of(r, lastExchange).text()).path("choices");
    assertThat(choices).hasSize(2);
    assertThat(choices.path(0).path("index").asInt()).isZero();
    assertThat(choices.path(0).path("message").path("content").asText()).isEqualTo("Blue sky.");
    assertThat(choices.path(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(choices.path(1).path("index").asInt()).isEqualTo(1);
    assertThat(choices.path(1).path("message").path("content").asText()).isEqualTo("Red rose.");
    assertThat(choices.path(1).path("finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void groqUsageInXGroq() {
    stream("/openai/v1/chat/completions", "groq-stream.sse");
    AdapterResult r = call(url("api.groq.com", "/openai/v1/chat/completions"), CHAT_REQUEST);

    assertThat(r.provider()).isEqualTo("groq");
    assertThat(r.model()).isEqualTo("llama-3.3-70b-versatile");
    assertThat(r.usage().inputTokens()).isEqualTo(40);
    assertThat(r.usage().outputTokens()).isEqualTo(12);
    assertThat(r.usage().totalTokens()).isEqualTo(52);
    assertThat(r.usage().estimated()).isFalse();
    // 40 x 0.59 + 12 x 0.79 = 33.08 per 1M
    assertThat(cost(r)).isEqualByComparingTo("0.00003308");
  }

  @Test
  void deepSeekCacheHitsAndReasoningContent() throws Exception {
    json("/chat/completions", "deepseek.json");
    AdapterResult r = call(url("api.deepseek.com", "/chat/completions"), PLAIN_REQUEST);
    assertThat(r.provider()).isEqualTo("deepseek");
    assertThat(r.usage().inputTokens()).isEqualTo(1000);
    assertThat(r.usage().cachedInputTokens()).isEqualTo(800);
    assertThat(r.usage().reasoningTokens()).isEqualTo(420);
    // 200 x 0.28 + 800 x 0.028 + 500 x 0.42 = 56 + 22.4 + 210 = 288.4 per 1M
    assertThat(cost(r)).isEqualByComparingTo("0.0002884");

    json("/v1/chat/completions", "deepseek-legacy.json");
    AdapterResult legacy = call(url("api.deepseek.com", "/v1/chat/completions"), PLAIN_REQUEST);
    assertThat(legacy.usage().inputTokens()).isEqualTo(100);
    assertThat(legacy.usage().cachedInputTokens()).isEqualTo(64);

    stream("/beta/chat/completions", "deepseek-stream.sse");
    AdapterResult s = call(url("api.deepseek.com", "/beta/chat/completions"), CHAT_REQUEST);
    assertThat(message(s).path("reasoning_content").asText()).isEqualTo("Hmm, simple.");
    assertThat(message(s).path("content").asText()).isEqualTo("42");
    assertThat(s.usage().reasoningTokens()).isEqualTo(25);
    assertThat(s.usage().cachedInputTokens()).isZero();
  }

  @Test
  void openRouterReportsCostAndSendsComments() throws Exception {
    stream("/api/v1/chat/completions", "openrouter-stream.sse");
    AdapterResult r = call(url("openrouter.ai", "/api/v1/chat/completions"), CHAT_REQUEST);
    assertThat(r.provider()).isEqualTo("openrouter");
    assertThat(r.model()).isEqualTo("anthropic/claude-sonnet-4");
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.000372");
    assertThat(r.usage().inputTokens()).isEqualTo(14);
    assertThat(r.usage().reasoningTokens()).isEqualTo(5);
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(message(r).path("content").asText()).isEqualTo("Routed answer.");
    assertThat(message(r).path("reasoning").asText()).isEqualTo("Thinking.");

    json("/api/v1/chat/completions", "openrouter.json");
    AdapterResult plain = call(url("openrouter.ai", "/api/v1/chat/completions"), PLAIN_REQUEST);
    assertThat(plain.reportedCostUsd()).isEqualByComparingTo("0.000045");

    serve("/api/v1/embeddings", 429, "application/json", "openrouter-error.json");
    AdapterResult error = call(url("openrouter.ai", "/api/v1/embeddings"), "{}");
    assertThat(error.error()).isEqualTo("Provider returned error");
  }

  @Test
  void xAi() {
    json("/v1/chat/completions", "xai.json");
    AdapterResult r = call(url("api.x.ai", "/v1/chat/completions"), PLAIN_REQUEST);
    assertThat(r.provider()).isEqualTo("xai");
    assertThat(r.model()).isEqualTo("grok-4-0709");
    assertThat(r.usage().cachedInputTokens()).isEqualTo(640);
    assertThat(r.usage().reasoningTokens()).isEqualTo(300);
    // 60 x 3 + 640 x 0.75 + 350 x 15 = 180 + 480 + 5250 = 5910 per 1M
    assertThat(cost(r)).isEqualByComparingTo("0.00591");
  }

  @Test
  void togetherAndFireworks() {
    json("/v1/chat/completions", "together.json");
    AdapterResult together = call(url("api.together.xyz", "/v1/chat/completions"), PLAIN_REQUEST);
    assertThat(together.provider()).isEqualTo("together");
    assertThat(together.finishReasons()).containsExactly("eos");
    assertThat(cost(together)).isEqualByComparingTo("1.76");

    json("/inference/v1/chat/completions", "fireworks.json");
    AdapterResult fireworks =
        call(url("api.fireworks.ai", "/inference/v1/chat/completions"), PLAIN_REQUEST);
    assertThat(fireworks.provider()).isEqualTo("fireworks");
    assertThat(fireworks.model()).isEqualTo("accounts/fireworks/models/deepseek-v3");
    assertThat(fireworks.usage().inputTokens()).isEqualTo(18);
    assertThat(fireworks.usage().outputTokens()).isEqualTo(7);
  }

  @Test
  void mistralUsageInTheLastContentChunkAndTopLevelErrors() throws Exception {
    stream("/v1/chat/completions", "mistral-stream.sse");
    AdapterResult r = call(url("api.mistral.ai", "/v1/chat/completions"), CHAT_REQUEST);
    assertThat(r.provider()).isEqualTo("mistral");
    assertThat(r.usage().inputTokens()).isEqualTo(10);
    assertThat(r.usage().outputTokens()).isEqualTo(4);
    assertThat(message(r).path("content").asText()).isEqualTo("Bonjour !");
    // 10 x 2 + 4 x 6 = 44 per 1M
    assertThat(cost(r)).isEqualByComparingTo("0.000044");

    serve("/v1/embeddings", 400, "application/json", "mistral-error.json");
    assertThat(call(url("api.mistral.ai", "/v1/embeddings"), "{}").error())
        .isEqualTo("Invalid model: mistral-huge");
  }

  @Test
  void ollamaOnItsPort() {
    stream("/v1/chat/completions", "ollama-stream.sse");
    CapturedExchange exchange =
        LiveCall.post(url("localhost", "/v1/chat/completions"))
            .body(CHAT_REQUEST)
            .recordAs("http://localhost:11434/v1/chat/completions")
            .execute();
    AdapterResult r = adapter.parse(exchange);
    assertThat(r.provider()).isEqualTo("ollama");
    assertThat(r.model()).isEqualTo("llama3.2");
    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().outputTokens()).isPositive();
    assertThat(cost(r)).isNull();
  }

  @Test
  void vllmIsRecognisedFromItsUsageChunk() {
    String chat = url("gpu-box.internal", "/v1/chat/completions");
    stream("/v1/chat/completions", "vllm-stream.sse");
    AdapterResult nullChoices = call(chat, CHAT_REQUEST);
    assertThat(nullChoices.provider()).isEqualTo("vllm");
    assertThat(nullChoices.usage().inputTokens()).isEqualTo(20);
    assertThat(nullChoices.usage().estimated()).isFalse();

    stream("/v1/chat/completions", "vllm-stream-no-choices.sse");
    assertThat(call(chat, CHAT_REQUEST).provider()).isEqualTo("vllm");

    json("/v1/chat/completions", "vllm.json");
    AdapterResult plain = call(chat, PLAIN_REQUEST);
    assertThat(plain.provider()).isEqualTo("vllm");
    assertThat(plain.usage().outputTokens()).isEqualTo(4);
  }

  @Test
  void unknownHostsSpeakingTheFormatAreOpenAiCompatible() {
    String chat = url("llm.example.net", "/v1/chat/completions");
    stream("/v1/chat/completions", "chat-stream-usage.sse");
    AdapterResult r = call(chat, CHAT_REQUEST);
    assertThat(r.provider()).isEqualTo("openai-compatible");
    assertThat(r.usage().inputTokens()).isEqualTo(25);

    json("/v1/chat/completions", "compatible-no-usage.json");
    AdapterResult noUsage = call(chat, PLAIN_REQUEST);
    assertThat(noUsage.provider()).isEqualTo("openai-compatible");
    assertThat(noUsage.usage().estimated()).isTrue();
    assertThat(noUsage.usage().inputTokens()).isPositive();
    assertThat(noUsage.usage().outputTokens()).isPositive();
    // A proxy in front of OpenAI: the model's OpenAI price applies through the alias.
    assertThat(cost(noUsage)).isPositive();
  }

  @Test
  void registeredCompatibleHosts() {
    json("/api/chat/completions", "compatible-no-usage.json");
    OpenAiAdapter custom =
        OpenAiAdapter.builder()
            .compatibleHost("llm.internal:" + SERVER.getPort(), "My-Provider")
            .compatibleHost("other.internal", "other")
            .build();
    assertThat(call(custom, url("llm.internal", "/api/chat/completions"), PLAIN_REQUEST).provider())
        .isEqualTo("my-provider");
    assertThat(
            call(custom, url("other.internal", "/api/chat/completions"), PLAIN_REQUEST).provider())
        .isEqualTo("other");
    // A path outside the format is still recognised on a registered host, without an operation.
    CapturedExchange health =
        Exchanges.json(
            "http://llm.internal:" + SERVER.getPort() + "/health",
            null,
            "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(custom.supports(health)).isTrue();
    assertThat(custom.parse(health).operation()).isNull();
    assertThat(adapter.supports(health)).isFalse();
  }

  @Test
  void aUrlIsNotAHost() {
    OpenAiAdapter.Builder builder = OpenAiAdapter.builder();
    assertThatThrownBy(() -> builder.compatibleHost("http://llm.internal:8080", "mine"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a URL");
    assertThatThrownBy(() -> builder.compatibleHost("llm.internal/v1", "mine"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.compatibleHost(" ", "mine"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.compatibleHost("llm.internal", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
