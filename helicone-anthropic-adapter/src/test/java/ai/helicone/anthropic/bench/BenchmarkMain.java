package ai.helicone.anthropic.bench;

import java.util.Arrays;

/**
 * Runs the adapter benchmarks. Arguments are JMH options, for example {@code -prof gc} for bytes
 * allocated per operation or {@code -wi 1 -i 2} for a shorter run; the benchmarks of this package
 * are always selected. See the module's README for the command line.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    String[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = BenchmarkMain.class.getPackageName() + ".*";
    org.openjdk.jmh.Main.main(all);
  }
}
