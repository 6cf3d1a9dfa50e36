package ai.helicone.export.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.helicone.export.ExportResult;
import ai.helicone.record.HeliconeRecord;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries, rejections, dead endpoints and resource release. */
class HeliconeHttpExporterDeliveryTest {
  @RegisterExtension
  static WireMockExtension helicone =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  /** Held strongly: java.util.logging keeps loggers only weakly. */
  private final Logger sdkLogger = Logger.getLogger("ai.helicone");

  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private HeliconeHttpExporter exporter;

  @BeforeEach
  void setUp() {
    sdkLogger.addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    sdkLogger.removeHandler(capture);
    if (exporter != null) {
      exporter.close();
    }
  }

  private HeliconeHttpExporter.Builder builder(String baseUrl) {
    return HeliconeHttpExporter.builder()
        .apiKey("sk-helicone-test")
        .baseUrl(baseUrl)
        .backoff(Duration.ofMillis(10), Duration.ofSeconds(2));
  }

  private static HeliconeRecord record() {
    return TestRecords.llm().id(UUID.randomUUID().toString()).build();
  }

  @Test
  void retriesAfterAServerError() {
    helicone.stubFor(
        post(anyUrl())
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(500).withBody("boom"))
            .willSetStateTo("recovered"));
    helicone.stubFor(
        post(anyUrl()).inScenario("flaky").whenScenarioStateIs("recovered").willReturn(ok("ok")));
    exporter = builder(helicone.baseUrl()).build();

    ExportResult result = exporter.export(List.of(record()));

