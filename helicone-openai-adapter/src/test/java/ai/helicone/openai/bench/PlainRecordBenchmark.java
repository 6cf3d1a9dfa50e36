package ai.helicone.openai.bench;

import ai.helicone.cost.PriceRegistry;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.internal.Diagnostics;
import ai.helicone.internal.capture.Redaction;
import ai.helicone.internal.export.RecordSize;
import ai.helicone.internal.instrument.CallMetadata;
import ai.helicone.internal.record.ByteChunks;
import ai.helicone.internal.record.LlmRecords;
import ai.helicone.internal.record.RawBodies;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
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
  private static final String URL = "http://127.0.0.1:8080/v1/chat/completions";

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
    Instant start = Instant.parse("2026-12-01T08:00:00.123456789Z");
    for (int i = 0; i < COPIES; i++) {
      byte[] request = chatRequest();
      byte[] response = chatCompletion();
      // Marked ASCII as the capture marks them, so that building a record needs no UTF-8 check.
      CapturedExchange.Builder exchange =
          CapturedExchange.builder()
              .method("POST")
              .url(URL)
              .requestHeaders(
                  Redaction.redactHeaders(
                      Headers.of(
                          "Authorization", "Bearer sk-bench-not-a-key",
                          "Content-Type", "application/json; charset=utf-8")))
              .responseStatus(200)
              .responseHeaders(
                  Redaction.redactHeaders(
                      Headers.of(
                          "Content-Type",
                          "application/json",
                          "Content-Length",
                          Integer.toString(response.length))))
              .outcome(RecordStatus.SUCCESS)
              .startTime(start)
              .endTime(start.plusNanos(61_234_567))
              .timeToResponseHeaders(Duration.ofNanos(60_000_000))
              .readTimeline(new long[] {response.length}, new long[] {61_000_000});
      RawBodies.requestBody(exchange, ByteChunks.ofChecked(request), false);
      RawBodies.responseBody(exchange, ByteChunks.ofChecked(response), false);
      exchanges[i] = exchange.build();
      calls[i] =
          new CallMetadata(
              UUID.randomUUID().toString(),
              null,
              Map.of(),
              null,
              null,
              null,
              false,
              false,
              Map.of());
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

  private static byte[] chatRequest() {
    return ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a"
            + " helpful assistant.\"},{\"role\":\"user\",\"content\":\"Summarise the plot of"
            + " Hamlet in three sentences.\"}],\"temperature\":0.2}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] chatCompletion() {
    StringBuilder content = new StringBuilder();
    while (content.length() < 600) {
      content.append("Hamlet, prince of Denmark, avenges his father's murder. ");
    }
    return ("{\n  \"id\": \"chatcmpl-bench\",\n  \"object\": \"chat.completion\",\n"
            + "  \"created\": 1732000000,\n  \"model\": \"gpt-4o-mini-2024-07-18\",\n"
            + "  \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \""
            + content
            + "\"},\n    \"finish_reason\": \"stop\"}],\n"
            + "  \"usage\": {\"prompt_tokens\": 32, \"completion_tokens\": 120,"
            + " \"total_tokens\": 152}\n}\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
