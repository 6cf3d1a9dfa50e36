package ai.helicone.openaijava;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.openai.testing.LoopbackOpenAi;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI 2's OpenAI chat model, given the openai-java clients made by {@link HeliconeOpenAi}:
 * plain and streamed calls are recorded with the caller's context.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class SpringAiTest {
  private final InMemoryExporter exporter = new InMemoryExporter();
  private LoopbackOpenAi server;
  private Helicone helicone;
  private OpenAiChatModel model;

  @BeforeEach
  void start() throws Exception {
    server = new LoopbackOpenAi();
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .addAdapter(OpenAiAdapter.builder().compatibleHost(server.host(), "openai").build())
            .batchDelay(Duration.ofMillis(5))
            .build();
    model =
        OpenAiChatModel.builder()
            .openAiClient(
                HeliconeOpenAi.instrument(
                    helicone,
                    OpenAIOkHttpClient.builder()
                        .baseUrl(server.baseUrl())
                        .apiKey("sk-test")
                        .maxRetries(0)))
            .openAiClientAsync(
                HeliconeOpenAi.instrument(
                    helicone,
                    OpenAIOkHttpClientAsync.builder()
                        .baseUrl(server.baseUrl())
                        .apiKey("sk-test")
                        .maxRetries(0)))
            .options(OpenAiChatOptions.builder().model("gpt-4o-mini").build())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    helicone.close();
    server.close();
  }

  private HeliconeRecord only() {
    assertThat(helicone.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(exporter.records()).hasSize(1);
    return exporter.records().get(0);
  }

  private static void assertChatRecord(HeliconeRecord r) {
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.requestModel()).isEqualTo("gpt-4o-mini");
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.usage().inputTokens()).isEqualTo(1000L);
    assertThat(r.usage().outputTokens()).isEqualTo(500L);
    // gpt-4o-mini: 1000 x 0.15 + 500 x 0.60 per 1M tokens
    assertThat(r.costUsd()).isEqualByComparingTo("0.00045");
  }

  @Test
  void plainCallInASessionIsRecordedWithItsContext() {
    server.json(200, LoopbackOpenAi.CHAT);
    String sessionId;
    try (HeliconeSession session = helicone.session("Spring AI").userId("u-spring").start()) {
      sessionId = session.id();
      assertThat(model.call("Say hello")).isEqualTo("Hello!");
    }
    HeliconeRecord r = only();
    assertChatRecord(r);
    assertThat(r.sessionId()).isEqualTo(sessionId);
    assertThat(r.userId()).isEqualTo("u-spring");
  }

  @Test
  void streamSubscribedOnTheCallersThreadCarriesItsContext() {
    server.slowStream(300);
    List<ChatResponse> responses;
    try (HeliconeScope scope =
        helicone.context().userId("u-flux").property("Channel", "web").attach()) {
      responses = model.stream(new Prompt("Say hello")).collectList().block(Duration.ofSeconds(30));
    }
    String text =
        Objects.requireNonNull(responses).stream()
            .filter(r -> r.getResult() != null)
            .map(r -> r.getResult().getOutput().getText())
            .filter(Objects::nonNull)
            .collect(Collectors.joining());
    assertThat(text).isEqualTo("Hello there");

    HeliconeRecord r = only();
    assertChatRecord(r);
    assertThat(r.stream()).isTrue();
    assertThat(r.userId()).isEqualTo("u-flux");
    assertThat(r.properties()).containsExactly(Map.entry("Channel", "web"));
    assertThat(r.timeToFirstToken()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
