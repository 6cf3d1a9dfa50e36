package ai.helicone.export.http.bench;

import ai.helicone.cost.PriceRegistry;
import ai.helicone.export.http.HeliconeHttpExporter;
import ai.helicone.export.http.internal.HeliconeLogMapper;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.instrument.CallMetadata;
import ai.helicone.internal.record.LlmRecords;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.openai.bench.PlainCall;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.CapturedExchange;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Helicone exporter adds to the SDK's work for one plain chat call: the record of the
 * {@code benchmarks} module's {@code plain} call, built as the metrics thread builds it, then
 * mapped to the body and headers of its log request (nothing is sent). The record is built anew
 * each time, as in the pipeline, because a body keeps its text once something has asked for it;
 * {@code record} alone is the baseline to subtract. Cycles through 1,024 copies of the exchange.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class HeliconeLogBenchmark {
  private static final int COPIES = 1024;

  private final LlmRecords records =
      new LlmRecords(
          null,
          List.of(new OpenAiAdapter()),
          PriceRegistry.defaults(),
          false,
          false,
          new Diagnostics());
  private final HeliconeLogMapper mapper =
      new HeliconeLogMapper(HeliconeHttpExporter.DEFAULT_MAX_PAYLOAD_BYTES);
  private final CapturedExchange[] exchanges = new CapturedExchange[COPIES];
  private final CallMetadata[] calls = new CallMetadata[COPIES];
  private int next;

  @Setup
  public void setUp() {
    for (int i = 0; i < COPIES; i++) {
      exchanges[i] = PlainCall.exchange();
      calls[i] = PlainCall.call();
    }
  }

  private HeliconeRecord nextRecord() {
    int i = next;
    next = (i + 1) & (COPIES - 1);
    return records.build(calls[i], exchanges[i]);
  }

  @Benchmark
  public HeliconeRecord record() {
    return nextRecord();
  }

  @Benchmark
  public byte[] recordAndLog() {
    return mapper.map(nextRecord(), true).body();
  }
}
