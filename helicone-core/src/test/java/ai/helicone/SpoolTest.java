package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.record.HeliconeRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable spool behind the export pipeline, with an exporter whose endpoint goes down. */
class SpoolTest {
  @TempDir Path dir;

  /** An exporter that refuses (retryably) while down and remembers what it delivered. */
  static class FlakyExporter implements HeliconeExporter {
    volatile boolean up;
    String name;

    @Override
    public String spoolName() {
      return name;
    }

    final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

    @Override
    public ExportResult export(List<HeliconeRecord> records) {
      if (!up) {
        return ExportResult.retryable("endpoint down");
      }
      records.forEach(r -> delivered.add(r.name()));
      return ExportResult.success();
    }
  }

  private Helicone.Builder builder(HeliconeExporter exporter) {
    return Helicone.builder()
        .addExporter(exporter)
        .spool(dir, 4L << 20)
        .batchDelay(Duration.ofMillis(5))
        .maxExportAttempts(2)
        .closeTimeout(Duration.ofSeconds(2));
  }

  private static List<String> names(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("t" + i);
    }
    return out;
  }

  private static void traces(Helicone helicone, int from, int to) {
    for (int i = from; i < to; i++) {
      helicone.trace("t" + i).run(() -> {});
    }
  }

  @Test
  void recordsMadeDuringAnOutageArriveOnceAndInOrderWhenItEnds() {
    FlakyExporter exporter = new FlakyExporter();
    try (Helicone helicone = builder(exporter).build()) {
      traces(helicone, 0, 300);
      await().atMost(30, TimeUnit.SECONDS).until(() -> helicone.stats().spooled() == 300);
      traces(helicone, 300, 400); // queued behind the spooled ones
      await().atMost(30, TimeUnit.SECONDS).until(() -> helicone.stats().spooled() == 400);
      assertThat(exporter.delivered).isEmpty();

      exporter.up = true;
      await().atMost(60, TimeUnit.SECONDS).until(() -> exporter.delivered.size() >= 400);
      traces(helicone, 400, 450);
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();

      assertThat(exporter.delivered).isEqualTo(names(0, 450));
      HeliconeStats stats = helicone.stats();
      assertThat(stats.resent()).isEqualTo(400);
      assertThat(stats.exported()).isEqualTo(50);
      assertThat(stats.spooled()).isZero();
      assertThat(stats.failed() + stats.dropped() + stats.spoolDropped()).isZero();
    }
  }

  @Test
  void aNewInstanceSendsWhatAClosedOneCouldNotDeliver() {
    FlakyExporter down = new FlakyExporter();
    Helicone first = builder(down).build();
    traces(first, 0, 120);
    first.close(); // the endpoint is still down: the records stay in the spool
    assertThat(first.stats().spooled()).isEqualTo(120);
    assertThat(first.stats().failed() + first.stats().dropped()).isZero();

    FlakyExporter up = new FlakyExporter();
    up.up = true;
    try (Helicone second = builder(up).build()) {
      await().atMost(60, TimeUnit.SECONDS).until(() -> up.delivered.size() >= 120);
      assertThat(second.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(up.delivered).isEqualTo(names(0, 120));
      assertThat(second.stats().resent()).isEqualTo(120);
    }
    // Nothing is sent a third time.
    FlakyExporter third = new FlakyExporter();
    third.up = true;
    try (Helicone again = builder(third).build()) {
      assertThat(again.stats().spooled()).isZero();
      traces(again, 0, 1);
      assertThat(again.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(third.delivered).containsExactly("t0");
    }
  }

  @Test
  void recordsThatDoNotFitTheQueueGoToTheSpoolInsteadOfBeingDropped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FlakyExporter exporter =
        new FlakyExporter() {
          @Override
          public ExportResult export(List<HeliconeRecord> records) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.export(records);
          }
        };
    exporter.up = true;
    try (Helicone helicone = builder(exporter).queueCapacity(8).batchSize(4).build()) {
      traces(helicone, 0, 100);
      HeliconeStats stats = helicone.stats();
      assertThat(stats.dropped()).isZero();
      await().atMost(30, TimeUnit.SECONDS).until(() -> helicone.stats().spooled() > 0);
      release.countDown();
      await().atMost(60, TimeUnit.SECONDS).until(() -> exporter.delivered.size() >= 100);
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(new HashSet<>(exporter.delivered)).hasSize(100);
      assertThat(exporter.delivered).hasSize(100);
      HeliconeStats end = helicone.stats();
      assertThat(end.exported() + end.resent()).isEqualTo(100);
      assertThat(end.failed() + end.dropped() + end.spoolDropped()).isZero();
    }
  }

  @Test
  void aRecordRefusedForGoodWhenReSentIsDroppedAndCounted() {
    FlakyExporter down = new FlakyExporter();
    down.name = "collector";
    Helicone first = builder(down).build();
    traces(first, 0, 3);
    first.close();
    assertThat(first.stats().spooled()).isEqualTo(3);

    // Another class with the same spool name finds the same spool.
    FlakyExporter refusing =
        new FlakyExporter() {
          @Override
          public ExportResult export(List<HeliconeRecord> records) {
            return ExportResult.failure("bad request");
          }
        };
    refusing.name = "collector";
    try (Helicone second = builder(refusing).build()) {
      await().atMost(30, TimeUnit.SECONDS).until(() -> second.stats().spoolDropped() == 3);
      assertThat(second.stats().spooled()).isZero();
      assertThat(second.stats().resent()).isZero();
    }
  }
}
