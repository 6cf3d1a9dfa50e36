package ai.helicone.export.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.Helicone;
import ai.helicone.HeliconeStats;
import ai.helicone.export.InMemoryExporter;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reliability suite: thousands of LLM calls while the collector is down, hangs, fails,
 * throttles, is slow, rejects or recovers. The application's calls never fail, and every record
 * ends counted exactly once per exporter (exported, dropped or failed) when Helicone is closed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CollectorFaultsTest {
  private static final int CALLS = 2000;
  private static final int THREADS = 8;
  private static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":"
          + "{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";

  @RegisterExtension
  static WireMockExtension llm =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(32))
          .build();

  @RegisterExtension
  static WireMockExtension collector =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(32))
          .build();

  /** What the run left behind. */
  private record Outcome(HeliconeStats collector, HeliconeStats sink, int sinkRecords) {}

  private static Outcome run(String collectorUrl, Duration closeTimeout, Runnable duringCalls)
      throws Exception {
    llm.stubFor(post(anyUrl()).willReturn(okJson(ANSWER)));
    InMemoryExporter sink = new InMemoryExporter();
    CollectorHttpExporter exporter =
        CollectorHttpExporter.builder()
            .url(collectorUrl)
            .requestTimeout(Duration.ofSeconds(1))
            .exportTimeout(Duration.ofSeconds(3))
            .maxAttempts(2)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .build();
    Helicone helicone =
        Helicone.builder()
            .registerShutdownHook(false)
            .addExporter(exporter)
            .addExporter(sink)
            .batchDelay(Duration.ofMillis(20))
            .batchSize(100)
            .maxExportAttempts(8)
            .closeTimeout(closeTimeout)
            .build();
    OkHttpClient client = helicone.instrument(new OkHttpClient());
    Request request =
        new Request.Builder()
            .url(llm.baseUrl() + "/v1/chat/completions")
            .post(
                RequestBody.create(
                    "{\"model\":\"gpt-4o\",\"messages\":[]}", MediaType.get("application/json")))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    int answered = 0;
    try {
      List<Future<String>> calls = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        calls.add(
            pool.submit(
                () -> {
                  try (Response response = client.newCall(request).execute()) {
                    return response.body().string();
                  }
                }));
        if (i == CALLS / 4) {
          duringCalls.run();
        }
      }
      for (Future<String> call : calls) {
        if (call.get(60, TimeUnit.SECONDS).equals(ANSWER)) {
          answered++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(answered).as("application calls that succeeded").isEqualTo(CALLS);
    helicone.close();
    client.dispatcher().executorService().shutdown();

    Map<String, HeliconeStats> stats = helicone.statsByExporter();
    assertThat(stats).hasSize(2);
    for (HeliconeStats s : stats.values()) {
      assertThat(s.queued()).isZero();
      assertThat(s.exported() + s.dropped() + s.failed()).as("accounting %s", s).isEqualTo(CALLS);
    }
    return new Outcome(
        stats.get("CollectorHttpExporter"), stats.get("InMemoryExporter"), sink.records().size());
  }

  private static String url() {
    return collector.baseUrl() + "/ingest";
  }

  /** Lines the collector received (since its last reset, all answered with 200). */
  private static long linesAccepted() throws IOException {
    long lines = 0;
    for (LoggedRequest r : collector.findAll(postRequestedFor(anyUrl()))) {
      byte[] body = r.getBody();
      if (body.length > 1 && body[0] == (byte) 0x1f && body[1] == (byte) 0x8b) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      for (byte b : body) {
        lines += b == '\n' ? 1 : 0;
      }
    }
    return lines;
  }

  private static void assertSinkUnaffected(Outcome outcome) {
    assertThat(outcome.sink().exported()).isEqualTo(CALLS);
    assertThat(outcome.sinkRecords()).isEqualTo(CALLS);
  }

  @Test
  void collectorDown() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Outcome outcome = run("http://127.0.0.1:" + port + "/ingest", Duration.ofSeconds(3), () -> {});
    assertThat(outcome.collector().exported()).isZero();
    assertThat(outcome.collector().failed()).isPositive();
    assertSinkUnaffected(outcome);
  }

  @Test
  void collectorHangs() throws Exception {
    collector.stubFor(post(anyUrl()).willReturn(ok().withFixedDelay(5_000)));
    Outcome outcome = run(url(), Duration.ofSeconds(3), () -> {});
    assertThat(outcome.collector().exported()).isZero();
    assertSinkUnaffected(outcome);
  }

  @Test
  void collectorAnswers500() throws Exception {
    collector.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(500)));
    Outcome outcome = run(url(), Duration.ofSeconds(3), () -> {});
    assertThat(outcome.collector().exported()).isZero();
    assertThat(outcome.collector().failed()).isPositive();
    assertSinkUnaffected(outcome);
  }

  @Test
  void collectorRejectsWith413() throws Exception {
    collector.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(413)));
    Outcome outcome = run(url(), Duration.ofSeconds(10), () -> {});
    // A rejection is final: nothing is retried, nothing left behind.
    assertThat(outcome.collector().failed()).isEqualTo(CALLS);
    assertSinkUnaffected(outcome);
  }

  @Test
  void collectorIsSlow() throws Exception {
    collector.stubFor(post(anyUrl()).willReturn(ok().withFixedDelay(150)));
    Outcome outcome = run(url(), Duration.ofSeconds(30), () -> {});
    assertThat(outcome.collector().exported()).isEqualTo(CALLS);
    assertThat(linesAccepted()).isEqualTo(CALLS);
    assertSinkUnaffected(outcome);
  }

  @Test
  void collectorThrottlesWithRetryAfterThenAccepts() throws Exception {
    collector.stubFor(
        post(anyUrl()).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
    Outcome outcome =
        run(
            url(),
            Duration.ofSeconds(30),
            () -> {
              await()
                  .atMost(Duration.ofSeconds(30))
                  .until(() -> collector.findAll(postRequestedFor(anyUrl())).size() >= 3);
              collector.resetAll();
              collector.stubFor(post(anyUrl()).willReturn(ok()));
            });
    assertThat(outcome.collector().exported()).isEqualTo(CALLS);
    assertThat(outcome.collector().failed()).isZero();
    assertThat(linesAccepted()).isEqualTo(CALLS);
    assertSinkUnaffected(outcome);
  }

  @Test
  void collectorDownForAWhileThenUp() throws Exception {
    // The outage lasts until the collector has refused a few connections: a couple of seconds.
    collector.stubFor(
        post(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    Outcome outcome =
        run(
            url(),
            Duration.ofSeconds(30),
            () -> {
              await()
                  .atMost(Duration.ofSeconds(30))
                  .until(() -> collector.findAll(postRequestedFor(anyUrl())).size() >= 10);
              collector.resetAll();
              collector.stubFor(post(anyUrl()).willReturn(ok()));
            });
    assertThat(outcome.collector().exported()).isEqualTo(CALLS);
    assertThat(linesAccepted()).isEqualTo(CALLS);
    assertSinkUnaffected(outcome);
  }
}
