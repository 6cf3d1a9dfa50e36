package ai.helicone.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.openai.testing.LoopbackOpenAi;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LangChain4j's real OpenAI models over {@link HeliconeLangChain4j}, against a loopback server. */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class LangChain4jTest {
  // gpt-4o-mini: 1000 x 0.15 + 500 x 0.60 per 1M tokens
  private static final BigDecimal COST = new BigDecimal("0.00045");

  private final InMemoryExporter exporter = new InMemoryExporter();
  private LoopbackOpenAi server;
  private Helicone helicone;

  @BeforeEach
  void start() throws Exception {
    server = new LoopbackOpenAi();
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .addAdapter(OpenAiAdapter.builder().compatibleHost(server.host(), "openai").build())
            .batchDelay(Duration.ofMillis(5))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    helicone.close();
    server.close();
  }

  private HeliconeRecord only() {
    return StreamCollector.onlyRecord(helicone, exporter);
  }

  private OpenAiChatModel chatModel() {
    return OpenAiChatModel.builder()
        .baseUrl(server.baseUrl())
        .apiKey("sk-test")
        .modelName("gpt-4o-mini")
        .maxRetries(0)
        .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
        .build();
  }

  private OpenAiStreamingChatModel streamingModel() {
    return OpenAiStreamingChatModel.builder()
        .baseUrl(server.baseUrl())
        .apiKey("sk-test")
        .modelName("gpt-4o-mini")
        .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
        .build();
  }

  private static void assertChatRecord(HeliconeRecord r) {
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.requestModel()).isEqualTo("gpt-4o-mini");
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.usage().inputTokens()).isEqualTo(1000L);
    assertThat(r.usage().outputTokens()).isEqualTo(500L);
    assertThat(r.usage().estimated()).isFalse();
    assertThat(r.costUsd()).isEqualByComparingTo(COST);
  }

  @Test
  void plainChatInASessionIsRecordedWithItsContext() {
    server.json(200, LoopbackOpenAi.CHAT);
    String sessionId;
    try (HeliconeSession session =
            helicone.session("LangChain4j").userId("u-lc").property("Tier", "gold").start();
        HeliconeScope path = session.path("/chat")) {
      sessionId = session.id();
      assertThat(chatModel().chat("Say hello")).isEqualTo("Hello!");
    }
    HeliconeRecord r = only();
    assertChatRecord(r);
    assertThat(r.stream()).isFalse();
    assertThat(r.sessionId()).isEqualTo(sessionId);
    assertThat(r.sessionPath()).isEqualTo("/chat");
    assertThat(r.userId()).isEqualTo("u-lc");
    assertThat(r.properties()).containsExactly(Map.entry("Tier", "gold"));
    assertThat(r.request().headers().get("authorization")).isEqualTo("[REDACTED]");
  }

  @Test
  void streamingChatCarriesTheContextToTheDeliveryThreadAndMeasuresFirstContent() throws Exception {
    server.slowStream(300);
    StreamCollector collector = new StreamCollector(false);
    try (HeliconeScope scope =
        helicone.context().userId("u-stream").property("Mode", "stream").attach()) {
      streamingModel().chat("Say hello", collector);
    }
    ChatResponse response = collector.done.get(30, TimeUnit.SECONDS);
    assertThat(response.aiMessage().text()).isEqualTo("Hello there");

    HeliconeRecord r = only();
    assertChatRecord(r);
    assertThat(r.stream()).isTrue();
    assertThat(r.userId()).isEqualTo("u-stream");
    assertThat(r.properties()).containsExactly(Map.entry("Mode", "stream"));
    assertThat(r.timeToFirstToken()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(r.timeToFirstToken()).isLessThanOrEqualTo(r.duration());
  }

  @Test
  void streamingChatReadPastItsDoneIsASuccess() throws Exception {
    server.stream();
    StreamCollector collector = new StreamCollector(false);
    streamingModel().chat("Say hello", collector);
    collector.done.get(30, TimeUnit.SECONDS);
    assertChatRecord(only());
  }

  @Test
  void streamCancelledByTheHandlerIsCancelled() throws Exception {
    server.longStream();
    StreamCollector collector = new StreamCollector(true);
    streamingModel().chat("Say hello", collector);
    collector.cancelled.get(30, TimeUnit.SECONDS);

    HeliconeRecord r = only();
    assertThat(r.status()).isEqualTo(RecordStatus.CANCELLED);
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.timeToFirstToken()).isNotNull();
  }

  @Test
  void errorStatusReachesTheCallerAndIsRecordedAsAnError() {
    server.json(400, LoopbackOpenAi.ERROR);
    assertThatThrownBy(() -> chatModel().chat("Say hello"))
        .hasRootCauseInstanceOf(HttpException.class);
    HeliconeRecord r = only();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).contains("Invalid value for 'temperature'.");
  }

  @Test
  void streamingErrorStatusReachesTheHandler() {
    server.json(400, LoopbackOpenAi.ERROR);
    StreamCollector collector = new StreamCollector(false);
    streamingModel().chat("Say hello", collector);
    assertThatThrownBy(() -> collector.done.get(30, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(HttpException.class);
    assertThat(only().status()).isEqualTo(RecordStatus.ERROR);
  }

  @Test
  void embeddingsAreRecorded() {
    server.json(200, LoopbackOpenAi.EMBEDDINGS);
    Embedding embedding =
        OpenAiEmbeddingModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-test")
            .modelName("text-embedding-3-small")
            .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
            .build()
            .embed("The food was delicious")
            .content();
    assertThat(embedding.vector()).hasSize(3);
    HeliconeRecord r = only();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.operation()).isEqualTo("embeddings");
    assertThat(r.usage().inputTokens()).isEqualTo(8L);
    assertThat(r.costUsd()).isEqualByComparingTo("0.00000016");
  }
}
