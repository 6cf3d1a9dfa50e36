package ai.helicone.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the comparison benchmarks, then prints {@link Summary}. Takes JMH's options (for example
 * {@code -f 1 -wi 2 -i 3}, or a benchmark name pattern such as {@code CallBenchmarks.plain}) and
 * one of its own, {@code -rounds N} (default 1).
 *
 * <p>Each benchmark runs for each variant in turn (bare, helicone, otel), each in its own fork, and
 * the whole sequence {@code N} times: each median then takes in {@code N} stretches of the run, so
 * that a shared machine changing speed does not decide a ratio by slowing one fork of one variant.
 * {@code -p variant=...} runs only the variants given.
 */
public final class BenchmarksMain {
  static final List<String> BENCHMARKS = List.of("plain", "plain16", "stream", "paced");
  static final List<String> VARIANTS = List.of("bare", "helicone", "otel");
  // JMH's options that take no value; every other option is followed by its value.
  private static final Set<String> FLAGS = Set.of("-h", "-l", "-lp", "-lprof", "-lrf");

  private BenchmarksMain() {}

  public static void main(String[] args) throws IOException {
    List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
    int rounds = takeRounds(jmhArgs);
    CommandLineOptions parsed = parse(jmhArgs);
    List<String> includes = parsed.getIncludes();
    List<String> options = withoutIncludes(jmhArgs);
    List<String> variants = parsed.getParameter("variant").hasValue() ? List.of("") : VARIANTS;
    Files.deleteIfExists(Meter.RESULTS);
    for (int round = 1; round <= rounds; round++) {
      for (String benchmark : BENCHMARKS) {
        String name = CallBenchmarks.class.getName() + '.' + benchmark;
        if (!includes.isEmpty()
            && includes.stream().noneMatch(p -> Pattern.compile(p).matcher(name).find())) {
          continue;
        }
        for (String variant : variants) {
          List<String> one = new ArrayList<>(options);
          if (benchmark.equals("plain16")) {
            doubleWarmup(one, parsed);
          }
          if (!variant.isEmpty()) {
            one.addAll(List.of("-p", "variant=" + variant));
          }
          one.add(Pattern.quote(name) + '$');
          System.out.printf("%n== round %d of %d: %s %s%n", round, rounds, benchmark, variant);
          run(parse(one));
        }
      }
    }
    Summary.main(new String[0]);
  }

  /**
   * Gives {@code plain16} twice the warm-up iterations of the others. Its sixteen calling threads
   * leave the JIT compilers of two cores so little time that after the 30 s of {@code -wi 10} they
   * were still compiling the instrumented variants' call path in the measured iterations (about a
   * fifth of the process CPU), and not bare OkHttp's; after 60 s they were done.
   */
  static void doubleWarmup(List<String> args, CommandLineOptions parsed) {
    int warmups =
        parsed
            .getWarmupIterations()
            .orElse(CallBenchmarks.class.getAnnotation(Warmup.class).iterations());
    int at = args.indexOf("-wi");
    if (at >= 0) {
      args.subList(at, at + 2).clear();
    }
    args.addAll(List.of("-wi", Integer.toString(2 * warmups)));
  }

  /** Removes {@code -rounds N} from {@code args} and returns N (1 when absent). */
  static int takeRounds(List<String> args) {
    int at = args.indexOf("-rounds");
    if (at < 0) {
      return 1;
    }
    if (at + 1 >= args.size() || !args.get(at + 1).matches("[1-9][0-9]*")) {
      throw new IllegalArgumentException("-rounds takes a positive whole number");
    }
    int rounds = Integer.parseInt(args.get(at + 1));
    args.subList(at, at + 2).clear();
    return rounds;
  }

  /** The options of {@code args} without their benchmark name patterns. */
  static List<String> withoutIncludes(List<String> args) {
    List<String> options = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-")) {
        continue; // a pattern: each benchmark is named on its own
      }
      options.add(arg);
      if (!FLAGS.contains(arg) && i + 1 < args.size()) {
        options.add(args.get(++i));
      }
    }
    return options;
  }

  private static CommandLineOptions parse(List<String> args) {
    try {
      return new CommandLineOptions(args.toArray(String[]::new));
    } catch (CommandLineOptionException e) {
      throw new IllegalArgumentException("bad JMH options " + args + ": " + e.getMessage(), e);
    }
  }

  private static void run(CommandLineOptions options) {
    try {
      new Runner(options).run();
    } catch (RunnerException e) {
      throw new IllegalStateException("JMH failed", e);
    }
  }
}
