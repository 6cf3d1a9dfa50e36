package ai.helicone.reliability;

import ai.helicone.Helicone;
import ai.helicone.export.JsonLinesExporter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A program that records traces and ends without closing Helicone: run in a child JVM by {@link
 * ShutdownHookTest}. Arguments: the JSON Lines file, the number of traces, and whether to keep the
 * shutdown hook.
 */
public final class ExitWithoutClose {
  private ExitWithoutClose() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    int traces = Integer.parseInt(args[1]);
    boolean hook = Boolean.parseBoolean(args[2]);
    Helicone helicone =
        Helicone.builder()
            .addExporter(JsonLinesExporter.builder().file(file).build())
            // Nothing would be written before exit without the hook: batches wait a minute.
            .batchDelay(Duration.ofMinutes(1))
            .batchSize(100_000)
            .queueCapacity(100_000)
            .closeTimeout(Duration.ofSeconds(20))
            .registerShutdownHook(hook)
            .build();
    for (int i = 0; i < traces; i++) {
      helicone.trace("step-" + i).run(() -> {});
    }
    System.out.println("queued " + helicone.stats().queued());
    // main returns; the export thread is a daemon, so the JVM exits now.
  }
}
