package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import ai.helicone.spi.SdkDiagnostics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // scopes are opened for their effect on the thread
class ExportBehaviourTest {
  private LoopbackLlm llm;
  private Helicone helicone;
  private OkHttpClient client;

  @BeforeEach
  void start() throws IOException {
    llm = new LoopbackLlm();
  }

  @AfterEach
  void stop() throws IOException {
    if (helicone != null) {
      helicone.close();
    }
    if (client != null) {
      LoopbackLlm.shutdown(client);
    }
    llm.close();
  }

  private void use(Helicone.Builder builder) {
    helicone = builder.build();
    client = helicone.instrument(new OkHttpClient());
  }

  @Test
  void exportersAndAdaptersReportTheirOwnFailuresIntoStats() {
    HeliconeExporter reporting =
        new HeliconeExporter() {
          private SdkDiagnostics diagnostics;

          @Override
          public void attach(SdkDiagnostics diagnostics) {
            this.diagnostics = diagnostics;
          }

          @Override
          public ExportResult export(List<HeliconeRecord> records) {
            diagnostics.error("test.convert", "one record could not be converted", null);
            return ExportResult.success();
          }
        };
    ProviderAdapter throwingAttach =
        new ProviderAdapter() {
          @Override
          public void attach(SdkDiagnostics diagnostics) {
            throw new IllegalStateException("broken adapter");
          }

          @Override
          public String name() {
            return "broken";
          }

          @Override
          public boolean supports(CapturedExchange exchange) {
            return false;
          }

          @Override
          public AdapterResult parse(CapturedExchange exchange) {
            return AdapterResult.builder().build();
          }
        };
    use(
        Helicone.builder()
            .addExporter(reporting)
            .addAdapter(throwingAttach)
            .batchDelay(Duration.ofMillis(5)));
    // The adapter's failing attach is contained and counted.
    assertThat(helicone.stats().sdkErrors()).isEqualTo(1);

    LoopbackLlm.call(client, llm.chat());

    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(helicone.stats().sdkErrors()).isEqualTo(2);
  }

  /** An exporter that blocks in export until released (or for 10 s at most). */
  static final class BlockedExporter implements HeliconeExporter {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final InMemoryExporter delivered = new InMemoryExporter();

    @Override
    public ExportResult export(List<HeliconeRecord> records) {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return delivered.export(records);
    }
  }

  @Test
  void exporterThatThrowsLeavesCallsAloneAndIsCounted() {
    use(
        Helicone.builder()
            .batchDelay(Duration.ofMillis(5))
            .addExporter(
                records -> {
                  throw new IllegalStateException("exporter bug");
                }));

    for (int i = 0; i < 3; i++) {
      assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);
    }

    assertThat(helicone.flush(Duration.ofSeconds(10))).isFalse();
    HeliconeStats stats = helicone.stats();
    assertThat(stats.failed()).isEqualTo(3);
    assertThat(stats.exported()).isZero();
    assertThat(stats.sdkErrors()).isPositive();
  }

  @Test
  void blockedExporterDoesNotHoldUpCalls() {
    BlockedExporter blocked = new BlockedExporter();
    use(Helicone.builder().batchDelay(Duration.ofMillis(1)).addExporter(blocked));
    try {
      LoopbackLlm.call(client, llm.chat());
      await().atMost(Duration.ofSeconds(10)).until(() -> blocked.entered.getCount() == 0);

      for (int i = 0; i < 20; i++) {
        assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);
      }
      helicone.trace("while-blocked").run(() -> {});

      // Every call above returned while the exporter was still stuck in its first export.
      assertThat(blocked.release.getCount()).isEqualTo(1);
      assertThat(blocked.delivered.records()).isEmpty();
    } finally {
      blocked.release.countDown();
    }
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(blocked.delivered.records()).hasSize(22);
  }

  @Test
  void fullQueueDropsNewRecordsAndCountsThem() {
    BlockedExporter blocked = new BlockedExporter();
    use(
        Helicone.builder()
            .batchDelay(Duration.ofMillis(1))
            .batchSize(1)
            .queueCapacity(3)
            .addExporter(blocked));
    try {
      LoopbackLlm.call(client, llm.chat());
      await().atMost(Duration.ofSeconds(10)).until(() -> blocked.entered.getCount() == 0);
      for (int i = 0; i < 10; i++) {
        assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);
      }
      assertThat(helicone.stats().dropped()).isEqualTo(7);
    } finally {
      blocked.release.countDown();
    }
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    HeliconeStats stats = helicone.stats();
    assertThat(stats.exported()).isEqualTo(4);
    assertThat(stats.exported() + stats.dropped()).isEqualTo(11);
  }

  @Test
  void closeDeliversEverythingQueued() {
    InMemoryExporter exporter = new InMemoryExporter();
    // A long batch delay: nothing would be exported before close() without the final flush.
    use(Helicone.builder().batchDelay(Duration.ofMinutes(5)).addExporter(exporter));
    String sessionId;
    try (HeliconeSession session = helicone.session("Closing").start()) {
      sessionId = session.id();
      for (int i = 0; i < 25; i++) {
        LoopbackLlm.call(client, llm.chat());
      }
      helicone.trace("last").run(() -> {});
    }

    helicone.close();
    helicone.close();

    assertThat(exporter.records()).hasSize(26);
    assertThat(exporter.endedSessions()).containsExactly(sessionId);
    assertThat(helicone.stats().queued()).isZero();
    // Calls still work after close; they are simply not recorded.
    assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);
    assertThat(exporter.records()).hasSize(26);
  }

  @Test
  void flushReportsDelivery() {
    InMemoryExporter exporter = new InMemoryExporter();
    use(Helicone.builder().batchDelay(Duration.ofMinutes(5)).addExporter(exporter));
    LoopbackLlm.call(client, llm.chat());
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.records()).hasSize(1);
    assertThat(helicone.stats().exported()).isEqualTo(1);
  }

  @Test
  void noSecretReachesTheJsonLinesFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("records.jsonl");
    llm.server.setDispatcher(new okhttp3.mockwebserver.QueueDispatcher());
    for (int i = 0; i < 2; i++) {
      llm.server.enqueue(
          new MockResponse()
              .setHeader("Content-Type", "application/json")
              .addHeader("Set-Cookie", "session=cookie-secret-6")
              .setBody(LoopbackLlm.ANSWER));
    }
    use(
        Helicone.builder()
            .batchDelay(Duration.ofMillis(5))
            .addExporter(JsonLinesExporter.builder().file(file).build()));
    Request request =
        llm.chat()
            .newBuilder()
            .url(llm.server.url("/v1/chat/completions?key=query-secret-1&api-version=1"))
            .header("Authorization", "Bearer auth-secret-2")
            .header("api-key", "azure-secret-3")
            .header("x-api-key", "anthropic-secret-4")
            .header("x-goog-api-key", "google-secret-5")
            .header("Cookie", "sid=cookie-secret-7")
            .header("Proxy-Authorization", "Basic proxy-secret-8")
            .header("Helicone-Auth", "Bearer helicone-secret-9")
            .build();
    LoopbackLlm.call(client, request);
    try (HeliconeScope scope = helicone.context().userId("visible-user").attach()) {
      LoopbackLlm.call(client, request);
    }
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    helicone.close();

    String written = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(written.lines()).hasSize(2);
    assertThat(written).contains("visible-user").contains("[REDACTED]").contains("api-version");
    for (int i = 1; i <= 9; i++) {
      assertThat(written).doesNotContain("secret-" + i);
    }
    assertThat(helicone.toString()).doesNotContain("secret");
  }
}
