package ai.helicone.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official google-genai client, given an instrumented OkHttp client through its {@code
 * customHttpClient} option and pointed at a loopback server through its base URL.
 */
class GoogleGenAiTest {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final String KEY = "AIzaSy-genai-test-key-not-real";

  private final MockWebServer server = new MockWebServer();
  private final InMemoryExporter exporter = new InMemoryExporter();
  private Helicone helicone;
  private Client client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    helicone = Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5)).build();
    OkHttpClient okHttp = helicone.instrument(new OkHttpClient.Builder().build());
    client =
        Client.builder()
            .apiKey(KEY)
            .httpOptions(HttpOptions.builder().baseUrl(server.url("/").toString()).build())
            .clientOptions(ClientOptions.builder().customHttpClient(okHttp).build())
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    helicone.close();
    server.shutdown();
  }

  private HeliconeRecord onlyRecord() {
    assertThat(helicone.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(exporter.records()).hasSize(1);
    return exporter.records().get(0);
  }

  private static BigDecimal usd(long tokens, String perMillion) {
    return new BigDecimal(perMillion).multiply(BigDecimal.valueOf(tokens)).divide(MILLION);
  }

  private static void assertCost(HeliconeRecord r, BigDecimal expected) {
    assertThat(r.costUsd()).isNotNull();
    assertThat(r.costUsd().subtract(expected).abs()).isLessThanOrEqualTo(new BigDecimal("1e-9"));
  }

  @Test
  @SuppressWarnings("try")
  void generateContentInASession() throws Exception {
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json; charset=UTF-8")
            .setBody(Fixtures.text("generate.json")));

    GenerateContentResponse response;
    try (HeliconeSession session =
            helicone.session("Trip Planner").userId("user-42").property("Plan", "pro").start();
        HeliconeScope step = session.path("/answer")) {
      response = client.models.generateContent("gemini-2.5-pro", "What is the capital?", null);
    }

    assertThat(response.text()).isEqualTo("Paris is the capital of France.");
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getPath()).isEqualTo("/v1/models/gemini-2.5-pro:generateContent");
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("gemini");
    assertThat(r.model()).isEqualTo("gemini-2.5-pro");
    assertThat(r.sessionName()).isEqualTo("Trip Planner");
    assertThat(r.sessionPath()).isEqualTo("/answer");
    assertThat(r.userId()).isEqualTo("user-42");
    assertThat(r.properties()).containsEntry("Plan", "pro");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(1200L)
                .cachedInputTokens(1024L)
                .outputTokens(395L)
                .reasoningTokens(310L)
                .totalTokens(1595L)
                .build());
    assertCost(r, usd(176, "1.25").add(usd(1024, "0.125")).add(usd(395, "10")));
    assertThat(r.request().headers().get("x-goog-api-key")).isEqualTo("[REDACTED]");
  }

  @Test
  @SuppressWarnings("try")
  void generateContentStreamInASession() throws Exception {
    String body = Fixtures.text("stream.sse");
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream")
            .setBody(body)
            // The first event at once, the others 300 ms apart.
            .throttleBody(body.indexOf("\r\n\r\n") + 4, 300, TimeUnit.MILLISECONDS));

    StringBuilder text = new StringBuilder();
    try (HeliconeSession session =
            helicone.session("Storyteller").userId("user-42").property("Plan", "pro").start();
        ResponseStream<GenerateContentResponse> stream =
            client.models.generateContentStream("gemini-2.5-flash", "A story, please.", null)) {
      for (GenerateContentResponse chunk : stream) {
        text.append(chunk.text());
      }
    }

    assertThat(text.toString())
        .isEqualTo("Once upon a time, a tiny robot learned to paint the sunrise.");
    assertThat(server.takeRequest().getPath())
        .isEqualTo("/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("gemini-2.5-flash");
    assertThat(r.sessionName()).isEqualTo("Storyteller");
    assertThat(r.userId()).isEqualTo("user-42");
    assertThat(r.properties()).containsEntry("Plan", "pro");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(14L)
                .outputTokens(249L)
                .reasoningTokens(228L)
                .totalTokens(263L)
                .build());
    assertCost(r, usd(14, "0.30").add(usd(249, "2.50")));
    assertThat(r.timeToFirstToken()).isNotNull().isPositive();
    assertThat(r.duration().minus(r.timeToFirstToken()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }
}