    assertThat(result.isSuccess()).isTrue();
    helicone.verify(2, postRequestedFor(urlEqualTo("/oai/v1/log")));
  }

  @Test
  void aPartlyDeliveredBatchNamesOnlyTheRecordsNotDelivered() {
    HeliconeRecord delivered = record();
    HeliconeRecord refused = record();
    helicone.stubFor(post(anyUrl()).willReturn(ok("ok")));
    helicone.stubFor(
        post(anyUrl())
            .withRequestBody(containing(refused.id()))
            .willReturn(aResponse().withStatus(503).withBody("busy")));
    exporter = builder(helicone.baseUrl()).maxAttempts(2).build();

    ExportResult result = exporter.export(List.of(delivered, refused));

    assertThat(result.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(result.undeliveredIds()).containsExactly(refused.id());
  }

  @Test
  void retriesAfterAConnectionReset() {
    helicone.stubFor(
        post(anyUrl())
            .inScenario("reset")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("up"));
    helicone.stubFor(
        post(anyUrl()).inScenario("reset").whenScenarioStateIs("up").willReturn(ok("ok")));
    exporter = builder(helicone.baseUrl()).build();

    assertThat(exporter.export(List.of(record())).isSuccess()).isTrue();

    helicone.verify(2, postRequestedFor(urlEqualTo("/oai/v1/log")));
  }

  @Test
  void otherClientErrorsFailWithoutRetryAndNameTheRecordRejected() {
    helicone.stubFor(
        post(anyUrl()).willReturn(aResponse().withStatus(400).withBody("start after end")));
    exporter = builder(helicone.baseUrl()).build();

    ExportResult result = exporter.export(List.of(record()));

    assertThat(result.kind()).isEqualTo(ExportResult.Kind.FAILURE);
    assertThat(result.message())
        .isEqualTo(
            "1 of 1 requests rejected: Helicone at "
                + helicone.baseUrl()
                + " rejected a log record (400): start after end");
    helicone.verify(1, postRequestedFor(anyUrl()));
  }

  @Test
  void honoursRetryAfterSecondsOnTooManyRequests() {
    helicone.stubFor(
        post(anyUrl())
            .inScenario("limited")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
            .willSetStateTo("open"));
    helicone.stubFor(
        post(anyUrl()).inScenario("limited").whenScenarioStateIs("open").willReturn(ok("ok")));
    exporter = builder(helicone.baseUrl()).build();

    ExportResult result = exporter.export(List.of(record()));

    assertThat(result.isSuccess()).isTrue();
    List<LoggedRequest> requests = helicone.findAll(postRequestedFor(anyUrl()));
    assertThat(requests).hasSize(2);
    long gapMillis =
        requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
    assertThat(gapMillis).isGreaterThanOrEqualTo(900);
  }

  @Test
  void aLongRetryAfterDateIsLeftToThePipeline() {
    String inTwoMinutes =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2));
    helicone.stubFor(
        post(anyUrl())
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", inTwoMinutes)));
    exporter = builder(helicone.baseUrl()).build();

    ExportResult result = exporter.export(List.of(record()));

    assertThat(result.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(result.retryAfter()).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121));
    helicone.verify(1, postRequestedFor(anyUrl()));
  }

  @Test
  void aWrongKeyFailsWithHeliconesMessageAndIsNotRetried() {
    helicone.stubFor(
        post(anyUrl())
            .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"Invalid API key\"}")));
    exporter = builder(helicone.baseUrl()).build();
    List<HeliconeRecord> batch = List.of(record());

    ExportResult first = exporter.export(batch);
    ExportResult again = exporter.export(batch);
    exporter.export(List.of(record()));

    assertThat(first.kind()).isEqualTo(ExportResult.Kind.FAILURE);
    assertThat(first.message())
        .isEqualTo(
            "1 of 1 requests rejected: Helicone at "
                + helicone.baseUrl()
                + " rejected the API key (401): {\"error\":\"Invalid API key\"}");
    assertThat(again.isSuccess()).isTrue();
    helicone.verify(2, postRequestedFor(anyUrl()));
    // The pipeline logs the failed export; a second line from here would repeat it.
    assertThat(logged).isEmpty();
  }

  @Test
  void aRejectedRecordFailsAloneWhileTheRestOfTheBatchCountsAsDelivered() {
    helicone.stubFor(post(urlEqualTo("/oai/v1/log")).willReturn(ok("ok")));
    helicone.stubFor(post(urlEqualTo("/anthropic/v1/log")).willReturn(aResponse().withStatus(400)));
    exporter = builder(helicone.baseUrl()).build();
    HeliconeRecord anthropic = record().toBuilder().provider("anthropic").build();

    ExportResult result = exporter.export(List.of(record(), record(), anthropic));

    assertThat(result.kind()).isEqualTo(ExportResult.Kind.FAILURE);
    assertThat(result.failedRecords(3)).isEqualTo(1);
  }

  @Test
  void deliveredRecordsAreNotSentAgainWhenTheBatchIsRetried() {
    helicone.stubFor(post(urlEqualTo("/oai/v1/log")).willReturn(ok("ok")));
    helicone.stubFor(post(urlEqualTo("/anthropic/v1/log")).willReturn(aResponse().withStatus(503)));
    exporter = builder(helicone.baseUrl()).maxAttempts(2).build();
    HeliconeRecord openAi = record();
    HeliconeRecord anthropic = record().toBuilder().provider("anthropic").build();

    ExportResult first = exporter.export(List.of(openAi, anthropic));
    helicone.stubFor(post(urlEqualTo("/anthropic/v1/log")).willReturn(ok("ok")));
    ExportResult second = exporter.export(List.of(openAi, anthropic));

    assertThat(first.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(second.isSuccess()).isTrue();
    helicone.verify(1, postRequestedFor(urlEqualTo("/oai/v1/log")));
    helicone.verify(3, postRequestedFor(urlEqualTo("/anthropic/v1/log")));
  }

  @Test
  void aClosedPortFailsWithinTheExportBounds() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    exporter =
        builder("http://127.0.0.1:" + port)
            .requestTimeout(Duration.ofMillis(500))
            .exportTimeout(Duration.ofSeconds(3))
            .build();

    ExportResult result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> exporter.export(List.of(record(), record())));

    assertThat(result.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    assertThat(result.message()).contains("cannot reach Helicone");
  }

  @Test
  void aHangingEndpointTimesOutWithinTheExportBounds() {
    helicone.stubFor(post(anyUrl()).willReturn(ok("ok").withFixedDelay(5_000)));
    exporter =
        builder(helicone.baseUrl())
            .requestTimeout(Duration.ofMillis(200))
            .maxAttempts(2)
            .exportTimeout(Duration.ofSeconds(2))
            .build();

    ExportResult result =
        assertTimeoutPreemptively(Duration.ofSeconds(4), () -> exporter.export(List.of(record())));

    assertThat(result.kind()).isEqualTo(ExportResult.Kind.RETRYABLE);
    helicone.verify(2, postRequestedFor(anyUrl()));
  }

  @Test
  void sendsOnAtMostMaxConcurrencyThreadsAndCloseStopsThem() {
    // Threads of exporters closed by earlier tests may take a moment to end.
    await().atMost(Duration.ofSeconds(5)).until(() -> exporterThreads() == 0);
    helicone.stubFor(post(anyUrl()).willReturn(ok("ok")));
    exporter = builder(helicone.baseUrl()).maxConcurrency(2).build();
    List<HeliconeRecord> batch = List.of(record(), record(), record(), record(), record());
    assertThat(exporter.export(batch).isSuccess()).isTrue();
    assertThat(exporterThreads()).isBetween(1L, 2L);
    helicone.verify(5, postRequestedFor(anyUrl()));

    exporter.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> exporterThreads() == 0);
  }

  private static long exporterThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("helicone-http-exporter"))
        .count();
  }

  @Test
  void euKeysGoToTheEuHostOnTheCustomRoute() {
    helicone.stubFor(post(anyUrl()).willReturn(ok("ok")));
    exporter =
        HeliconeHttpExporter.builder()
            .apiKey("sk-helicone-eu-abc")
            .apiBaseUrl(helicone.baseUrl())
            .build();

    assertThat(exporter.export(List.of(record())).isSuccess()).isTrue();

    LoggedRequest sent = helicone.findAll(postRequestedFor(anyUrl())).get(0);
    assertThat(sent.getUrl()).isEqualTo("/v1/trace/custom/v1/log");
    assertThat(HeliconeHttpExporterFormatTest.body(sent).get("provider").asText())
        .isEqualTo("OPENAI");
    assertThat(exporter.toString()).contains("region=eu").doesNotContain("sk-helicone-eu-abc");
  }

  @Test
  void euKeysDefaultToTheEuApiHostOnTheCustomRoute() {
    exporter = HeliconeHttpExporter.builder().apiKey("sk-helicone-eu-abc").build();

    assertThat(exporter.toString())
        .isEqualTo(
            "HeliconeHttpExporter{https://eu.api.helicone.ai, region=eu, routes=provider in body,"
                + " apiKey=<redacted>}");
  }

  @Test
  void anEuKeyWithAnExplicitBaseUrlUsesTheProviderRoutes() {
    helicone.stubFor(post(anyUrl()).willReturn(ok("ok")));
    exporter =
        HeliconeHttpExporter.builder()
            .apiKey("sk-helicone-eu-abc")
            .baseUrl(helicone.baseUrl())
            .build();

    assertThat(exporter.export(List.of(record())).isSuccess()).isTrue();

    helicone.verify(1, postRequestedFor(urlEqualTo("/oai/v1/log")));
  }

  @Test
  void fromEnvReadsKeyAndBaseUrl() {
    helicone.stubFor(post(anyUrl()).willReturn(ok("ok")));
    exporter =
        HeliconeHttpExporter.fromEnv(
            Map.of(
                "HELICONE_API_KEY",
                "sk-helicone-env",
                "HELICONE_BASE_URL",
                helicone.baseUrl() + "/"));

    assertThat(exporter.export(List.of(record())).isSuccess()).isTrue();

    LoggedRequest sent = helicone.findAll(postRequestedFor(anyUrl())).get(0);
    assertThat(sent.getUrl()).isEqualTo("/oai/v1/log");
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer sk-helicone-env");
    assertThat(exporter.toString()).doesNotContain("sk-helicone-env");
  }

  @Test
  void fromEnvWithoutKeyNamesTheVariable() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeliconeHttpExporter.fromEnv(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HELICONE_API_KEY");
  }

  @Test
  void defaultsPointAtHeliconeWithoutShowingTheKey() {
    exporter = HeliconeHttpExporter.builder().apiKey("sk-helicone-abc").build();
    assertThat(exporter.toString())
        .contains("https://api.worker.helicone.ai")
        .doesNotContain("sk-helicone-abc");
  }
}
