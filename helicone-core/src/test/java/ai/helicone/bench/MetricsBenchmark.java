package ai.helicone.bench;

import ai.helicone.internal.metrics.MetricsTree;
import ai.helicone.internal.metrics.MetricsTreeTest;
import ai.helicone.record.HeliconeRecord;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code helicone.metrics()} costs per recorded call on its own background thread: adding a
 * record to the aggregates (total and six groupings, two histograms each), with 20 rows kept per
 * grouping and more distinct users than that, so the bounded tables also evict. The application's
 * thread only queues the record ({@code ArrayBlockingQueue.offer}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx512m")
@State(Scope.Thread)
public class MetricsBenchmark {
  private final HeliconeRecord[] records = new HeliconeRecord[4096];

  /** Rows per grouping: 20 evicts among the 40 users, 100 keeps them all. */
  @Param({"20", "100"})
  public int rowsPerGrouping;

  private MetricsTree tree;
  private int next;

  @Setup
  public void setUp() {
    for (int i = 0; i < records.length; i++) {
      HeliconeRecord r = MetricsTreeTest.fixture(i);
      records[i] = r.toBuilder().userId("user-" + (i % 40)).build();
    }
    tree = new MetricsTree(rowsPerGrouping, 20);
  }

  @Benchmark
  public MetricsTree aggregateOneRecord() {
    tree.add(records[next++ & (records.length - 1)]);
    return tree;
  }
}
