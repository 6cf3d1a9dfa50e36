package ai.helicone.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.HeliconeStats;
import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.export.TestRecords;
import ai.helicone.internal.Diagnostics;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ExportPipelineTest {
  private static final ExportOptions FAST =
      new ExportOptions(
          16, 4, Duration.ofMillis(20), 3, Duration.ofMillis(1), Duration.ofMillis(5));

  private static HeliconeRecord record() {
    return TestRecords.llm("s", null);
  }

  @Test
  void deliversInOrderAndFlushReportsSuccess() {
    InMemoryExporter exporter = new InMemoryExporter();
    ExportPipeline pipeline = new ExportPipeline(List.of(exporter), FAST, new Diagnostics());
    List<HeliconeRecord> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HeliconeRecord r = record();
      sent.add(r);
      pipeline.submit(() -> r, 1);
    }
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(exporter.records()).containsExactlyElementsOf(sent);
    assertThat(pipeline.stats().exported()).isEqualTo(10);
    assertThat(pipeline.stats().queued()).isZero();
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void supplierRunsOnceOnTheWorkerAndIsSharedByExporters() {
    InMemoryExporter a = new InMemoryExporter();
    InMemoryExporter b = new InMemoryExporter();
    ExportPipeline pipeline = new ExportPipeline(List.of(a, b), FAST, new Diagnostics());
    AtomicInteger builds = new AtomicInteger();
    List<String> threads = new ArrayList<>();
    HeliconeRecord r = record();
    pipeline.submit(
        () -> {
          builds.incrementAndGet();
          synchronized (threads) {
            threads.add(Thread.currentThread().getName());
          }
          return r;
        },
        1);
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(builds).hasValue(1);
    assertThat(threads).allMatch(t -> t.startsWith("helicone-export-"));
    assertThat(a.records()).containsExactly(r);
    assertThat(b.records()).containsExactly(r);
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void fullQueueDropsNewestAndCountsWithoutBlocking() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch exporting = new CountDownLatch(1);
    HeliconeExporter blocked =
        batch -> {
          exporting.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ExportResult.success();
        };
    ExportOptions tiny =
        new ExportOptions(5, 1, Duration.ZERO, 1, Duration.ofMillis(1), Duration.ofMillis(1));
    ExportPipeline pipeline = new ExportPipeline(List.of(blocked), tiny, new Diagnostics());
    pipeline.submit(ExportPipelineTest::record, 1);
    assertThat(exporting.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 20; i++) {
      pipeline.submit(ExportPipelineTest::record, 1);
    }
    HeliconeStats stats = pipeline.stats();
    assertThat(stats.dropped()).isEqualTo(15);
    assertThat(stats.queued()).isEqualTo(6);
    release.countDown();
    assertThat(pipeline.close(Duration.ofSeconds(5))).isTrue();
    assertThat(pipeline.stats().exported()).isEqualTo(6);
  }

  @Test
  void retriesRetryableFailuresThenSucceeds() {
    AtomicInteger attempts = new AtomicInteger();
    InMemoryExporter delivered = new InMemoryExporter();
    HeliconeExporter flaky =
        batch ->
            attempts.incrementAndGet() < 3
                ? ExportResult.retryable("503")
                : delivered.export(batch);
    ExportPipeline pipeline = new ExportPipeline(List.of(flaky), FAST, new Diagnostics());
    pipeline.submit(ExportPipelineTest::record, 1);
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(attempts).hasValue(3);
    assertThat(delivered.records()).hasSize(1);
    assertThat(pipeline.stats().failed()).isZero();
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void giveUpAfterMaxAttemptsAndOnFinalFailure() {
    AtomicInteger attempts = new AtomicInteger();
    HeliconeExporter alwaysRetryable =
        batch -> {
          attempts.incrementAndGet();
          return ExportResult.retryable("503");
        };
    ExportPipeline pipeline = new ExportPipeline(List.of(alwaysRetryable), FAST, new Diagnostics());
    pipeline.submit(ExportPipelineTest::record, 1);
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isFalse();
    assertThat(attempts).hasValue(3);
    assertThat(pipeline.stats().failed()).isEqualTo(1);
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void aPartialFailureCountsOnlyTheFailedRecords() {
    HeliconeExporter partly = batch -> ExportResult.failure("1 rejected", 1);
    ExportPipeline pipeline = new ExportPipeline(List.of(partly), FAST, new Diagnostics());
    for (int i = 0; i < 3; i++) {
      pipeline.submit(ExportPipelineTest::record, 1);
    }
    pipeline.flush(Duration.ofSeconds(5));
    HeliconeStats stats = pipeline.stats();
    assertThat(stats.failed()).isEqualTo(1);
    assertThat(stats.exported()).isEqualTo(2);
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void aServersRetryAfterIsHonouredBeyondTheBackoffMaximum() {
    AtomicInteger attempts = new AtomicInteger();
    List<Long> attemptNanos = new ArrayList<>();
    HeliconeExporter throttled =
        batch -> {
          synchronized (attemptNanos) {
            attemptNanos.add(System.nanoTime());
          }
          return attempts.incrementAndGet() == 1
              ? ExportResult.retryable("429", Duration.ofMillis(300))
              : ExportResult.success();
        };
    // The pipeline's own backoff would wait at most 5 ms.
    ExportPipeline pipeline = new ExportPipeline(List.of(throttled), FAST, new Diagnostics());
    pipeline.submit(ExportPipelineTest::record, 1);
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(attemptNanos).hasSize(2);
    assertThat(Duration.ofNanos(attemptNanos.get(1) - attemptNanos.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void throwingExporterIsContainedAndCounted() {
    Diagnostics diagnostics = new Diagnostics();
    HeliconeExporter throwing =
        batch -> {
          throw new IllegalStateException("boom");
        };
    ExportPipeline pipeline = new ExportPipeline(List.of(throwing), FAST, diagnostics);
    pipeline.submit(ExportPipelineTest::record, 1);
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isFalse();
    assertThat(pipeline.stats().failed()).isEqualTo(1);
    assertThat(pipeline.stats().sdkErrors()).isEqualTo(1);
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void closeDeliversEverythingQueuedAndIsIdempotent() {
    InMemoryExporter exporter = new InMemoryExporter();
    ExportOptions slowBatches =
        new ExportOptions(
            100, 10, Duration.ofSeconds(30), 1, Duration.ofMillis(1), Duration.ofMillis(1));
    ExportPipeline pipeline = new ExportPipeline(List.of(exporter), slowBatches, new Diagnostics());
    for (int i = 0; i < 25; i++) {
      pipeline.submit(ExportPipelineTest::record, 1);
    }
    assertThat(pipeline.close(Duration.ofSeconds(5))).isTrue();
    assertThat(exporter.records()).hasSize(25);
    assertThat(pipeline.close(Duration.ofSeconds(5))).isTrue();
    pipeline.submit(ExportPipelineTest::record, 1);
    assertThat(pipeline.stats().dropped()).isEqualTo(1);
  }

  @RepeatedTest(25)
  void recordsSubmittedWhileThePipelineClosesAreEachExportedOrDroppedAndHoldNothing()
      throws Exception {
    InMemoryExporter exporter = new InMemoryExporter();
    ExportOptions small =
        new ExportOptions(
            64, 8, Duration.ofMillis(1), 1, Duration.ofMillis(1), Duration.ofMillis(1));
    ExportPipeline pipeline =
        new ExportPipeline(List.of(exporter), small, 1L << 20, new Diagnostics());
    int threads = 6;
    int perThread = 3_000;
    CountDownLatch underWay = new CountDownLatch(threads);
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread submitter =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  pipeline.submit(ExportPipelineTest::record, 3);
                  if (i == perThread / 10) {
                    underWay.countDown();
                  }
                }
              });
      submitters.add(submitter);
      submitter.start();
    }
    assertThat(underWay.await(10, TimeUnit.SECONDS)).isTrue();
    pipeline.close(Duration.ofSeconds(10));
    for (Thread submitter : submitters) {
      submitter.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(submitter.isAlive()).isFalse();
    }

    HeliconeStats stats = pipeline.stats();
    assertThat(stats.exported()).isEqualTo(exporter.records().size());
    assertThat(stats.exported() + stats.dropped()).isEqualTo((long) threads * perThread);
    assertThat(stats.failed()).isZero();
    assertThat(stats.queued()).isZero();
    assertThat(stats.bufferedBytes()).isZero();
  }

  @Test
  void closeGivesUpOnAHungExporterAtTheDeadline() {
    CountDownLatch never = new CountDownLatch(1);
    HeliconeExporter hung =
        batch -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ExportResult.failure("interrupted");
        };
    ExportPipeline pipeline = new ExportPipeline(List.of(hung), FAST, new Diagnostics());
    pipeline.submit(ExportPipelineTest::record, 1);
    long start = System.nanoTime();
    assertThat(pipeline.close(Duration.ofMillis(200))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void flushesRequestedWhileAFullQueueRejectsRecordsStillComplete() throws Exception {
    CountDownLatch exporting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InMemoryExporter delivered = new InMemoryExporter();
    HeliconeExporter gated =
        batch -> {
          exporting.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return delivered.export(batch);
        };
    ExportOptions tiny =
        new ExportOptions(1, 1, Duration.ZERO, 1, Duration.ofMillis(1), Duration.ofMillis(1));
    ExportPipeline pipeline = new ExportPipeline(List.of(gated), tiny, new Diagnostics());
    pipeline.submit(ExportPipelineTest::record, 1);
    assertThat(exporting.await(5, TimeUnit.SECONDS)).isTrue();
    pipeline.submit(ExportPipelineTest::record, 1);

    // Rejected submissions race with the flushes; each flush must wait only for what was queued.
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread submitter =
          new Thread(
              () -> {
                while (!stop.get()) {
                  pipeline.submit(ExportPipelineTest::record, 1);
                }
              });
      submitter.start();
      submitters.add(submitter);
    }
    for (int i = 0; i < 500; i++) {
      pipeline.flush(Duration.ZERO);
    }
    stop.set(true);
    for (Thread submitter : submitters) {
      submitter.join();
    }
    release.countDown();

    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(delivered.records()).hasSize(2);
    assertThat(pipeline.stats().queued()).isZero();
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void closeCutsARetryBackoffShortAndCountsTheBatchAsFailed() {
    AtomicInteger attempts = new AtomicInteger();
    HeliconeExporter overloaded =
        batch -> {
          attempts.incrementAndGet();
          return ExportResult.retryable("429", Duration.ofSeconds(30));
        };
    ExportOptions patient =
        new ExportOptions(16, 4, Duration.ZERO, 5, Duration.ofSeconds(30), Duration.ofSeconds(30));
    ExportPipeline pipeline = new ExportPipeline(List.of(overloaded), patient, new Diagnostics());
    pipeline.submit(ExportPipelineTest::record, 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);

    assertThat(pipeline.close(Duration.ofMillis(100))).isFalse();

    // close() returns only once the worker is gone, so the counts are final.
    assertThat(pipeline.anyWorkerRunning()).isFalse();
    HeliconeStats stats = pipeline.stats();
    assertThat(stats.failed()).isEqualTo(1);
    assertThat(stats.queued()).isZero();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void sessionEndComesAfterTheSessionsRecords() {
    List<String> events = new ArrayList<>();
    HeliconeExporter recording =
        new HeliconeExporter() {
          @Override
          public ExportResult export(List<HeliconeRecord> records) {
            records.forEach(r -> events.add("record"));
            return ExportResult.success();
          }

          @Override
          public void sessionEnded(String sessionId, String sessionName) {
            events.add("end " + sessionId + " " + sessionName);
          }
        };
    ExportPipeline pipeline = new ExportPipeline(List.of(recording), FAST, new Diagnostics());
    pipeline.submit(ExportPipelineTest::record, 1);
    pipeline.submit(ExportPipelineTest::record, 1);
    pipeline.sessionEnded("s", "Doc");
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
    assertThat(events).containsExactly("record", "record", "end s Doc");
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void failingSupplierSkipsTheRecord() {
    InMemoryExporter exporter = new InMemoryExporter();
    Diagnostics diagnostics = new Diagnostics();
    ExportPipeline pipeline = new ExportPipeline(List.of(exporter), FAST, diagnostics);
    pipeline.submit(
        () -> {
          throw new IllegalStateException("adapter bug");
        },
        1);
    pipeline.submit(ExportPipelineTest::record, 1);
    pipeline.flush(Duration.ofSeconds(5));
    assertThat(exporter.records()).hasSize(1);
    assertThat(diagnostics.errorCount()).isEqualTo(1);
    pipeline.close(Duration.ofSeconds(5));
  }

  /** A record holding about {@code bytes} of stream text, as a long streamed response does. */
  private static HeliconeRecord large(int bytes) {
    HeliconeRecord base = record();
    return base.toBuilder()
        .response(
            new CapturedResponse(
                200, Map.of(), CapturedBody.text("x".repeat(bytes)), null, false, false))
        .build();
  }

  @Test
  void aBatchIsExportedAtOnceWhenTheMemoryBudgetIsHalfUsed() {
    // Batches wait up to a minute to fill: only the budget can send them out sooner.
    ExportOptions patient =
        new ExportOptions(
            1024, 512, Duration.ofMinutes(1), 3, Duration.ofMillis(1), Duration.ofMillis(5));
    InMemoryExporter exporter = new InMemoryExporter();
    ExportPipeline pipeline =
        new ExportPipeline(
            List.of(exporter), patient, 1_000_000, new Diagnostics(), RecordObserver.NONE, null);
    // Half of the budget is six records of 100 KB: the records that keep arriving all fit,
    // because the ones in hand are exported instead of waiting for the batch to fill.
    for (int i = 0; i < 30; i++) {
      HeliconeRecord r = large(100_000);
      pipeline.submit(() -> r, RecordSize.of(r));
      int submitted = i + 1;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> pipeline.stats().bufferedBytes() <= 700_000);
      assertThat(pipeline.stats().dropped()).as("after %d records", submitted).isZero();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> exporter.records().size() >= 25);
    pipeline.close(Duration.ofSeconds(5));
    assertThat(exporter.records()).hasSize(30);
  }

  /**
   * Encodes each record as {@code line:<id>}, noting the thread; fails the records it is told to.
   */
  private static final class Encoding implements EncodingExporter {
    final Map<String, String> encodedOn = new ConcurrentHashMap<>();
    final Set<String> failFor = ConcurrentHashMap.newKeySet();
    final List<HeliconeRecord> exported = new CopyOnWriteArrayList<>();
    final List<byte[]> encodings = new CopyOnWriteArrayList<>();
    final AtomicInteger exportsWithoutEncodings = new AtomicInteger();
    final CountDownLatch exporting = new CountDownLatch(1);
    volatile CountDownLatch mayExport = new CountDownLatch(0);

    @Override
    public byte[] encode(HeliconeRecord record) {
      encodedOn.put(record.id(), Thread.currentThread().getName());
      if (failFor.contains(record.id())) {
        throw new IllegalStateException("cannot encode " + record.id());
      }
      return ("line:" + record.id()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ExportResult export(List<HeliconeRecord> records, List<byte[]> encodings) {
      exporting.countDown();
      try {
        mayExport.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exported.addAll(records);
      this.encodings.addAll(encodings);
      return ExportResult.success();
    }

    @Override
    public ExportResult export(List<HeliconeRecord> records) {
      exportsWithoutEncodings.incrementAndGet();
      exported.addAll(records);
      return ExportResult.success();
    }
  }

  /** Builds every record it is offered on a thread of its own, as the metrics thread does. */
  private static RecordObserver buildingObserver(ExecutorService thread) {
    return (record, release) -> {
      thread.execute(
          () -> {
            record.get();
            release.run();
          });
      return true;
    };
  }

  @Test
  void anEncodingExporterIsHandedEachRecordEncodedByTheThreadThatBuiltIt() throws Exception {
    Encoding encoding = new Encoding();
    InMemoryExporter plain = new InMemoryExporter();
    ExecutorService observerThread = observerThread();
    ExportPipeline pipeline =
        new ExportPipeline(
            List.of(encoding, plain),
            new ExportOptions(
                1024, 16, Duration.ofMillis(20), 3, Duration.ofMillis(1), Duration.ofMillis(5)),
            1_000_000,
            new Diagnostics(),
            buildingObserver(observerThread),
            null);
    Map<String, String> builtOn = new ConcurrentHashMap<>();
    List<HeliconeRecord> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      HeliconeRecord r = record();
      sent.add(r);
      submitNotingBuilder(pipeline, r, builtOn);
    }
    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
    stop(observerThread);

    assertThat(encoding.exported).containsExactlyElementsOf(sent);
    assertThat(plain.records()).containsExactlyElementsOf(sent);
    assertThat(encoding.exportsWithoutEncodings).hasValue(0);
    for (int i = 0; i < sent.size(); i++) {
      String id = sent.get(i).id();
      assertThat(new String(encoding.encodings.get(i), StandardCharsets.UTF_8))
          .isEqualTo("line:" + id);
      assertThat(encoding.encodedOn.get(id)).as(id).isEqualTo(builtOn.get(id));
    }
    // The observer took every record, so it built and encoded each one; the workers waited.
    assertThat(builtOn.values()).containsOnly("observer");
    assertThat(encoding.encodedOn).hasSize(sent.size());
    assertThat(pipeline.stats().bufferedBytes()).isZero();
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void aRecordItsExporterCouldNotEncodeIsExportedWithoutAnEncodingAndCounted() {
    Encoding encoding = new Encoding();
    Diagnostics diagnostics = new Diagnostics();
    ExportPipeline pipeline = new ExportPipeline(List.of(encoding), FAST, diagnostics);
    HeliconeRecord a = record();
    HeliconeRecord b = record();
    encoding.failFor.add(b.id());
    pipeline.submit(() -> a, 1);
    pipeline.submit(() -> b, 1);
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(encoding.exported).containsExactly(a, b);
    assertThat(encoding.encodings.get(0)).isNotNull();
    assertThat(encoding.encodings.get(1)).isNull();
    assertThat(diagnostics.errorCount()).isEqualTo(1);
    assertThat(pipeline.stats().failed()).isZero();
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void encodingsCountInTheMemoryBudgetUntilExported() throws Exception {
    CountDownLatch exporting = new CountDownLatch(1);
    CountDownLatch mayFinish = new CountDownLatch(1);
    byte[] bigLine = new byte[300_000];
    EncodingExporter exporter =
        new EncodingExporter() {
          @Override
          public byte[] encode(HeliconeRecord record) {
            return bigLine;
          }

          @Override
          public ExportResult export(List<HeliconeRecord> records, List<byte[]> encodings) {
            exporting.countDown();
            try {
              mayFinish.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return ExportResult.success();
          }

          @Override
          public ExportResult export(List<HeliconeRecord> records) {
            throw new AssertionError("exported without the encodings");
          }
        };
    ExportPipeline pipeline =
        new ExportPipeline(
            List.of(exporter), FAST, 1_000_000, new Diagnostics(), RecordObserver.NONE, null);
    HeliconeRecord r = record();
    pipeline.submit(() -> r, RecordSize.of(r));
    assertThat(exporting.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pipeline.stats().bufferedBytes()).isEqualTo(RecordSize.of(r) + bigLine.length);
    mayFinish.countDown();
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(pipeline.stats().bufferedBytes()).isZero();
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void aRecordTheExportersQueueRefusedIsBuiltForTheObserverButNotEncoded() throws Exception {
    Encoding encoding = new Encoding();
    encoding.mayExport = new CountDownLatch(1);
    ExecutorService observerThread = observerThread();
    ExportPipeline pipeline =
        new ExportPipeline(
            List.of(encoding),
            new ExportOptions(
                4, 1, Duration.ofMillis(1), 1, Duration.ofMillis(1), Duration.ofMillis(5)),
            1_000_000,
            new Diagnostics(),
            buildingObserver(observerThread),
            null);
    Set<String> built = ConcurrentHashMap.newKeySet();
    Runnable submitOne =
        () -> {
          HeliconeRecord r = record();
          pipeline.submit(
              () -> {
                built.add(r.id());
                return r;
              },
              1);
        };
    submitOne.run();
    assertThat(encoding.exporting.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 20; i++) {
      submitOne.run();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> built.size() == 21);
    encoding.mayExport.countDown();
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    stop(observerThread);

    assertThat(pipeline.stats().dropped()).isEqualTo(16);
    assertThat(encoding.exported).hasSize(5);
    assertThat(encoding.encodedOn.keySet())
        .containsExactlyInAnyOrderElementsOf(
            encoding.exported.stream().map(HeliconeRecord::id).toList());
    assertThat(pipeline.stats().bufferedBytes()).isZero();
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void pastHalfOfTheBudgetTheObserverIsHurriedAndAfterARefusalCallsAreLeftUncaptured()
      throws Exception {
    long mib = 1L << 20;
    InMemoryExporter exporter = new InMemoryExporter();
    ExecutorService observerThread = observerThread();
    CountDownLatch mayBuild = new CountDownLatch(1);
    RecordObserver gated = gatedObserver(observerThread, mayBuild);
    AtomicInteger hurries = new AtomicInteger();
    RecordObserver observer =
        new RecordObserver() {
          @Override
          public boolean offer(Supplier<HeliconeRecord> record, Runnable release) {
            return gated.offer(record, release);
          }

          @Override
          public void hurry() {
            hurries.incrementAndGet();
          }
        };
    // The observer builds nothing for now, so every record holds its megabyte.
    ExportPipeline pipeline =
        new ExportPipeline(List.of(exporter), FAST, 8 * mib, new Diagnostics(), observer, null);
    List<HeliconeRecord> sent = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      HeliconeRecord r = record();
      sent.add(r);
      pipeline.submit(() -> r, mib);
    }
    // The fifth to the seventh record found more than half of the budget taken.
    assertThat(hurries).hasValue(3);
    assertThat(pipeline.refusing()).isFalse();
    HeliconeRecord tooBig = record();
    pipeline.submit(() -> tooBig, 2 * mib);
    assertThat(pipeline.stats().droppedOverBudget()).isEqualTo(1);

    // Seven of eight megabytes are still taken: above three quarters, calls are left uncaptured.
    assertThat(pipeline.refusing()).isTrue();
    pipeline.refuseUncaptured();
    HeliconeStats held = pipeline.stats();
    assertThat(held.droppedOverBudget()).isEqualTo(2);
    assertThat(held.dropped()).isEqualTo(2);
    assertThat(held.bufferedBytes()).isEqualTo(7 * mib);

    mayBuild.countDown();
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(exporter.records()).containsExactlyElementsOf(sent);
    stop(observerThread);
    // Built, the records hold what they are, far less: calls are captured again.
    assertThat(pipeline.refusing()).isFalse();
    assertThat(pipeline.stats().bufferedBytes()).isZero();
    HeliconeStats end = pipeline.stats();
    assertThat(end.exported() + end.dropped()).isEqualTo(9);
    pipeline.close(Duration.ofSeconds(5));
  }

  /** A thread named "observer", for an observer of a test's own. */
  private static ExecutorService observerThread() {
    return Executors.newSingleThreadExecutor(r -> new Thread(r, "observer"));
  }

  private static void stop(ExecutorService observerThread) throws InterruptedException {
    observerThread.shutdown();
    assertThat(observerThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A pipeline of {@code exporter} whose observer takes every record and waits for mayBuild. */
  private static ExportPipeline gatedPipeline(
      InMemoryExporter exporter,
      ExportOptions options,
      ExecutorService observerThread,
      CountDownLatch mayBuild) {
    return new ExportPipeline(
        List.of(exporter),
        options,
        1_000_000,
        new Diagnostics(),
        gatedObserver(observerThread, mayBuild),
        null);
  }

  /** Takes every record; builds none until {@code mayBuild} opens, then builds them in order. */
  private static RecordObserver gatedObserver(ExecutorService thread, CountDownLatch mayBuild) {
    return (record, release) -> {
      thread.execute(
          () -> {
            try {
              mayBuild.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            record.get();
            release.run();
          });
      return true;
    };
  }

  @Test
  void aWorkerWaitsForTheObserverToBuildTheRecordsItTookInsteadOfBuildingThemToo()
      throws Exception {
    InMemoryExporter exporter = new InMemoryExporter();
    ExecutorService observerThread = observerThread();
    CountDownLatch mayBuild = new CountDownLatch(1);
    ExportPipeline pipeline = gatedPipeline(exporter, FAST, observerThread, mayBuild);
    Map<String, String> builtOn = new ConcurrentHashMap<>();
    List<HeliconeRecord> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HeliconeRecord r = record();
      sent.add(r);
      submitNotingBuilder(pipeline, r, builtOn);
    }
    // The worker has taken its batch and waits: nothing is built or exported yet.
    await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.stats().queued() == 10);
    assertThat(pipeline.flush(Duration.ofMillis(100))).isFalse();
    assertThat(builtOn).isEmpty();
    assertThat(exporter.records()).isEmpty();

    mayBuild.countDown();
    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(exporter.records()).containsExactlyElementsOf(sent);
    assertThat(builtOn).hasSize(10);
    assertThat(builtOn.values()).containsOnly("observer");
    stop(observerThread);
    assertThat(pipeline.stats().bufferedBytes()).isZero();
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void workersBuildRecordsThemselvesOnceTheObserverIsStuckAndWaitAgainWhenItMoves()
      throws Exception {
    InMemoryExporter exporter = new InMemoryExporter();
    ExecutorService observerThread = observerThread();
    CountDownLatch mayBuild = new CountDownLatch(1);
    ExportPipeline pipeline =
        gatedPipeline(
            exporter,
            new ExportOptions(
                1024, 4, Duration.ofMillis(20), 3, Duration.ofMillis(1), Duration.ofMillis(5)),
            observerThread,
            mayBuild);
    Map<String, String> builtOn = new ConcurrentHashMap<>();
    List<HeliconeRecord> sent = new ArrayList<>();
    Runnable submitOne =
        () -> {
          HeliconeRecord r = record();
          sent.add(r);
          submitNotingBuilder(pipeline, r, builtOn);
        };
    // 200 records in batches of 4: waiting out the stall once per record would take 50 seconds.
    for (int i = 0; i < 200; i++) {
      submitOne.run();
    }
    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.records()).containsExactlyElementsOf(sent);
    assertThat(builtOn.values()).containsOnly("helicone-export-InMemoryExporter");

    // The observer moves again: it builds what it took from then on, and the worker waits for it.
    mayBuild.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.stats().bufferedBytes() == 0);
    builtOn.clear();
    for (int i = 0; i < 20; i++) {
      submitOne.run();
    }
    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.records()).containsExactlyElementsOf(sent);
    assertThat(builtOn).hasSize(20);
    assertThat(builtOn.values()).containsOnly("observer");
    stop(observerThread);
    pipeline.close(Duration.ofSeconds(5));
  }

  @Test
  void aWorkerInterruptedWhileWaitingForTheObserverCountsItsRecordsFailedAndHoldsNothing()
      throws Exception {
    CountDownLatch mayBuild = new CountDownLatch(1);
    ExecutorService observerThread = observerThread();
    InMemoryExporter exporter = new InMemoryExporter();
    ExportPipeline pipeline = gatedPipeline(exporter, FAST, observerThread, mayBuild);
    for (int i = 0; i < 3; i++) {
      pipeline.submit(ExportPipelineTest::record, 100);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.stats().queued() == 3);
    // A deadline shorter than the stall: the worker is interrupted while it waits.
    assertThat(pipeline.close(Duration.ofMillis(20))).isFalse();
    assertThat(pipeline.anyWorkerRunning()).isFalse();
    HeliconeStats stats = pipeline.stats();
    assertThat(stats.failed()).isEqualTo(3);
    assertThat(stats.exported()).isZero();
    assertThat(stats.queued()).isZero();
    assertThat(exporter.records()).isEmpty();
    // Only the observer's own holds are left, and it gives them back as it finishes.
    assertThat(stats.bufferedBytes()).isEqualTo(300);
    mayBuild.countDown();
    stop(observerThread);
    assertThat(pipeline.stats().bufferedBytes()).isZero();
  }

  /** Submits {@code r}, noting in {@code builtOn} the name of the thread that builds it. */
  private static void submitNotingBuilder(
      ExportPipeline pipeline, HeliconeRecord r, Map<String, String> builtOn) {
    pipeline.submit(
        () -> {
          builtOn.put(r.id(), Thread.currentThread().getName());
          return r;
        },
        1);
  }
}
