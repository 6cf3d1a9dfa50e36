package ai.helicone.benchmarks;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Runs the comparison benchmarks with the given JMH options (for example {@code -f 1 -wi 2 -i 3},
 * or a benchmark name pattern such as {@code CallBenchmarks.plain}), then prints {@link Summary}.
 */
public final class BenchmarksMain {
  private BenchmarksMain() {}

  public static void main(String[] args) throws IOException {
    Files.deleteIfExists(Meter.RESULTS);
    try {
      org.openjdk.jmh.Main.main(args);
    } catch (Exception e) {
      throw new IllegalStateException("JMH failed", e);
    }
    Summary.main(new String[0]);
  }
}
