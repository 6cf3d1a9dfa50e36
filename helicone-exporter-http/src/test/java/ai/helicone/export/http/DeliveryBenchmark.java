package ai.helicone.export.http;

import ai.helicone.Helicone;
import ai.helicone.record.HeliconeRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Measures delivery throughput to a loopback Helicone-shaped endpoint that answers each log after a
 * fixed latency (default 50 ms): first through the exporter alone, in batches of 512 as the export
 * pipeline hands them over, then through a whole Helicone instance whose close() must deliver
 * everything queued. A plain program, not a test: see the module's README for the command.
 *
 * <p>Arguments: {@code [records] [latencyMillis] [maxConcurrency]} (defaults 10000, 50, 64).
 */
public final class DeliveryBenchmark {
  private DeliveryBenchmark() {}

  public static void main(String[] args) {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int latency = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    System.out.printf(
        Locale.ROOT,
        "%d records, endpoint latency %d ms, maxConcurrency %d%n",
        records,
        latency,
        concurrency);
    exporterAlone(records, latency, concurrency);
    throughPipeline(records, latency, concurrency);
  }

  private static void exporterAlone(int count, int latency, int concurrency) {
    try (HeliconeReceiver receiver = new HeliconeReceiver().latency(Duration.ofMillis(latency));
        HeliconeHttpExporter exporter = exporter(receiver, concurrency)) {
      // Warm-up (connections, JIT) with as many batches as a short measured run sends.
      for (int i = 0; i < 4; i++) {
        exporter.export(batch(512));
      }
      int before = receiver.rows().size();
      long receiverBefore = receiverCpuNanos();
      long cpuBefore = processCpuNanos();
      long start = System.nanoTime();
      for (int sent = 0; sent < count; sent += 512) {
        exporter.export(batch(Math.min(512, count - sent)));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3;
      double receiverMicros = (receiverCpuNanos() - receiverBefore) / 1e3;
      int delivered = receiver.rows().size() - before;
      System.out.printf(
          Locale.ROOT,
          "exporter alone:   %d delivered in %.2f s = %.0f records/s; process CPU %.0f us per"
              + " record, of which the loopback receiver's threads %.0f us; bound by"
              + " concurrency: %.0f records/s%n",
          delivered,
          seconds,
          delivered / seconds,
          cpuMicros / Math.max(1, delivered),
          receiverMicros / Math.max(1, delivered),
          concurrency * 1000.0 / Math.max(1, latency));
    }
  }

  private static void throughPipeline(int count, int latency, int concurrency) {
    try (HeliconeReceiver receiver = new HeliconeReceiver().latency(Duration.ofMillis(latency))) {
      Helicone helicone =
          Helicone.builder()
              .addExporter(exporter(receiver, concurrency))
              .queueCapacity(count)
              .closeTimeout(Duration.ofMinutes(2))
              .build();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        helicone.trace("step-" + i).call(() -> "done");
      }
      helicone.close();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "through Helicone: %d of %d delivered by close() in %.2f s = %.0f records/s (%s)%n",
          receiver.rows().size(),
          count,
          seconds,
          receiver.rows().size() / seconds,
          helicone.stats());
    }
  }

  /**
   * CPU time of the receiver's threads (the JDK server's dispatcher and the threads answering),
   * which share the process with the sender. Threads that ended are not counted: the receiver's
   * pool keeps its threads.
   */
  private static long receiverCpuNanos() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith(HeliconeReceiver.THREAD_PREFIX)
              || info.getThreadName().equals("HTTP-Dispatcher"))) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /** CPU time of the whole process: on a shared machine, wall time says little. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static HeliconeHttpExporter exporter(HeliconeReceiver receiver, int concurrency) {
    return HeliconeHttpExporter.builder()
        .apiKey("sk-helicone-bench")
        .baseUrl(receiver.url())
        .maxConcurrency(concurrency)
        .build();
  }

  private static List<HeliconeRecord> batch(int n) {
    List<HeliconeRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(TestRecords.llm().id(UUID.randomUUID().toString()).build());
    }
    return out;
  }
}
