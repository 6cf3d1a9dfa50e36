package ai.helicone.bench;

import ai.helicone.Helicone;
import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.record.HeliconeRecord;
import java.time.Duration;
import java.util.List;

/**
 * Accepts every batch and keeps nothing, so that the export worker spends its time building records
 * (the work the pipeline moves off the caller's thread) and never on delivery.
 */
final class DiscardingExporter implements HeliconeExporter {

  /**
   * A Helicone instance exporting to a discarding exporter through a queue of {@code queueCapacity}
   * records. The queue stays bounded: should the worker fall behind, new records are dropped and
   * counted, as in production.
   */
  static Helicone helicone(int queueCapacity) {
    return helicone(queueCapacity, Helicone.DEFAULT_MAX_BUFFERED_BYTES);
  }

  /**
   * The same with a memory budget of {@code maxBufferedBytes}: a budget larger than the bounded
   * queues can fill keeps every call captured however far the SDK's threads fall behind (they then
   * drop the records their queues refuse), where the default budget would leave calls uncaptured
   * while it refuses records.
   */
  static Helicone helicone(int queueCapacity, long maxBufferedBytes) {
    return Helicone.builder()
        .addExporter(new DiscardingExporter())
        .queueCapacity(queueCapacity)
        .maxBufferedBytes(maxBufferedBytes)
        .closeTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Closes {@code helicone} (which drains its queue) and prints what the pipeline did. */
  static void closeAndReport(Helicone helicone) {
    helicone.close();
    System.out.println();
    System.out.println("Export pipeline after the run: " + helicone.stats());
    if (helicone.stats().dropped() > 0) {
      System.out.println(
          "The queue overflowed: the worker fell behind and "
              + helicone.stats().dropped()
              + " records were dropped (bounded by design; the calls were not slowed to wait).");
    }
    if (helicone.stats().droppedOverBudget() > 0) {
      System.out.println(
          "The memory budget filled: "
              + helicone.stats().droppedOverBudget()
              + " records were refused or their calls left uncaptured, so the time per call"
              + " includes calls the capture left alone.");
    }
  }

  @Override
  public ExportResult export(List<HeliconeRecord> records) {
    return ExportResult.success();
  }

  @Override
  public String toString() {
    return "DiscardingExporter";
  }
}
