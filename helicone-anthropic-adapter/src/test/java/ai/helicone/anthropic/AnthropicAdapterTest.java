package ai.helicone.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.helicone.cost.PriceRegistry;
import ai.helicone.openai.Exchanges;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.Usage;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicAdapterTest {
  private static final String MESSAGES = "https://api.anthropic.com/v1/messages";
  private static final String VERTEX_STREAM =
      "https://us-east5-aiplatform.googleapis.com/v1/projects/my-project/locations/us-east5/"
          + "publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict";
  private static final String BEDROCK =
      "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
          + "us.anthropic.claude-haiku-4-5-20251001-v1%3A0/";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration STEP = Duration.ofMillis(20);

  private final AnthropicAdapter adapter = new AnthropicAdapter();

  /** The usage of messages.json and messages-stream.sse. */
  static final Usage CACHED_USAGE =
      Usage.builder()
          .inputTokens(25L + 3000 + 1200)
          .outputTokens(15L)
          .cachedInputTokens(3000L)
          .cacheWriteTokens(1200L)
          .cacheWrite1hTokens(1000L)
          .build();

  /**
   * claude-sonnet-4-5 (USD per 1M: input 3, cache read 0.30, 5-minute write 3.75, 1-hour write 6,
   * output 15): 25 x 3 + 3000 x 0.30 + 200 x 3.75 + 1000 x 6 + 15 x 15 = 75 + 900 + 750 + 6000 +
   * 225 = 7950 per 1M tokens.
   */
  static final BigDecimal CACHED_COST = new BigDecimal("0.00795");

  private CapturedExchange lastExchange;

  private AdapterResult parse(CapturedExchange exchange) {
    assertThat(adapter.supports(exchange)).isTrue();
    lastExchange = exchange;
    return adapter.parse(exchange);
  }

  /** The readable body of the last parsed exchange, rebuilt from its raw bytes as exporters do. */
  private String body(AdapterResult result) {
    CapturedBody readable = Readable.of(result, lastExchange);
    assertThat(readable).isNotNull();
    return readable.text();
  }

  private static BigDecimal cost(AdapterResult r) {
    return PriceRegistry.defaults().cost(r.provider(), r.model(), r.usage());
  }

  @Test
  void plainMessageWithCacheReadsAndWrites() {
    AdapterResult r =
        parse(
            Exchanges.status(
                MESSAGES,
                Fixtures.text("messages-request.json"),
                200,
                Fixtures.bytes("messages.json")));
    assertThat(r.provider()).isEqualTo("anthropic");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.stream()).isFalse();
    assertThat(r.responseId()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    assertThat(r.finishReasons()).containsExactly("end_turn");
    assertThat(r.usage()).isEqualTo(CACHED_USAGE);
    assertThat(r.usage().totalTokens()).isEqualTo(4240L);
    assertThat(cost(r)).isEqualByComparingTo(CACHED_COST);
    assertThat(r.error()).isNull();
    assertThat(r.timeToFirstToken()).isNull();
    assertThat(r.streamCompleted()).isNull();
    assertThat(r.requestParameters())
        .containsExactly(
            Map.entry("max_tokens", 1024L),
            Map.entry("temperature", 0.2),
            Map.entry("top_k", 40L),
            Map.entry("stop", List.of("END")));
  }

  @Test
  void streamedMessage() throws Exception {
    AdapterResult r =
        parse(
            Exchanges.eventPerRead(
                MESSAGES,
                Fixtures.text("messages-stream-request.json"),
                Fixtures.bytes("messages-stream.sse"),
                STEP));
    assertThat(r.stream()).isTrue();
    assertThat(r.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.responseId()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
    // message_start, content_block_start, ping, then the first content_block_delta: 4th read.
    assertThat(r.timeToFirstToken()).isEqualTo(STEP.multipliedBy(4));
    assertThat(r.usage()).isEqualTo(CACHED_USAGE);
    assertThat(cost(r)).isEqualByComparingTo(CACHED_COST);
    assertThat(r.finishReasons()).containsExactly("end_turn");
    assertThat(r.streamCompleted()).isTrue();
    assertThat(r.error()).isNull();
    JsonNode body = MAPPER.readTree(body(r));
    assertThat(body.path("content").get(0).path("text").asText())
        .isEqualTo("Refunds are accepted within 30 days of purchase.");
    assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.path("usage").path("input_tokens").asLong()).isEqualTo(25);
    assertThat(body.path("usage").path("cache_read_input_tokens").asLong()).isEqualTo(3000);
  }

  @Test
  void streamWithThinkingAndToolUse() throws Exception {
    AdapterResult r =
        parse(
            Exchanges.eventPerRead(
                MESSAGES,
                "{\"model\":\"claude-opus-4-5\",\"stream\":true}",
                Fixtures.bytes("messages-stream-tools.sse"),
                STEP));
    assertThat(r.model()).isEqualTo("claude-opus-4-5-20251101");
    assertThat(r.usage()).isEqualTo(Usage.builder().inputTokens(472L).outputTokens(89L).build());
    // 472 x 5 + 89 x 25 = 2360 + 2225 = 4585 per 1M
    assertThat(cost(r)).isEqualByComparingTo("0.004585");
    assertThat(r.finishReasons()).containsExactly("tool_use");
    // The thinking delta is the first content: after message_start and content_block_start.
    assertThat(r.timeToFirstToken()).isEqualTo(STEP.multipliedBy(3));
    JsonNode content = MAPPER.readTree(body(r)).path("content");
    assertThat(content).hasSize(3);
    assertThat(content.get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(content.get(0).path("thinking").asText())
        .isEqualTo("The user wants the weather; call the tool.");
    assertThat(content.get(0).path("signature").asText()).startsWith("EqQBCgIYAhIM");
    assertThat(content.get(1).path("text").asText()).isEqualTo("Let me check.");
    assertThat(content.get(2).path("name").asText()).isEqualTo("get_weather");
    assertThat(content.get(2).path("input").path("location").asText())
        .isEqualTo("San Francisco, CA");
  }

  @Test
  void errorEventInsideA200Stream() {
    AdapterResult r =
        parse(
            Exchanges.eventPerRead(
                MESSAGES,
                "{\"model\":\"claude-haiku-4-5\",\"stream\":true}",
                Fixtures.bytes("messages-stream-error.sse"),
                STEP));
    assertThat(r.error()).isEqualTo("overloaded_error: Overloaded");
    assertThat(r.model()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(r.usage()).isEqualTo(Usage.builder().inputTokens(12L).outputTokens(1L).build());
    assertThat(r.finishReasons()).isNull();
    // The error event ends the stream: a body closed after it is an error, not a cancellation.
    assertThat(r.streamCompleted()).isTrue();
    assertThat(r.timeToFirstToken()).isEqualTo(STEP.multipliedBy(3));
  }

  @Test
  void truncatedStreamKeepsWhatArrivedAndIsNotComplete() {
    AdapterResult r =
        parse(
            Exchanges.eventPerRead(
                MESSAGES,
                Fixtures.text("messages-stream-request.json"),
                Fixtures.bytes("messages-stream-truncated.sse"),
                STEP));
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(40L)
                .outputTokens(1L)
                .cachedInputTokens(0L)
                .cacheWriteTokens(0L)
                .build());
    assertThat(r.streamCompleted()).isFalse();
    assertThat(r.finishReasons()).isNull();
    assertThat(r.error()).isNull();
    assertThat(r.timeToFirstToken()).isEqualTo(STEP.multipliedBy(3));
  }

  /**
   * Sonnet 4 and 4.5 prompts of more than 200,000 input tokens (cache reads and writes included)
   * are priced at the long-context rates for the whole call: input 6, cache read 0.60, 5-minute
   * write 7.50, 1-hour write 12, output 22.50 (USD per 1M).
   */
  @Test
  void sonnetPromptsOverTwoHundredThousandTokensUseTheLongContextPrices() {
    PriceRegistry prices = PriceRegistry.defaults();
    // 150000 x 6 + 40000 x 0.60 + 15000 x 7.50 + 5000 x 12 + 2000 x 22.50
    // = 900000 + 24000 + 112500 + 60000 + 45000 = 1141500 per 1M.
    Usage longPrompt =
        Usage.builder()
            .inputTokens(150_000L + 40_000 + 20_000)
            .cachedInputTokens(40_000L)
            .cacheWriteTokens(20_000L)
            .cacheWrite1hTokens(5_000L)
            .outputTokens(2_000L)
            .build();
    for (String model : List.of("claude-sonnet-4-5-20250929", "claude-sonnet-4-20250514")) {
      assertThat(prices.cost("anthropic", model, longPrompt))
          .isCloseTo(new BigDecimal("1.1415"), within(new BigDecimal("1e-9")));
    }
    // At exactly 200,000 the base prices apply: 200000 x 3 + 1000 x 15 = 615000 per 1M; one
    // token more and every token is at the long-context rates: 200001 x 6 + 1000 x 22.50.
    Usage atLimit = Usage.builder().inputTokens(200_000L).outputTokens(1_000L).build();
    Usage overLimit = Usage.builder().inputTokens(200_001L).outputTokens(1_000L).build();
    assertThat(prices.cost("anthropic", "claude-sonnet-4-5", atLimit))
        .isCloseTo(new BigDecimal("0.615"), within(new BigDecimal("1e-9")));
    assertThat(prices.cost("anthropic", "claude-sonnet-4-5", overLimit))
        .isCloseTo(new BigDecimal("1.222506"), within(new BigDecimal("1e-9")));
    // Models without the long-context rates keep one price. Haiku 4.5: 150000 x 1 + 40000 x 0.10
    // + 15000 x 1.25 + 5000 x 2 + 2000 x 5 = 150000 + 4000 + 18750 + 10000 + 10000 = 192750 per 1M.
    assertThat(prices.cost("anthropic", "claude-haiku-4-5", longPrompt))
        .isCloseTo(new BigDecimal("0.19275"), within(new BigDecimal("1e-9")));
  }

  @Test
  void unknownEventTypesAndCommentsAreIgnored() {
    AdapterResult known =
        parse(Exchanges.eventPerRead(MESSAGES, null, Fixtures.bytes("messages-stream.sse"), STEP));
    String knownBody = body(known);
    AdapterResult withUnknown =
        parse(
            Exchanges.eventPerRead(
                MESSAGES, null, Fixtures.bytes("messages-stream-unknown-events.sse"), STEP));
    assertThat(withUnknown.usage()).isEqualTo(known.usage());
    assertThat(withUnknown.model()).isEqualTo(known.model());
    assertThat(withUnknown.finishReasons()).isEqualTo(known.finishReasons());
    assertThat(withUnknown.streamCompleted()).isTrue();
    assertThat(withUnknown.error()).isNull();
    assertThat(body(withUnknown)).isEqualTo(knownBody);
  }

  @Test
  void errorStatusesGiveTheProvidersMessage() {
    assertThat(
            parse(Exchanges.status(MESSAGES, null, 429, Fixtures.bytes("error-429.json"))).error())
        .isEqualTo(
            "rate_limit_error: Number of request tokens has exceeded your per-minute rate limit");
    AdapterResult vertex =
        parse(Exchanges.status(VERTEX_STREAM, null, 404, Fixtures.bytes("error-vertex.json")));
    assertThat(vertex.error()).startsWith("Publisher Model `projects/p/");
    assertThat(vertex.usage()).isNull();
    assertThat(
            parse(
                    Exchanges.status(
                        BEDROCK + "invoke", null, 429, Fixtures.bytes("error-bedrock.json")))
                .error())
        .isEqualTo("Too many tokens, please wait before trying again.");
    assertThat(
            parse(
                    Exchanges.status(
                        MESSAGES,
                        null,
                        502,
                        "<html>Bad gateway</html>"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .error())
        .isEqualTo("<html>Bad gateway</html>");
  }

  @Test
  void tokenCountingHasItsOwnOperationAndNoUsage() {
    AdapterResult r =
        parse(
            Exchanges.status(
                MESSAGES + "/count_tokens",
                Fixtures.text("count-tokens-request.json"),
                200,
                Fixtures.bytes("count-tokens.json")));
    assertThat(r.operation()).isEqualTo("count_tokens");
    assertThat(r.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.usage()).isNull();
    assertThat(r.error()).isNull();
    AdapterResult vertex =
        parse(
            Exchanges.status(
                "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/"
                    + "publishers/anthropic/models/count-tokens:rawPredict",
                Fixtures.text("count-tokens-request.json"),
                200,
                Fixtures.bytes("count-tokens.json")));
    assertThat(vertex.operation()).isEqualTo("count_tokens");
    assertThat(vertex.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(vertex.usage()).isNull();
  }

  @Test
  void vertexTakesTheModelFromTheUrl() {
    AdapterResult r =
        parse(
            Exchanges.eventPerRead(
                VERTEX_STREAM,
                Fixtures.text("vertex-request.json"),
                Fixtures.bytes("messages-stream.sse"),
                STEP));
    assertThat(r.provider()).isEqualTo("anthropic");
    assertThat(r.requestModel()).isEqualTo("claude-sonnet-4-5@20250929");
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.stream()).isTrue();
    assertThat(r.usage()).isEqualTo(CACHED_USAGE);
    assertThat(PriceRegistry.defaults().cost("anthropic", r.requestModel(), r.usage()))
        .isEqualByComparingTo(CACHED_COST);
  }

  @Test
  void bedrockInvoke() {
    AdapterResult r =
        parse(
            Exchanges.status(
                BEDROCK + "invoke",
                Fixtures.text("bedrock-request.json"),
                200,
                Fixtures.bytes("bedrock-invoke.json")));
    assertThat(r.requestModel()).isEqualTo("claude-haiku-4-5-20251001-v1:0");
    assertThat(r.model()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(r.stream()).isFalse();
    assertThat(r.usage().inputTokens()).isEqualTo(8L);
    // 8 x 1 + 10 x 5 = 58 per 1M
    assertThat(cost(r)).isEqualByComparingTo("0.000058");
    assertThat(PriceRegistry.defaults().cost("anthropic", r.requestModel(), r.usage()))
        .isEqualByComparingTo("0.000058");
  }

  @Test
  void bedrockBinaryEventStream() throws Exception {
    byte[] stream = AwsFrames.chunks(AwsFrames.eventData(Fixtures.text("messages-stream.sse")));
    CapturedExchange exchange =
        Exchanges.body(
            BEDROCK + "invoke-with-response-stream",
            Fixtures.text("bedrock-request.json"),
            "application/vnd.amazon.eventstream",
            stream);
    AdapterResult r = parse(exchange);
    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.usage()).isEqualTo(CACHED_USAGE);
    assertThat(r.finishReasons()).containsExactly("end_turn");
    assertThat(r.streamCompleted()).isTrue();
    assertThat(r.timeToFirstToken()).isEqualTo(Duration.ofMillis(50));
    assertThat(MAPPER.readTree(body(r)).path("content").get(0).path("text").asText())
        .isEqualTo("Refunds are accepted within 30 days of purchase.");

    // Cut anywhere, the decoder keeps the complete messages and never throws.
    for (int cut = 0; cut < stream.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(stream, cut);
      AdapterResult partial =
          adapter.parse(
              Exchanges.body(
                  BEDROCK + "invoke-with-response-stream",
                  null,
                  "application/vnd.amazon.eventstream",
                  part));
      assertThat(partial.streamCompleted()).as("cut at %d", cut).isNotEqualTo(Boolean.TRUE);
    }
  }

  @Test
  void bedrockExceptionInsideTheStream() {
    List<String> events = AwsFrames.eventData(Fixtures.text("messages-stream.sse")).subList(0, 4);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(AwsFrames.chunks(events));
    out.writeBytes(AwsFrames.exception("throttlingException", "Too many requests"));
    AdapterResult r =
        parse(
            Exchanges.body(
                BEDROCK + "invoke-with-response-stream",
                null,
                "application/vnd.amazon.eventstream",
                out.toByteArray()));
    assertThat(r.error()).isEqualTo("throttlingException: Too many requests");
    assertThat(r.streamCompleted()).isTrue();
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
  }

  @Test
  void hostsAndPathsThatAreNotAnthropic() {
    assertThat(
            adapter.supports(
                Exchanges.status(
                    "https://api.openai.com/v1/chat/completions", null, 200, new byte[0])))
        .isFalse();
    assertThat(
            adapter.supports(
                Exchanges.status(
                    "https://bedrock-runtime.us-east-1.amazonaws.com/model/meta.llama3-70b-instruct-v1:0/invoke",
                    null,
                    200,
                    new byte[0])))
        .isFalse();
    assertThat(
            adapter.supports(
                Exchanges.status(
                    "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent",
                    null,
                    200,
                    new byte[0])))
        .isFalse();
    assertThat(
            adapter.supports(
                Exchanges.status("http://localhost:8080/v1/messages", null, 200, new byte[0])))
        .isTrue();
  }

  @Test
  void registeredHostsServeEveryPath() {
    AnthropicAdapter custom = AnthropicAdapter.builder().host("LLM.internal:8443").build();
    CapturedExchange exchange =
        Exchanges.status(
            "https://llm.internal:8443/anthropic/messages",
            Fixtures.text("messages-request.json"),
            200,
            Fixtures.bytes("messages.json"));
    assertThat(custom.supports(exchange)).isTrue();
    assertThat(adapter.supports(exchange)).isFalse();
    AdapterResult r = custom.parse(exchange);
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.usage()).isEqualTo(CACHED_USAGE);
    assertThat(
            custom.supports(
                Exchanges.status(
                    "https://llm.internal:9000/anthropic/messages", null, 200, new byte[0])))
        .isFalse();
    assertThatThrownBy(() -> AnthropicAdapter.builder().host("https://llm.internal"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnthropicAdapter.builder().host(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnknownModelHasNoCost() {
    String body =
        Fixtures.text("messages.json").replace("claude-sonnet-4-5-20250929", "claude-next-9");
    AdapterResult r =
        parse(
            Exchanges.status(
                MESSAGES,
                "{\"model\":\"claude-next-9\"}",
                200,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(r.usage()).isEqualTo(CACHED_USAGE);
    assertThat(cost(r)).isNull();
  }

  @Test
  void garbageNeverThrows() {
    byte[] garbage =
        "data: {\"type\":\"message_start\",\"message\":[1,2\n\n{{{"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AdapterResult r = parse(Exchanges.eventPerRead(MESSAGES, "not json", garbage, STEP));
    assertThat(r.usage()).isNull();
    assertThat(r.provider()).isEqualTo("anthropic");
  }
}
