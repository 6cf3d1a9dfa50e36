package ai.helicone.bench;

import ai.helicone.Helicone;
import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.record.HeliconeRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Harness: the heap the SDK retains when its only exporter never returns. Makes {@code calls}
 * streamed chat calls of about 100 KB each (canned answers, no network), then reports the heap in
 * use after a full GC, compared with before the calls. Uses only API that has existed since the
 * first release, so it also runs against older builds.
 *
 * <pre>
 * java -Xmx1g -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     ai.helicone.bench.DeadExporterHeap 3000 600
 * </pre>
 */
public final class DeadExporterHeap {
  private DeadExporterHeap() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 600;
    byte[] stream = CannedAnswer.chatStream(events);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    CountDownLatch never = new CountDownLatch(1);
    HeliconeExporter dead =
        new HeliconeExporter() {
          @Override
          public ExportResult export(List<HeliconeRecord> records) {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return ExportResult.failure("dead");
          }
        };
    OkHttpClient plain = CannedAnswer.client(CannedAnswer.eventStream(stream));
    Request request = CannedAnswer.chatRequest(true);
    long before = usedAfterGc(memory);
    Helicone helicone =
        Helicone.builder().addExporter(dead).closeTimeout(Duration.ofMillis(100)).build();
    OkHttpClient client = helicone.instrument(plain);
    for (int i = 0; i < calls; i++) {
      try (Response response = client.newCall(request).execute()) {
        response.body().bytes();
      }
    }
    long after = usedAfterGc(memory);
    System.out.printf(
        Locale.ROOT,
        "calls=%d streamBytes=%d retainedMiB=%.1f stats=%s%n",
        calls,
        stream.length,
        (after - before) / 1048576.0,
        helicone.stats());
    helicone.close();
    never.countDown();
  }

  /** The heap in use after full collections; the smallest of a few readings. */
  public static long usedAfterGc(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
