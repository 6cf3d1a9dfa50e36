package ai.helicone.openai.bench;

import ai.helicone.cost.PriceRegistry;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.export.RecordSize;
import ai.helicone.internal.instrument.CallMetadata;
import ai.helicone.internal.record.LlmRecords;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the SDK's threads do for one plain chat call, without the hand-over between threads: the
 * adapter's parse, the whole record (parse, cost, bodies, its size for the memory budget), and the
 * record with its JSON line. The exchange is the one of the {@code benchmarks} module's {@code
 * plain} call, with the headers OkHttp sends and receives there, redacted as the capture does. The
 * benchmark cycles through 1,024 copies of it, each with its own bytes and maps, so that not every
 * read hits the cache, though far more do than when another core has just written them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class PlainRecordBenchmark {
  private static final int COPIES = 1024;

  private final OpenAiAdapter adapter = new OpenAiAdapter();
  private final LlmRecords records =
      new LlmRecords(
          null, List.of(adapter), PriceRegistry.defaults(), false, false, new Diagnostics());
  private final CapturedExchange[] exchanges = new CapturedExchange[COPIES];
  private final CallMetadata[] calls = new CallMetadata[COPIES];
  private Path dir;
  private JsonLinesExporter lines;
  private int next;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("plain-record-bench");
    lines = JsonLinesExporter.builder().file(dir.resolve("records.jsonl")).build();
    for (int i = 0; i < COPIES; i++) {
      exchanges[i] = PlainCall.exchange();
      calls[i] = PlainCall.call();
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    lines.close();
    try (var files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (COPIES - 1);
    return i;
  }

  @Benchmark
  public AdapterResult adapterParse() {
    return adapter.parse(exchanges[nextIndex()]);
  }

  @Benchmark
  public long record() {
    int i = nextIndex();
    return RecordSize.of(records.build(calls[i], exchanges[i]));
  }

  @Benchmark
  public byte[] recordAndLine() {
    int i = nextIndex();
    HeliconeRecord record = records.build(calls[i], exchanges[i]);
    RecordSize.of(record);
    return lines.encode(record);
  }
}
