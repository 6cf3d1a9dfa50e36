package ai.helicone.bench;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Bytes allocated by the benchmark thread alone, per call, over the measurement iterations. JMH's
 * {@code -prof gc} counts every thread of the JVM, including the export worker that builds the
 * records; this tells apart what the caller's own thread allocates. Printed when the trial ends.
 */
@State(Scope.Thread)
public class CallerThreadAllocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private boolean measuring;
  private long iterationStartBytes;
  private long iterationCalls;
  private long measuredBytes;
  private long measuredCalls;

  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    iterationCalls = 0;
    iterationStartBytes = THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Counts one call of the benchmark method. */
  void call() {
    iterationCalls++;
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long bytes = THREADS.getCurrentThreadAllocatedBytes() - iterationStartBytes;
    if (measuring) {
      measuredBytes += bytes;
      measuredCalls += iterationCalls;
    }
  }

  @TearDown(Level.Trial)
  public void report() {
    if (measuredCalls > 0) {
      System.out.printf(
          "%nCaller thread allocated %d B/op over %d measured ops%n",
          measuredBytes / measuredCalls, measuredCalls);
    }
  }
}
