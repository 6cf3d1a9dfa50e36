package ai.helicone.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.anthropic.AnthropicAdapter;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's real Anthropic models over {@link HeliconeLangChain4j}, against a loopback server
 * that answers as the Messages API does, with cache reads and both kinds of cache writes.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class LangChain4jAnthropicTest {
  private static final String MODEL = "claude-sonnet-4-5-20250929";

  private static final String USAGE =
      "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":1200,"
          + "\"cache_read_input_tokens\":3000,\"cache_creation\":{\"ephemeral_5m_input_tokens\":200,"
          + "\"ephemeral_1h_input_tokens\":1000},\"output_tokens\":15}";

  private static final String MESSAGE =
      "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
          + MODEL
          + "\",\"content\":[{\"type\":\"text\",\"text\":\"Refunds within 30 days.\"}],"
          + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
          + USAGE
          + "}";

  private static final String STREAM_START =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\","
          + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
          + MODEL
          + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
          + USAGE.replace("\"output_tokens\":15", "\"output_tokens\":1")
          + "}}\n\n"
          + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
          + "event: ping\ndata: {\"type\": \"ping\"}\n\n";

  private static final String STREAM_REST =
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Refunds\"}}\n\n"
          + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\" within 30 days.\"}}\n\n"
          + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
          + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
          + "\"end_turn\",\"stop_sequence\":null},"
          + USAGE
          + "}\n\n"
          + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

  private static final String ERROR =
      "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
          + "\"message\":\"max_tokens: must be greater than 0\"}}";

  // claude-sonnet-4-5, per 1M tokens: 25 input x 3.00, 3000 cache reads x 0.30, 200 five-minute
  // cache writes x 3.75, 1000 one-hour cache writes x 6.00, 15 output x 15.00.
  private static final BigDecimal COST = new BigDecimal("0.00795");

  private final InMemoryExporter exporter = new InMemoryExporter();
  private final MockWebServer server = new MockWebServer();
  private Helicone helicone;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getLoopbackAddress(), 0);
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .addAdapter(
                AnthropicAdapter.builder()
                    .host(server.getHostName() + ":" + server.getPort())
                    .build())
            .batchDelay(Duration.ofMillis(5))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    helicone.close();
    server.close();
  }

  private String baseUrl() {
    return server.url("/v1/").toString();
  }

  private HeliconeRecord only() {
    return StreamCollector.onlyRecord(helicone, exporter);
  }

  private AnthropicChatModel chatModel() {
    return AnthropicChatModel.builder()
        .baseUrl(baseUrl())
        .apiKey("sk-ant-test")
        .modelName("claude-sonnet-4-5")
        .maxTokens(256)
        .maxRetries(0)
        .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
        .build();
  }

  private AnthropicStreamingChatModel streamingModel() {
    return AnthropicStreamingChatModel.builder()
        .baseUrl(baseUrl())
        .apiKey("sk-ant-test")
        .modelName("claude-sonnet-4-5")
        .maxTokens(256)
        .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
        .build();
  }

  private static void assertMessageRecord(HeliconeRecord r) {
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("anthropic");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.model()).isEqualTo(MODEL);
    assertThat(r.finishReasons()).containsExactly("end_turn");
    assertThat(r.usage().inputTokens()).isEqualTo(4225L);
    assertThat(r.usage().cachedInputTokens()).isEqualTo(3000L);
    assertThat(r.usage().cacheWriteTokens()).isEqualTo(1200L);
    assertThat(r.usage().cacheWrite1hTokens()).isEqualTo(1000L);
    assertThat(r.usage().outputTokens()).isEqualTo(15L);
    assertThat(r.usage().estimated()).isFalse();
    assertThat(r.costUsd()).isEqualByComparingTo(COST);
    assertThat(r.request().headers().get("x-api-key")).isEqualTo("[REDACTED]");
  }

  @Test
  void plainMessageWithCacheReadsAndWritesIsRecordedWithItsCost() throws Exception {
    server.enqueue(
        new MockResponse().setHeader("Content-Type", "application/json").setBody(MESSAGE));
    try (HeliconeScope scope = helicone.context().userId("u-claude").attach()) {
      assertThat(chatModel().chat("What is the refund policy?"))
          .isEqualTo("Refunds within 30 days.");
    }
    RecordedRequest sent = server.takeRequest(30, TimeUnit.SECONDS);
    assertThat(sent.getPath()).isEqualTo("/v1/messages");

    HeliconeRecord r = only();
    assertMessageRecord(r);
    assertThat(r.stream()).isFalse();
    assertThat(r.userId()).isEqualTo("u-claude");
  }

  @Test
  void streamedMessageIsRecordedWithTimeToFirstTokenAtTheFirstDelta() throws Exception {
    Buffer body = new Buffer().writeUtf8(STREAM_START);
    long beforeFirstDelta = body.size();
    body.writeUtf8(STREAM_REST);
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream")
            .setBody(body)
            .throttleBody(beforeFirstDelta, 300, TimeUnit.MILLISECONDS));
    StreamCollector collector = new StreamCollector(false);
    try (HeliconeScope scope = helicone.context().property("Mode", "stream").attach()) {
      streamingModel().chat("What is the refund policy?", collector);
    }
    ChatResponse response = collector.done.get(30, TimeUnit.SECONDS);
    assertThat(response.aiMessage().text()).isEqualTo("Refunds within 30 days.");
    assertThat(collector.text).hasToString("Refunds within 30 days.");

    HeliconeRecord r = only();
    assertMessageRecord(r);
    assertThat(r.stream()).isTrue();
    assertThat(r.properties()).containsExactly(Map.entry("Mode", "stream"));
    assertThat(r.timeToFirstToken()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(r.timeToFirstToken()).isLessThanOrEqualTo(r.duration());
  }

  @Test
  void errorStatusReachesTheCallerAndIsRecordedWithAnthropicsMessage() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setHeader("Content-Type", "application/json")
            .setBody(ERROR));
    assertThatThrownBy(() -> chatModel().chat("What is the refund policy?"))
        .hasMessageContaining("max_tokens: must be greater than 0");
    HeliconeRecord r = only();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.provider()).isEqualTo("anthropic");
    assertThat(r.error()).contains("max_tokens: must be greater than 0");
    assertThat(r.costUsd()).isNull();
  }
}
