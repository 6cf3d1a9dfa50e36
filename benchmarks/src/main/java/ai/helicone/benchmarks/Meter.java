package ai.helicone.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

/**
 * Measures one iteration of one benchmark and variant in process terms: calls, wall time, process
 * CPU, the export thread's CPU, allocation and drops; appends one line per metric to {@link
 * #RESULTS}, which {@link Summary} reads.
 */
final class Meter {
  static final Path RESULTS = Path.of("target", "benchmark-results.txt");

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  // The names HotSpot gives its compiler and (G1, Parallel, Serial) collector threads; /proc
  // truncates names to 15 characters.
  private static final List<String> JIT_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");
  private static final List<String> GC_THREADS =
      List.of("GC Thread", "G1 ", "VM Thread", "ParGC", "GC task");
  // The name prefix of helicone's threads (export workers, metrics).
  private static final String HELICONE_THREADS = "helicone-";
  // The SDK's threads as /proc names them: helicone's and OpenTelemetry's span worker.
  private static final List<String> SDK_THREADS = List.of(HELICONE_THREADS, "BatchSpanProces");
  // USER_HZ, 100 on every Linux the JVM runs on.
  private static final long TICK_NANOS = 10_000_000L;

  final LongAdder calls = new LongAdder();
  private long wall0;
  private long cpu0;
  private long worker0;
  private long caller0;
  private long sdk0;
  private long alloc0;
  private long callerAlloc0;
  private long sdkAlloc0;
  private long written0;
  private long overBudget0;
  private long jit0;
  private long gc0;
  private long sdkRunnable0;

  void start(Variant v) {
    calls.reset();
    written0 = v.written();
    overBudget0 = v.droppedOverBudget();
    worker0 = workerCpu(v);
    caller0 = cpuOfThreads("jmh-worker");
    sdk0 = cpuOfThreads(HELICONE_THREADS);
    alloc0 = allocated();
    callerAlloc0 = allocatedByThreads("jmh-worker");
    sdkAlloc0 = allocatedByThreads(HELICONE_THREADS);
    jit0 = vmThreadsCpu(JIT_THREADS);
    gc0 = vmThreadsCpu(GC_THREADS);
    sdkRunnable0 = runnableNanos(SDK_THREADS);
    cpu0 = OS.getProcessCpuTime();
    wall0 = System.nanoTime();
  }

  /**
   * Ends the iteration: waits for the exports of its calls, then records them unless it was a
   * warm-up iteration.
   */
  void stop(String benchmark, Variant v, boolean record) {
    long wall = System.nanoTime() - wall0;
    long callerAtEnd = cpuOfThreads("jmh-worker");
    v.flush();
    // While one calling thread waits here, JMH's other calling threads spin at its barrier: their
    // CPU after the calls ended is the harness's, not the variant's.
    long spin = cpuOfThreads("jmh-worker") - callerAtEnd;
    long cpu = OS.getProcessCpuTime() - cpu0 - spin;
    long worker = workerCpu(v) - worker0;
    long caller = callerAtEnd - caller0;
    long sdk = cpuOfThreads(HELICONE_THREADS) - sdk0;
    long written = v.written() - written0;
    long overBudget = v.droppedOverBudget() - overBudget0;
    long jit = vmThreadsCpu(JIT_THREADS) - jit0;
    long gc = vmThreadsCpu(GC_THREADS) - gc0;
    long sdkRunnable = runnableNanos(SDK_THREADS) - sdkRunnable0;
    long alloc = allocated() - alloc0;
    long callerAlloc = allocatedByThreads("jmh-worker") - callerAlloc0;
    long sdkAlloc = allocatedByThreads(HELICONE_THREADS) - sdkAlloc0;
    if (!record) {
      return;
    }
    long n = Math.max(1, calls.sum());
    // After the flush above, every call's record or span was written unless it was dropped.
    long dropped = v.records() ? Math.max(0, n - written) : 0;
    String key = benchmark + ' ' + v.name;
    StringBuilder lines = new StringBuilder();
    line(lines, key, "calls_per_s", n * 1e9 / wall);
    line(lines, key, "us_per_call_wall", wall / 1e3 / n);
    line(lines, key, "cpu_us_per_call", cpu / 1e3 / n);
    line(lines, key, "worker_cpu_us_per_call", worker / 1e3 / n);
    // Where the process CPU went: the calling threads, the SDK's own threads (export workers,
    // metrics), and the JVM's own threads (JIT compilers, garbage collector).
    line(lines, key, "caller_cpu_us_per_call", caller / 1e3 / n);
    line(lines, key, "sdk_threads_cpu_us_per_call", sdk / 1e3 / n);
    // Per record exported. A record dropped at a full export queue is still built for the metrics,
    // only not encoded or written: with drops this is above the cost of a built record.
    line(lines, key, "sdk_threads_cpu_us_per_record", sdk / 1e3 / Math.max(1, n - dropped));
    // Where /proc names the JVM's threads (Linux). Summary warns of a JIT compiler still busy in
    // the measured iterations.
    line(lines, key, "jit_cpu_us_per_call", jit / 1e3 / n);
    line(lines, key, "gc_cpu_us_per_call", gc / 1e3 / n);
    // Near 1 (or more), an SDK thread wanted a CPU all the time: it could not keep up, and its CPU
    // per call is what the scheduler let it have, not what its work costs.
    line(lines, key, "sdk_threads_runnable_share", (double) sdkRunnable / wall);
    line(lines, key, "alloc_kb_per_call", alloc / 1024.0 / n);
    line(lines, key, "caller_alloc_kb_per_call", callerAlloc / 1024.0 / n);
    line(lines, key, "sdk_threads_alloc_kb_per_call", sdkAlloc / 1024.0 / n);
    line(lines, key, "dropped", (double) dropped);
    line(lines, key, "dropped_over_budget", (double) overBudget);
    append(lines.toString());
  }

