package ai.helicone.anthropicjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real anthropic-java client, over {@link HeliconeAnthropicHttpClient}, on a loopback server.
 */
class AnthropicJavaTest {
  /**
   * messages.json / messages-stream.sse: 25 input + 3000 cache read + 1200 cache write (1000 of
   * them for one hour), 15 output, claude-sonnet-4-5: 25 x 3 + 3000 x 0.30 + 200 x 3.75 + 1000 x 6
   * + 15 x 15 = 7950 USD per 1M tokens.
   */
  private static final Usage USAGE =
      Usage.builder()
          .inputTokens(4225L)
          .outputTokens(15L)
          .cachedInputTokens(3000L)
          .cacheWriteTokens(1200L)
          .cacheWrite1hTokens(1000L)
          .build();

  private static final BigDecimal COST = new BigDecimal("0.00795");
  private static final MessageCreateParams PARAMS =
      MessageCreateParams.builder()
          .model("claude-sonnet-4-5")
          .maxTokens(1024)
          .addUserMessage("What is the refund policy?")
          .build();

  private final MockWebServer server = new MockWebServer();
  private final InMemoryExporter exporter = new InMemoryExporter();
  private Helicone helicone;
  private AnthropicClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    helicone = Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5)).build();
    client =
        AnthropicOkHttpClient.builder()
            .apiKey("sk-ant-test-secret")
            .baseUrl(server.url("/").toString())
            .maxRetries(0)
            .build()
            .withOptions(HeliconeAnthropicHttpClient.options(helicone));
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    helicone.close();
    server.shutdown();
  }

  private static String resource(String name) {
    try (InputStream in = AnthropicJavaTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void enqueueJson(int status, String body) {
    server.enqueue(
        new MockResponse()
            .setResponseCode(status)
            .setHeader("Content-Type", "application/json")
            .setHeader("request-id", "req_test")
            .setBody(body));
  }

  private void enqueueStream(String body) {
    server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(body));
  }

  private HeliconeRecord onlyRecord() {
    assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(exporter.records()).hasSize(1);
    return exporter.records().get(0);
  }

  private static void assertMessageRecord(HeliconeRecord r) {
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("anthropic");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.usage()).isEqualTo(USAGE);
    assertThat(r.costUsd()).isEqualByComparingTo(COST);
    assertThat(r.finishReasons()).containsExactly("end_turn");
  }

  @Test
  void plainCall() throws Exception {
    enqueueJson(200, resource("messages.json"));
    Message message = client.messages().create(PARAMS);
    assertThat(message.content().get(0).asText().text())
        .isEqualTo("Refunds are accepted within 30 days of purchase.");

    RecordedRequest sent = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(sent.getPath()).isEqualTo("/v1/messages");
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer sk-ant-test-secret");
    assertThat(sent.getHeader("anthropic-version")).isNotBlank();

    HeliconeRecord r = onlyRecord();
    assertMessageRecord(r);
    assertThat(r.stream()).isFalse();
    assertThat(r.request().headers().toString()).doesNotContain("sk-ant-test-secret");
  }

  @Test
  void streamReadToTheEnd() {
    enqueueStream(resource("messages-stream.sse"));
    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(PARAMS)) {
      stream.stream()
          .forEach(
              e ->
                  e.contentBlockDelta()
                      .flatMap(d -> d.delta().text())
                      .ifPresent(t -> text.append(t.text())));
    }
    assertThat(text.toString()).isEqualTo("Refunds are accepted within 30 days of purchase.");
    HeliconeRecord r = onlyRecord();
    assertMessageRecord(r);
    assertThat(r.stream()).isTrue();
    assertThat(r.timeToFirstToken()).isNotNull();
    assertThat(r.timeToFirstToken()).isLessThanOrEqualTo(r.duration());
  }

  @Test
  void streamClosedEarlyIsCancelled() {
    String full = resource("messages-stream.sse");
    int firstDelta = full.indexOf("event: content_block_delta");
    String delta =
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\" more\"}}\n\n";
    // Far more than one read: the client stops after two events, long before message_stop.
    enqueueStream(
        full.substring(0, firstDelta) + delta.repeat(20_000) + full.substring(firstDelta));
    List<RawMessageStreamEvent> seen = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(PARAMS)) {
      Iterator<RawMessageStreamEvent> events = stream.stream().iterator();
      seen.add(events.next());
      seen.add(events.next());
    }
    assertThat(seen.get(0).isMessageStart()).isTrue();
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.CANCELLED);
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.usage().inputTokens()).isEqualTo(4225L);
  }

  @Test
  void errorStatus() {
    enqueueJson(429, resource("error-429.json"));
    assertThatThrownBy(() -> client.messages().create(PARAMS))
        .isInstanceOf(RateLimitException.class);
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).startsWith("rate_limit_error: Number of request tokens");
    assertThat(r.response().status()).isEqualTo(429);
  }

  @Test
  @SuppressWarnings("try")
  void syncCallCarriesTheContext() {
    enqueueJson(200, resource("messages.json"));
    try (HeliconeSession session = helicone.session("Support").userId("user-7").start();
        HeliconeScope path = session.path("/answer");
        HeliconeScope props = helicone.context().property("Tier", "gold").attach()) {
      client.messages().create(PARAMS);
    }
    HeliconeRecord r = onlyRecord();
    assertThat(r.sessionName()).isEqualTo("Support");
    assertThat(r.sessionPath()).isEqualTo("/answer");
    assertThat(r.userId()).isEqualTo("user-7");
    assertThat(r.properties()).containsEntry("Tier", "gold");
  }

  @Test
  @SuppressWarnings("try")
  void asyncCallCarriesTheContext() throws Exception {
    enqueueJson(200, resource("messages.json"));
    String sessionId;
    Message message;
    try (HeliconeSession session = helicone.session("Support").userId("user-8").start();
        HeliconeScope props = helicone.context().property("Tier", "silver").attach()) {
      sessionId = session.id();
      message = client.async().messages().create(PARAMS).get(60, TimeUnit.SECONDS);
    }
    assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
    HeliconeRecord r = onlyRecord();
    assertMessageRecord(r);
    assertThat(r.sessionId()).isEqualTo(sessionId);
    assertThat(r.userId()).isEqualTo("user-8");
    assertThat(r.properties()).containsEntry("Tier", "silver");
  }

  @Test
  @SuppressWarnings("try")
  void asyncStreamCarriesTheContext() throws Exception {
    enqueueStream(resource("messages-stream.sse"));
    StringBuilder text = new StringBuilder();
    try (HeliconeSession session = helicone.session("Support").userId("user-9").start()) {
      AsyncStreamResponse<RawMessageStreamEvent> stream =
          client.async().messages().createStreaming(PARAMS);
      stream.subscribe(
          e ->
              e.contentBlockDelta()
                  .flatMap(d -> d.delta().text())
                  .ifPresent(t -> text.append(t.text())));
      // Generous: the first use of the client loads many classes, slowly on a busy machine.
      stream.onCompleteFuture().get(60, TimeUnit.SECONDS);
    }
    assertThat(text.toString()).isEqualTo("Refunds are accepted within 30 days of purchase.");
    HeliconeRecord r = onlyRecord();
    assertMessageRecord(r);
    assertThat(r.stream()).isTrue();
    assertThat(r.userId()).isEqualTo("user-9");
    assertThat(r.sessionName()).isEqualTo("Support");
  }
}
