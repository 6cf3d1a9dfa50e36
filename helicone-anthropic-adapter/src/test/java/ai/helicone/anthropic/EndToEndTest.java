package ai.helicone.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Claude call with prompt-cache reads and writes through {@code helicone.instrument(...)} on a
 * loopback server, plain and streamed: the adapter is found on the classpath, and the record has
 * the response's model, the exact usage, the hand-computed cost and the time to the first text.
 */
class EndToEndTest {
  private static final MediaType JSON = MediaType.get("application/json");

  private final MockWebServer server = new MockWebServer();
  private final InMemoryExporter exporter = new InMemoryExporter();
  private Helicone helicone;
  private OkHttpClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    helicone = Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5)).build();
    client = helicone.instrument(new OkHttpClient());
  }

  @AfterEach
  void stop() throws IOException {
    helicone.close();
    server.shutdown();
  }

  private Request request(String fixture) {
    return new Request.Builder()
        .url(server.url("/v1/messages"))
        .header("x-api-key", "sk-ant-test-secret")
        .header("anthropic-version", "2023-06-01")
        .post(RequestBody.create(Fixtures.bytes(fixture), JSON))
        .build();
  }

  private HeliconeRecord onlyRecord() {
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.records()).hasSize(1);
    return exporter.records().get(0);
  }

  @Test
  void plainCallWithCacheReadsAndWrites() throws Exception {
    byte[] body = Fixtures.bytes("messages.json");
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setHeader("request-id", "req_e2e")
            .setBody(new okio.Buffer().write(body)));
    try (Response response = client.newCall(request("messages-request.json")).execute()) {
      assertThat(response.body().bytes()).isEqualTo(body);
    }
    RecordedRequest sent = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(sent.getHeader("x-api-key")).isEqualTo("sk-ant-test-secret");

    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("anthropic");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.requestModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.usage()).isEqualTo(AnthropicAdapterTest.CACHED_USAGE);
    assertThat(r.costUsd()).isEqualByComparingTo(AnthropicAdapterTest.CACHED_COST);
    assertThat(r.finishReasons()).containsExactly("end_turn");
    assertThat(r.request().headers().get("x-api-key")).isNotEqualTo("sk-ant-test-secret");
  }

  @Test
  void streamedCallRecordsTheTimeOfTheFirstText() throws Exception {
    String stream = Fixtures.text("messages-stream.sse");
    int firstDelta = stream.indexOf("event: content_block_delta");
    Duration pause = Duration.ofMillis(300);
    // The server sends everything before the first delta, then pauses before each further part:
    // the first text cannot reach the client before the pause, whatever the machine's load.
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream; charset=utf-8")
            .setBody(stream)
            .throttleBody(firstDelta, pause.toMillis(), TimeUnit.MILLISECONDS));
    StringBuilder received = new StringBuilder();
    try (Response response = client.newCall(request("messages-stream-request.json")).execute()) {
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        received.append(line).append('\n');
      }
    }
    assertThat(received.toString()).isEqualTo(stream);

    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(r.usage()).isEqualTo(AnthropicAdapterTest.CACHED_USAGE);
    assertThat(r.costUsd()).isEqualByComparingTo(new BigDecimal("0.00795"));
    assertThat(r.timeToFirstToken()).isNotNull();
    assertThat(r.timeToFirstToken()).isGreaterThanOrEqualTo(pause);
    assertThat(r.timeToFirstToken()).isLessThanOrEqualTo(r.duration());
    assertThat(r.response().rawBody()).isEqualTo(stream);
  }

  @Test
  void streamClosedAtMessageStopIsASuccess() throws Exception {
    // An SDK stops reading at message_stop and closes the body before the server's end of body.
    String stream = Fixtures.text("messages-stream.sse");
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream")
            .setBody(stream + ": trailing padding\n\n".repeat(2000)));
    try (Response response = client.newCall(request("messages-stream-request.json")).execute()) {
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null && !line.contains("message_stop")) {
        // read up to the terminal event
      }
    }
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.usage()).isEqualTo(AnthropicAdapterTest.CACHED_USAGE);
  }

  @Test
  void errorStatus() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .setHeader("Content-Type", "application/json")
            .setBody(Fixtures.text("error-429.json")));
    try (Response response = client.newCall(request("messages-request.json")).execute()) {
      assertThat(response.code()).isEqualTo(429);
      assertThat(response.body().string()).isEqualTo(Fixtures.text("error-429.json"));
    }
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).startsWith("rate_limit_error: Number of request tokens");
    assertThat(r.costUsd()).isNull();
  }
}