  static void append(String lines) {
    try {
      Files.createDirectories(RESULTS.getParent());
      Files.writeString(
          RESULTS,
          lines,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void line(StringBuilder out, String key, String metric, double value) {
    out.append(key).append(' ').append(metric).append(' ').append(value).append('\n');
  }

  private static long workerCpu(Variant v) {
    String prefix = v.workerPrefix();
    return prefix == null ? 0 : sumOverThreads(prefix, true, THREADS::getThreadCpuTime);
  }

  /**
   * CPU time (ns) of this JVM's threads whose name starts with one of {@code prefixes}, read from
   * {@code /proc/self/task} in clock ticks of 10 ms; 0 where there is no such directory.
   */
  private static long vmThreadsCpu(List<String> prefixes) {
    return sumOverTasks(
        prefixes,
        task -> {
          String stat = Files.readString(task.resolve("stat"));
          // After the name in parentheses: state is field 3, utime and stime fields 14 and 15.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
          return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
        });
  }

  /**
   * Nanoseconds this JVM's threads whose name starts with one of {@code prefixes} spent running or
   * runnable and waiting for a CPU, from {@code /proc/self/task/<id>/schedstat}; 0 where the kernel
   * does not keep it.
   */
  private static long runnableNanos(List<String> prefixes) {
    return sumOverTasks(
        prefixes,
        task -> {
          String[] fields = Files.readString(task.resolve("schedstat")).strip().split(" ", -1);
          return Long.parseLong(fields[0]) + Long.parseLong(fields[1]);
        });
  }

  /** A figure read for each of this JVM's threads whose {@code /proc} name matches, summed. */
  private static long sumOverTasks(List<String> prefixes, TaskFigure figure) {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return 0;
    }
    long sum = 0;
    try (Stream<Path> all = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) all::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          if (prefixes.stream().anyMatch(name::startsWith)) {
            sum += figure.read(task);
          }
        } catch (IOException | RuntimeException e) {
          // The thread ended meanwhile, or the kernel lacks the file: its share is lost here.
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return sum;
  }

  private interface TaskFigure {
    long read(Path task) throws IOException;
  }

  /** CPU time of helicone's live threads, in nanoseconds. */
  static long heliconeThreadsCpu() {
    return cpuOfThreads(HELICONE_THREADS);
  }

  /** CPU time of the live threads whose name contains {@code part} ("" for all of them). */
  private static long cpuOfThreads(String part) {
    return sumOverThreads(part, false, THREADS::getThreadCpuTime);
  }

  /** Bytes allocated by all live threads of the JVM. */
  private static long allocated() {
    return allocatedByThreads("");
  }

  /** Bytes allocated by the live threads whose name contains {@code part}. */
  private static long allocatedByThreads(String part) {
    return sumOverThreads(part, false, THREADS::getThreadAllocatedBytes);
  }

  /** Sums a per-thread figure over the live threads whose name starts with or contains a part. */
  private static long sumOverThreads(String part, boolean prefix, LongUnaryOperator perThreadId) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (prefix ? name.startsWith(part) : name.contains(part)) {
        sum += Math.max(0, perThreadId.applyAsLong(t.getId()));
      }
    }
    return sum;
  }
}
