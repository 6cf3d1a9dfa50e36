package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Exporters that throw, hang, ignore interruption or succeed in part: the workers survive, close()
 * leaves nothing running, and every record is counted exactly once.
 */
class ExportFailureTest {

  private static Helicone.Builder fast() {
    return Helicone.builder()
        .registerShutdownHook(false)
        .batchDelay(Duration.ZERO)
        .maxExportAttempts(3)
        .closeTimeout(Duration.ofSeconds(10));
  }

  private static void traces(Helicone helicone, int n) {
    for (int i = 0; i < n; i++) {
      helicone.trace("t" + i).run(() -> {});
    }
  }

  /** exported + dropped + failed + queued equals what each exporter was handed. */
  private static void assertAccounted(Helicone helicone, long perExporter) {
    for (Map.Entry<String, HeliconeStats> e : helicone.statsByExporter().entrySet()) {
      HeliconeStats s = e.getValue();
      assertThat(s.exported() + s.dropped() + s.failed() + s.queued())
          .as("accounting of %s: %s", e.getKey(), s)
          .isEqualTo(perExporter);
    }
  }

  @Test
  void errorsThrownByAnExporterAreContainedRedactedAndTheWorkerGoesOn() {
    AtomicInteger calls = new AtomicInteger();
    InMemoryExporter delivered = new InMemoryExporter();
    HeliconeExporter erratic =
        batch -> {
          switch (calls.incrementAndGet()) {
            case 1 -> throw new AssertionError("rejected Bearer sk-proj-abcdefghijklmnop1234");
            case 2 -> throw new StackOverflowError();
            case 3 -> throw new NoClassDefFoundError("some/Missing");
            default -> {
              return delivered.export(batch);
            }
          }
        };
    try (LogCapture log = new LogCapture();
        Helicone helicone = fast().maxExportAttempts(1).addExporter(erratic).build()) {
      for (int i = 0; i < 3; i++) {
        traces(helicone, 1);
        // The worker may fail the record before a flush could even be asked for: wait on the count.
        long failedSoFar = i + 1;
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> helicone.stats().failed() == failedSoFar);
      }
      traces(helicone, 2);
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();

      HeliconeStats stats = helicone.stats();
      assertThat(stats.failed()).isEqualTo(3);
      assertThat(stats.exported()).isEqualTo(2);
      assertThat(stats.sdkErrors()).isEqualTo(3);
      assertThat(delivered.records()).hasSize(2);
      assertAccounted(helicone, 5);
      assertThat(log.text()).contains("AssertionError").doesNotContain("sk-proj-abcdefghijklmnop");
    }
  }

  @Test
  void anAdapterThrowingAnErrorLeavesTheRecordWithoutItsDataAndTheWorkerGoesOn() throws Exception {
    ProviderAdapter deep =
        new ProviderAdapter() {
          @Override
          public String name() {
            return "deep";
          }

          @Override
          public boolean supports(CapturedExchange exchange) {
            return true;
          }

          @Override
          public AdapterResult parse(CapturedExchange exchange) {
            throw new StackOverflowError();
          }
        };
    InMemoryExporter exporter = new InMemoryExporter();
    try (LoopbackLlm llm = new LoopbackLlm();
        Helicone helicone = fast().addAdapter(deep).addExporter(exporter).build()) {
      OkHttpClient client = helicone.instrument(new OkHttpClient());
      for (int i = 0; i < 3; i++) {
        assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);
      }
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(exporter.records()).hasSize(3);
      assertThat(exporter.records().get(0).model()).isEqualTo("gpt-4o-2024-08-06");
      assertThat(helicone.stats().sdkErrors()).isEqualTo(3);
      assertThat(helicone.stats().exported()).isEqualTo(3);
      LoopbackLlm.shutdown(client);
    }
  }

  @Test
  void aFatalVmErrorIsRethrownAfterCountingAndLaterRecordsAreDropped() throws Exception {
    CountDownLatch thrown = new CountDownLatch(1);
    HeliconeExporter exhausted =
        batch -> {
          thrown.countDown();
          throw new OutOfMemoryError("simulated");
        };
    List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch died = new CountDownLatch(1);
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    // A latch, not Awaitility: Awaitility would catch the error itself and fail the test with an
    // OutOfMemoryError, which the test framework treats as unrecoverable.
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> {
          uncaught.add(e);
          died.countDown();
        });
    try (Helicone helicone = fast().addExporter(exhausted).build()) {
      traces(helicone, 1);
      assertThat(thrown.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(died.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(uncaught.get(0)).isInstanceOf(OutOfMemoryError.class);
      // The batch was settled and counted before the error left the worker.
      assertThat(helicone.stats().failed()).isEqualTo(1);
      assertThat(helicone.stats().sdkErrors()).isEqualTo(1);

      traces(helicone, 10);
      assertThat(helicone.flush(Duration.ofSeconds(5))).isFalse();
      assertThat(helicone.stats().dropped()).isEqualTo(10);
      assertAccounted(helicone, 11);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  @Test
  void aBatchDeliveredInPartIsRetriedOnlyForWhatIsMissing() {
    Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    AtomicBoolean firstTry = new AtomicBoolean(true);
    HeliconeExporter halfway =
        batch -> {
          List<String> missing = new ArrayList<>();
          for (int i = 0; i < batch.size(); i++) {
            String id = batch.get(i).id();
            if (firstTry.get() && i % 2 == 1) {
              missing.add(id);
            } else {
              deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
          }
          if (firstTry.getAndSet(false) && !missing.isEmpty()) {
            return ExportResult.retryable("503 for some").withUndelivered(missing);
          }
          return ExportResult.success();
        };
    try (Helicone helicone =
        fast().batchDelay(Duration.ofSeconds(30)).batchSize(10).addExporter(halfway).build()) {
      traces(helicone, 10);
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(deliveries).hasSize(10);
      assertThat(deliveries.values()).allMatch(n -> n.get() == 1);
      HeliconeStats stats = helicone.stats();
      assertThat(stats.exported()).isEqualTo(10);
      assertThat(stats.failed()).isZero();
    }
  }

  @Test
  void aFinalFailureNamingItsRecordsCountsOnlyThemAsFailed() {
    HeliconeExporter picky =
        batch -> ExportResult.failure("413 too large").withUndelivered(Set.of(batch.get(0).id()));
    try (Helicone helicone =
        fast().batchDelay(Duration.ofSeconds(30)).batchSize(4).addExporter(picky).build()) {
      traces(helicone, 4);
      helicone.flush(Duration.ofSeconds(10));
      HeliconeStats stats = helicone.stats();
      assertThat(stats.failed()).isEqualTo(1);
      assertThat(stats.exported()).isEqualTo(3);
    }
  }

  @Test
  void closeAbandonsAnExporterThatIgnoresInterruptionAndNeverCallsItAgain() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    class StubbornExporter implements HeliconeExporter {
      @Override
      public ExportResult export(List<HeliconeRecord> records) {
        calls.incrementAndGet();
        inside.countDown();
        while (true) {
          try {
            release.await();
            return ExportResult.success();
          } catch (InterruptedException ignored) {
            // This exporter swallows interrupts: the worst case for close().
          }
        }
      }

      @Override
      public void close() {
        calls.incrementAndGet();
      }
    }
    Helicone helicone =
        fast()
            .batchDelay(Duration.ofSeconds(30))
            .batchSize(2)
            .closeTimeout(Duration.ofMillis(200))
            .addExporter(new StubbornExporter())
            .build();
    try (LogCapture log = new LogCapture()) {
      traces(helicone, 5);
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      helicone.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(log.text()).contains("abandoned");

      HeliconeStats stats = helicone.stats();
      assertThat(stats.queued()).isZero();
      assertThat(stats.failed()).isEqualTo(2); // the batch inside the stuck exporter
      assertThat(stats.dropped()).isEqualTo(3); // never tried
      assertAccounted(helicone, 5);

      Thread worker = workerThread("helicone-export-StubbornExporter");
      release.countDown();
      if (worker != null) {
        worker.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(worker.isAlive()).isFalse();
      }
      assertThat(calls).hasValue(1);
      assertThat(helicone.stats().exported()).isZero();
    }
  }

  @Test
  void afterCloseNoWorkerRunsAndNoExporterIsCalled() throws Exception {
    AtomicBoolean closeReturned = new AtomicBoolean();
    AtomicInteger callsAfterClose = new AtomicInteger();
    class SlowExporter implements HeliconeExporter {
      @Override
      public ExportResult export(List<HeliconeRecord> records) {
        if (closeReturned.get()) {
          callsAfterClose.incrementAndGet();
        }
        try {
          Thread.sleep(20); // a slow collector, not synchronisation
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return ExportResult.retryable("interrupted");
        }
        return ExportResult.success();
      }

      @Override
      public void close() {
        if (closeReturned.get()) {
          callsAfterClose.incrementAndGet();
        }
      }
    }
    Helicone helicone =
        fast()
            .batchSize(1)
            .closeTimeout(Duration.ofMillis(100))
            .addExporter(new SlowExporter())
            .build();
    traces(helicone, 200);
    helicone.close();
    closeReturned.set(true);
    assertThat(workerThread("helicone-export-SlowExporter")).isNull();
    assertThat(callsAfterClose).hasValue(0);
    assertAccounted(helicone, 200);
    assertThat(helicone.stats().queued()).isZero();
  }

  @Test
  void everyRecordIsAccountedForUnderMixedFaultsFromManyThreads() throws Exception {
    AtomicInteger n = new AtomicInteger();
    HeliconeExporter chaotic =
        batch -> {
          int call = n.incrementAndGet();
          switch (call % 6) {
            case 0 -> throw new IllegalStateException("boom");
            case 1 -> throw new AssertionError("bad");
            case 2 -> {
              return ExportResult.retryable("503").withUndelivered(List.of(batch.get(0).id()));
            }
            case 3 -> {
              return ExportResult.failure("400", 1);
            }
            case 4 -> {
              return ExportResult.retryable("429", Duration.ofMillis(5));
            }
            default -> {
              return ExportResult.success();
            }
          }
        };
    HeliconeExporter healthy = new InMemoryExporter();
    int threads = 8;
    int perThread = 500;
    Helicone helicone =
        fast().queueCapacity(256).batchSize(16).addExporter(chaotic).addExporter(healthy).build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> traces(helicone, perThread)));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertAccounted(helicone, (long) threads * perThread);
      helicone.close();
      assertAccounted(helicone, (long) threads * perThread);
      assertThat(helicone.stats().queued()).isZero();
      assertThat(helicone.stats().failed()).isPositive();
    } finally {
      pool.shutdownNow();
      helicone.close();
    }
  }

  private static Thread workerThread(String prefix) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix) && t.isAlive()) {
        return t;
      }
    }
    return null;
  }
}
