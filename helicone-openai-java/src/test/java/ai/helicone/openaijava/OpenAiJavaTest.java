package ai.helicone.openaijava;

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
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real openai-java client (sync, async, streaming) against an OpenAI-shaped loopback server,
 * recorded through {@link HeliconeOpenAi}, compared with what a raw OkHttp call records.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class OpenAiJavaTest {
  // gpt-4o-mini: 1000 x 0.15 + 500 x 0.60 per 1M tokens
  private static final BigDecimal COST = new BigDecimal("0.00045");
  private static final ChatCompletionCreateParams CHAT =
      ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Say hello").build();

  private final InMemoryExporter exporter = new InMemoryExporter();
  private LoopbackOpenAi server;
  private Helicone helicone;
  private OpenAIClient client;
  private OpenAIClientAsync async;

  @BeforeEach
  void start() throws Exception {
    server = new LoopbackOpenAi();
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .addAdapter(OpenAiAdapter.builder().compatibleHost(server.host(), "openai").build())
            .batchDelay(Duration.ofMillis(5))
            .build();
    client =
        HeliconeOpenAi.instrument(
            helicone,
            OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test").maxRetries(0));
    async =
        HeliconeOpenAi.instrument(
            helicone,
            OpenAIOkHttpClientAsync.builder()
                .baseUrl(server.baseUrl())
                .apiKey("sk-test")
                .maxRetries(0));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    async.close();
    helicone.close();
    server.close();
  }

  private List<HeliconeRecord> records(int expected) {
    assertThat(helicone.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(exporter.records()).hasSize(expected);
    return exporter.records();
  }

  private HeliconeRecord only() {
    return records(1).get(0);
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
  void plainChatIsRecordedAsARawOkHttpCallWouldBe() throws Exception {
    server.json(200, LoopbackOpenAi.CHAT);
    ChatCompletion completion = client.chat().completions().create(CHAT);
    assertThat(completion.choices().get(0).message().content()).contains("Hello!");
    HeliconeRecord viaSdk = only();
    RecordedRequest sent = server.take();

    // The same request body and answer through a raw instrumented OkHttp client.
    exporter.reset();
    server.json(200, LoopbackOpenAi.CHAT);
    OkHttpClient raw = helicone.instrument(new OkHttpClient());
    Request request =
        new Request.Builder()
            .url(server.baseUrl() + "/chat/completions")
            .post(RequestBody.create(sent.getBody().readUtf8(), MediaType.get("application/json")))
            .build();
    try (Response response = raw.newCall(request).execute()) {
      response.body().string();
    }
    HeliconeRecord viaOkHttp = only();

    assertChatRecord(viaSdk);
    assertThat(viaSdk.stream()).isFalse();
    for (HeliconeRecord r : List.of(viaSdk, viaOkHttp)) {
      assertThat(List.of(r.provider(), r.model(), r.requestModel(), r.operation()))
          .isEqualTo(
              List.of(
                  viaOkHttp.provider(),
                  viaOkHttp.model(),
                  viaOkHttp.requestModel(),
                  viaOkHttp.operation()));
    }
    assertThat(viaSdk.usage()).isEqualTo(viaOkHttp.usage());
    assertThat(viaSdk.costUsd()).isEqualByComparingTo(viaOkHttp.costUsd());
    // The key never reaches the record.
    assertThat(viaSdk.request().headers().get("authorization")).isEqualTo("[REDACTED]");
  }

  @Test
  void streamReadToTheEndIsASuccessWithUsageAndTimeToFirstContent() {
    server.slowStream(300);
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(CHAT)) {
      stream.stream()
          .forEach(
              chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("Hello there");

    HeliconeRecord r = only();
    assertChatRecord(r);
    assertThat(r.stream()).isTrue();
    // The role-only first chunk arrives at once; the first content at least 300 ms later.
    assertThat(r.timeToFirstToken()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(r.timeToFirstToken()).isLessThanOrEqualTo(r.duration());
  }

  @Test
  void streamThatTheSdkClosesAtDoneBeforeTheBodyEndsIsASuccess() {
    server.stream();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(CHAT)) {
      assertThat(stream.stream().count()).isEqualTo(5);
    }
    HeliconeRecord r = only();
    assertChatRecord(r);
    assertThat(r.response().rawBody()).contains("data: [DONE]");
  }

  @Test
  void streamClosedEarlyByTheCallerIsCancelled() {
    server.longStream();
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(CHAT)) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      chunks.next();
      assertThat(chunks.next().choices().get(0).delta().content()).contains("Hello");
    }
    HeliconeRecord r = only();
    assertThat(r.status()).isEqualTo(RecordStatus.CANCELLED);
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.timeToFirstToken()).isNotNull();
  }

  @Test
  void errorStatusIsAnErrorWithTheProvidersMessage() {
    server.json(400, LoopbackOpenAi.ERROR);
    assertThatThrownBy(() -> client.chat().completions().create(CHAT))
        .isInstanceOf(BadRequestException.class);
    HeliconeRecord r = only();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).contains("Invalid value for 'temperature'.");
    assertThat(r.response().status()).isEqualTo(400);
  }

  @Test
  void sdkRetriesAreSeparateRecordsWithTheContext() throws Exception {
    OpenAIClient retrying =
        HeliconeOpenAi.instrument(
            helicone,
            OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test").maxRetries(1));
    server.json(500, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
    server.json(200, LoopbackOpenAi.CHAT);
    try (HeliconeScope scope = helicone.context().userId("u-retry").attach()) {
      retrying.chat().completions().create(CHAT);
    } finally {
      retrying.close();
    }
    List<HeliconeRecord> rs = records(2);
    assertThat(rs)
        .extracting(HeliconeRecord::status)
        .containsExactly(RecordStatus.ERROR, RecordStatus.SUCCESS);
    assertThat(rs).extracting(HeliconeRecord::userId).containsOnly("u-retry");
    assertThat(rs.get(0).id()).isNotEqualTo(rs.get(1).id());
    assertThat(rs.get(1).request().headers()).containsEntry("x-stainless-retry-count", "1");
  }

  @Test
  void asyncCallsAndAsyncStreamsCarryTheCallersSessionUserAndProperties() throws Exception {
    server.json(200, LoopbackOpenAi.CHAT);
    server.stream();
    String sessionId;
    List<String> deltas = new CopyOnWriteArrayList<>();
    try (HeliconeSession session =
            helicone.session("Async agent").userId("u-async").property("Tier", "gold").start();
        HeliconeScope path = session.path("/answer")) {
      sessionId = session.id();
      ChatCompletion completion = async.chat().completions().create(CHAT).get(30, TimeUnit.SECONDS);
      assertThat(completion.id()).isEqualTo("chatcmpl-1");

      AsyncStreamResponse<ChatCompletionChunk> stream =
          async.chat().completions().createStreaming(CHAT);
      stream
          .subscribe(
              chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(deltas::add)))
          .onCompleteFuture()
          .get(30, TimeUnit.SECONDS);
    }
    assertThat(String.join("", deltas)).isEqualTo("Hello there");

    List<HeliconeRecord> rs = records(2);
    for (HeliconeRecord r : rs) {
      assertChatRecord(r);
      assertThat(r.sessionId()).isEqualTo(sessionId);
      assertThat(r.sessionName()).isEqualTo("Async agent");
      assertThat(r.sessionPath()).isEqualTo("/answer");
      assertThat(r.userId()).isEqualTo("u-async");
      assertThat(r.properties()).containsExactly(Map.entry("Tier", "gold"));
      assertThat(r.request().headers().keySet()).noneMatch(h -> h.startsWith("helicone-"));
    }
    assertThat(rs).extracting(HeliconeRecord::stream).containsExactlyInAnyOrder(false, true);
    // The metadata went to the record, not to the provider.
    for (int i = 0; i < 2; i++) {
      assertThat(server.take().getHeaders().names())
          .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("helicone-"));
    }
  }

  @Test
  void asyncCallsOutsideAnyContextCarryNone() throws Exception {
    server.json(200, LoopbackOpenAi.CHAT);
    async.chat().completions().create(CHAT).get(30, TimeUnit.SECONDS);
    HeliconeRecord r = only();
    assertThat(r.sessionId()).isNull();
    assertThat(r.userId()).isNull();
    assertThat(r.properties()).isEmpty();
  }

  @Test
  void embeddingsAndResponsesAreRecorded() {
    server.json(200, LoopbackOpenAi.EMBEDDINGS);
    server.json(200, LoopbackOpenAi.RESPONSES);
    client
        .embeddings()
        .create(
            EmbeddingCreateParams.builder()
                .model("text-embedding-3-small")
                .input("The food was delicious")
                .build());
    client
        .responses()
        .create(ResponseCreateParams.builder().model("gpt-4o-mini").input("Hi").build());

    List<HeliconeRecord> rs = new ArrayList<>(records(2));
    rs.sort((a, b) -> a.startTime().compareTo(b.startTime()));
    HeliconeRecord embedding = rs.get(0);
    assertThat(embedding.operation()).isEqualTo("embeddings");
    assertThat(embedding.usage().inputTokens()).isEqualTo(8L);
    // text-embedding-3-small: 8 x 0.02 per 1M tokens
    assertThat(embedding.costUsd()).isEqualByComparingTo("0.00000016");
    HeliconeRecord response = rs.get(1);
    assertThat(response.operation()).isEqualTo("responses");
    assertThat(response.usage().outputTokens()).isEqualTo(500L);
    assertThat(response.costUsd()).isEqualByComparingTo(COST);
  }

  @Test
  void closingTheViewClosesTheClient() throws Exception {
    OpenAIClient own =
        OpenAIOkHttpClient.builder()
            .baseUrl(server.baseUrl())
            .apiKey("sk-test")
            .okHttpClient(helicone.instrument(new OkHttpClient()))
            .build();
    OpenAIClient view = HeliconeOpenAi.carryContext(helicone, own);
    assertThat(HeliconeOpenAi.carryContext(helicone, view)).isSameAs(view);
    view.close();
    server.json(200, LoopbackOpenAi.CHAT);
    assertThatThrownBy(() -> own.chat().completions().create(CHAT))
        .isInstanceOf(IllegalStateException.class);
  }
}
