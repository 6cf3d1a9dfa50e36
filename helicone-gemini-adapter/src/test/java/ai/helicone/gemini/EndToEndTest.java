package ai.helicone.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.export.RecordJson;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import ai.helicone.spi.ProviderAdapter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path: a real OkHttp client instrumented by {@link Helicone}, a loopback server that
 * answers as Gemini and Vertex AI do, the adapter found on the classpath, the export pipeline and
 * the record that comes out of it, with its cost computed by hand.
 */
class EndToEndTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final String SECRET = "AIzaSy-not-a-real-key-0123456789";
  private static final long PAUSE_MS = 300;

  private final MockWebServer server = new MockWebServer();
  private final InMemoryExporter exporter = new InMemoryExporter();
  private final List<Helicone> instances = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    instances.forEach(Helicone::close);
    server.shutdown();
  }

  private Helicone helicone(ProviderAdapter... adapters) {
    Helicone.Builder builder =
        Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5));
    for (ProviderAdapter adapter : adapters) {
      builder.addAdapter(adapter);
    }
    Helicone helicone = builder.build();
    instances.add(helicone);
    return helicone;
  }

  private OkHttpClient client(ProviderAdapter... adapters) {
    return helicone(adapters).instrument(new OkHttpClient.Builder().build());
  }

  private Request request(String pathAndQuery) {
    return new Request.Builder()
        .url(server.url(pathAndQuery))
        .header("x-goog-api-key", SECRET)
        .post(RequestBody.create(Exchanges.REQUEST.getBytes(StandardCharsets.UTF_8), JSON))
        .build();
  }

  private static byte[] execute(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.body().bytes();
    }
  }

  private HeliconeRecord onlyRecord() {
    for (Helicone helicone : instances) {
      assertThat(helicone.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(exporter.records()).hasSize(1);
    return exporter.records().get(0);
  }

  /** tokens × USD per 1M. */
  private static BigDecimal usd(long tokens, String perMillion) {
    return new BigDecimal(perMillion).multiply(BigDecimal.valueOf(tokens)).divide(MILLION);
  }

  private static void assertCost(HeliconeRecord r, BigDecimal expected) {
    assertThat(r.costUsd()).isNotNull();
    assertThat(r.costUsd().subtract(expected).abs()).isLessThanOrEqualTo(new BigDecimal("1e-9"));
  }

  /**
   * A stream served in blocks of {@code firstChunkBytes}, with a pause after each: the first chunk
   * arrives at once, the rest at least {@link #PAUSE_MS} later.
   */
  private static MockResponse slowStream(String contentType, byte[] body, long firstChunkBytes) {
    return new MockResponse()
        .setHeader("Content-Type", contentType)
        .setBody(new okio.Buffer().write(body))
        .throttleBody(firstChunkBytes, PAUSE_MS, TimeUnit.MILLISECONDS);
  }

  @Test
  @SuppressWarnings("try")
  void plainGeminiCallWithItsKeyRedacted() throws Exception {
    byte[] body = Fixtures.bytes("generate.json");
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(new okio.Buffer().write(body)));
    Helicone helicone = helicone();
    OkHttpClient client = helicone.instrument(new OkHttpClient.Builder().build());

    byte[] read;
    try (HeliconeScope scope =
        helicone.context().userId("user-7").property("Feature", "summaries").attach()) {
      read =
          execute(client, request("/v1beta/models/gemini-2.5-pro:generateContent?key=" + SECRET));
    }

    assertThat(read).isEqualTo(body);
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getRequestUrl().queryParameter("key")).isEqualTo(SECRET);
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("gemini");
    assertThat(r.operation()).isEqualTo("generate_content");
    assertThat(r.model()).isEqualTo("gemini-2.5-pro");
    assertThat(r.userId()).isEqualTo("user-7");
    assertThat(r.properties()).containsEntry("Feature", "summaries");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(1200L)
                .cachedInputTokens(1024L)
                .outputTokens(395L)
                .reasoningTokens(310L)
                .totalTokens(1595L)
                .build());
    // gemini-2.5-pro up to 200k prompt tokens: 1.25 in, 0.125 cached, 10 out (thoughts too).
    assertCost(r, usd(1200 - 1024, "1.25").add(usd(1024, "0.125")).add(usd(85 + 310, "10")));
    assertThat(r.timeToFirstToken()).isNull();
    assertThat(r.request().url()).contains("key=[REDACTED]").doesNotContain(SECRET);
    assertThat(r.request().headers().get("x-goog-api-key")).isEqualTo("[REDACTED]");
    assertThat(RecordJson.toJson(r)).doesNotContain(SECRET);
  }

  @Test
  void aLongPromptIsPricedAtTheLongContextTier() throws Exception {
    String body =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Summary.\"}],\"role\":\"model\"},"
            + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":250000,"
            + "\"candidatesTokenCount\":1000,\"totalTokenCount\":251500,"
            + "\"cachedContentTokenCount\":200000,\"thoughtsTokenCount\":500},"
            + "\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"bG9uZw\"}";
    server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(body));

    execute(client(), request("/v1beta/models/gemini-2.5-pro:generateContent"));

    HeliconeRecord r = onlyRecord();
    // Over 200k prompt tokens: 2.50 in, 0.25 cached, 15 out, for the whole call.
    assertCost(r, usd(50_000, "2.50").add(usd(200_000, "0.25")).add(usd(1500, "15")));
  }

  @Test
  void sseStream() throws Exception {
    byte[] body = Fixtures.bytes("stream.sse");
    String text = new String(body, StandardCharsets.UTF_8);
    server.enqueue(slowStream("text/event-stream", body, text.indexOf("\r\n\r\n") + 4));

    byte[] read =
        execute(
            client(),
            request("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=" + SECRET));

    assertThat(read).isEqualTo(body);
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.stream()).isTrue();
    assertThat(r.provider()).isEqualTo("gemini");
    assertThat(r.model()).isEqualTo("gemini-2.5-flash");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(14L)
                .outputTokens(249L)
                .reasoningTokens(228L)
                .totalTokens(263L)
                .build());
    // gemini-2.5-flash: 0.30 in, 2.50 out; output is 21 candidates + 228 thoughts.
    assertCost(r, usd(14, "0.30").add(usd(21 + 228, "2.50")));
    assertFirstTokenWithTheFirstChunk(r);
    assertThat(r.finishReasons()).containsExactly("STOP");
    assertThat(r.response().body().text()).contains("a tiny robot learned to paint the sunrise.");
    assertThat(r.response().rawBody()).isEqualTo(text);
    assertThat(RecordJson.toJson(r)).doesNotContain(SECRET);
  }

  @Test
  void jsonArrayStream() throws Exception {
    byte[] body = Fixtures.bytes("stream.json");
    String text = new String(body, StandardCharsets.UTF_8);
    server.enqueue(slowStream("application/json; charset=UTF-8", body, text.indexOf("}\n,") + 3));

    byte[] read =
        execute(client(), request("/v1beta/models/gemini-2.0-flash:streamGenerateContent"));

    assertThat(read).isEqualTo(body);
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("gemini-2.0-flash");
    assertThat(r.usage())
        .isEqualTo(Usage.builder().inputTokens(9L).outputTokens(12L).totalTokens(21L).build());
    assertCost(r, usd(9, "0.10").add(usd(12, "0.40")));
    assertFirstTokenWithTheFirstChunk(r);
    assertThat(r.finishReasons()).containsExactly("STOP");
  }

  @Test
  void vertexCall() throws Exception {
    byte[] body = Fixtures.bytes("vertex-generate.json");
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(new okio.Buffer().write(body)));

    execute(
        client(),
        request(
            "/v1/projects/my-project/locations/us-central1/publishers/google/models"
                + "/gemini-2.0-flash-001:generateContent"));

    HeliconeRecord r = onlyRecord();
    assertThat(r.provider()).isEqualTo("vertex_ai");
    assertThat(r.model()).isEqualTo("gemini-2.0-flash-001");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(2045L)
                .outputTokens(9L)
                .inputAudioTokens(2032L)
                .totalTokens(2054L)
                .build());
    // vertex_ai is priced as gemini; gemini-2.0-flash-001 as gemini-2.0-flash: 0.10 in, 0.40 out.
    assertCost(r, usd(2045, "0.10").add(usd(9, "0.40")));
  }

  @Test
  void vertexSseStreamOnARegisteredHost() throws Exception {
    byte[] body = Fixtures.bytes("vertex-stream.sse");
    String text = new String(body, StandardCharsets.UTF_8);
    server.enqueue(slowStream("text/event-stream", body, text.indexOf("\r\n\r\n") + 4));
    GeminiAdapter adapter =
        GeminiAdapter.builder()
            .host(server.getHostName() + ":" + server.getPort(), "vertex_ai")
            .build();

    execute(
        client(adapter),
        request(
            "/v1/projects/p/locations/global/publishers/google/models"
                + "/gemini-2.5-flash-lite:streamGenerateContent?alt=sse"));

    HeliconeRecord r = onlyRecord();
    assertThat(r.provider()).isEqualTo("vertex_ai");
    assertThat(r.model()).isEqualTo("gemini-2.5-flash-lite");
    assertCost(r, usd(7, "0.10").add(usd(8, "0.40")));
    assertFirstTokenWithTheFirstChunk(r);
  }

  @Test
  void anUnknownPriceLeavesTheCostAbsent() throws Exception {
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(Fixtures.text("generate.json").replace("gemini-2.5-pro", "gemini-9-ultra")));

    execute(client(), request("/v1beta/models/gemini-9-ultra:generateContent"));

    HeliconeRecord r = onlyRecord();
    assertThat(r.usage().inputTokens()).isEqualTo(1200);
    assertThat(r.costUsd()).isNull();
  }

  @Test
  void anErrorInsideAStreamIsTheRecordsError() throws Exception {
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream")
            .setBody(Fixtures.text("stream-error.sse")));

    execute(client(), request("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));

    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).contains("UNAVAILABLE").contains("overloaded");
  }

  /** The first chunk came at once, the rest at least a pause later. */
  private static void assertFirstTokenWithTheFirstChunk(HeliconeRecord r) {
    assertThat(r.timeToFirstToken()).isNotNull().isPositive();
    assertThat(r.duration().minus(r.timeToFirstToken()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(PAUSE_MS - 50));
  }
}
