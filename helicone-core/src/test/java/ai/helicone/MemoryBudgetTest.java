package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.bench.DeadExporterHeap;
import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Whatever the exporters do, the SDK holds at most maxBufferedBytes for export. */
class MemoryBudgetTest {
  private static final long BUDGET = 8L << 20;
  // The budget counts estimates; the heap check allows for estimation error, OkHttp's pools and
  // the JVM's own noise, which is why the figure in the README is measured separately.
  private static final long HEAP_SLACK = 24L << 20;

  /** An exporter whose collector accepts and never answers. */
  private static final class DeadExporter implements HeliconeExporter {
    private final CountDownLatch never;

    DeadExporter(CountDownLatch never) {
      this.never = never;
    }

    @Override
    public ExportResult export(List<HeliconeRecord> records) {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ExportResult.retryable("collector never answered");
    }
  }

  private static String sseStream(int events) {
    StringBuilder sb = new StringBuilder();
    String chunk =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" tokentokentoken\"}}]}\n\n";
    for (int i = 0; i < events; i++) {
      sb.append(chunk);
    }
    return sb.append("data: [DONE]\n\n").toString();
  }

  @Test
  void deadExportersKeepTheRetainedHeapUnderTheBudgetForStreamsAndManyPlainCalls()
      throws Exception {
    String stream = sseStream(800); // about 100 KB
    CountDownLatch never = new CountDownLatch(1);
    try (LoopbackLlm llm = new LoopbackLlm()) {
      llm.server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return request.getPath().contains("stream")
                  ? new MockResponse()
                      .setHeader("Content-Type", "text/event-stream")
                      .setBody(stream)
                  : new MockResponse()
                      .setHeader("Content-Type", "application/json")
                      .setBody(LoopbackLlm.ANSWER);
            }
          });
      long baseline = DeadExporterHeap.usedAfterGc(ManagementFactory.getMemoryMXBean());
      Helicone helicone =
          Helicone.builder()
              .registerShutdownHook(false)
              .maxBufferedBytes(BUDGET)
              .closeTimeout(Duration.ofMillis(100))
              .addExporter(new DeadExporter(never))
              .addExporter(new DeadExporter(never))
              .build();
      OkHttpClient client = helicone.instrument(new OkHttpClient());
      Request streamed =
          new Request.Builder()
              .url(llm.server.url("/v1/chat/completions?stream"))
              .post(
                  okhttp3.RequestBody.create(
                      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}", LoopbackLlm.JSON))
              .build();
      Request plain = llm.chat();
      try {
        int streams = (int) ((50L << 20) / stream.length()) + 1;
        assertThat(inParallel(16, streams, () -> LoopbackLlm.call(client, streamed)))
            .isEqualTo(streams);
        assertThat(inParallel(16, 10_000, () -> LoopbackLlm.call(client, plain))).isEqualTo(10_000);
        while (llm.server.takeRequest(0, TimeUnit.SECONDS) != null) {
          // MockWebServer keeps every request it saw; drop them before measuring.
        }

        HeliconeStats stats = helicone.stats();
        assertThat(stats.bufferedBytesHighWater()).isLessThanOrEqualTo(BUDGET + (1L << 20));
        assertThat(stats.droppedOverBudget()).isPositive();
        // A record shared by both exporters is refused for both and counted once.
        assertThat(stats.dropped()).isGreaterThanOrEqualTo(2 * stats.droppedOverBudget());
        for (HeliconeStats s : helicone.statsByExporter().values()) {
          assertThat(s.exported() + s.dropped() + s.failed() + s.queued())
              .isEqualTo(streams + 10_000L);
        }

        long retained =
            DeadExporterHeap.usedAfterGc(ManagementFactory.getMemoryMXBean()) - baseline;
        assertThat(retained).as("retained heap").isLessThan(BUDGET + HEAP_SLACK);
      } finally {
        never.countDown();
        helicone.close();
        LoopbackLlm.shutdown(client);
      }
    }
  }

  @Test
  void bytesAreReturnedWhenEveryExporterIsDoneWithARecord() {
    InMemoryExporter a = new InMemoryExporter();
    InMemoryExporter b = new InMemoryExporter();
    try (Helicone helicone =
        Helicone.builder()
            .registerShutdownHook(false)
            .batchDelay(Duration.ZERO)
            .addExporter(a)
            .addExporter(b)
            .build()) {
      for (int i = 0; i < 50; i++) {
        helicone.trace("t").input("x".repeat(10_000)).run(() -> {});
      }
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
      HeliconeStats stats = helicone.stats();
      assertThat(stats.bufferedBytes()).isZero();
      assertThat(stats.bufferedBytesHighWater()).isGreaterThanOrEqualTo(10_000);
      // Counted once although two exporters hold each record.
      assertThat(stats.bufferedBytesHighWater()).isLessThan(50L * 2 * 10_000 + 50L * 4096);
      assertThat(a.records()).hasSize(50);
      assertThat(b.records()).hasSize(50);
    }
  }

  @Test
  void theNewestRecordIsDroppedWhenTheBudgetIsFull() {
    CountDownLatch never = new CountDownLatch(1);
    try (LogCapture log = new LogCapture();
        Helicone helicone =
            Helicone.builder()
                .registerShutdownHook(false)
                .maxBufferedBytes(200_000)
                .closeTimeout(Duration.ofMillis(100))
                .addExporter(new DeadExporter(never))
                .build()) {
      for (int i = 0; i < 100; i++) {
        helicone.trace("t").input("y".repeat(10_000)).run(() -> {});
      }
      HeliconeStats stats = helicone.stats();
      assertThat(stats.droppedOverBudget()).isBetween(75L, 95L);
      assertThat(stats.dropped()).isEqualTo(stats.droppedOverBudget());
      assertThat(stats.bufferedBytes()).isLessThanOrEqualTo(200_000);
      assertThat(log.messages())
          .filteredOn(m -> m.contains("memory budget"))
          .singleElement()
          .asString()
          .contains("export memory budget of 200000 bytes is full");
      Map<String, HeliconeStats> byExporter = helicone.statsByExporter();
      assertThat(byExporter).containsOnlyKeys("DeadExporter");
      never.countDown();
    }
  }

  /** Runs {@code task} {@code count} times on {@code threads} threads; returns how many passed. */
  private static int inParallel(int threads, int count, Runnable task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        futures.add(pool.submit(task));
      }
      int ok = 0;
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
        ok++;
      }
      return ok;
    } finally {
      pool.shutdownNow();
    }
  }
}
