package ai.helicone.openai.bench;

import ai.helicone.openai.Exchanges;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.record.CapturedBody;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * What the adapter costs the export worker per response: a streamed chat completion of 500 chunks
 * (with its usage chunk, so no local token counting) and a non-streamed 64 KB chat completion. Run
 * with {@link BenchmarkMain}; divide the stream figures by 500 for the cost per chunk. {@code
 * stream500Chunks} reads the stream whole, message included; {@code stream500WithMessage} adds what
 * an exporter that writes the readable message (JSON Lines) pays on top: the message as JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class ChatParseBenchmark {
  static final int CHUNKS = 500;
  private static final String URL = "https://api.openai.com/v1/chat/completions";
  private static final String REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"temperature\":0.2,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story.\"}]}";

  private final OpenAiAdapter adapter = new OpenAiAdapter();
  private CapturedExchange stream500;
  private CapturedExchange response64k;

  @Setup
  public void setUp() {
    stream500 = Exchanges.eventPerRead(URL, REQUEST, streamOfChunks(CHUNKS), Duration.ofMillis(20));
    response64k = Exchanges.json(URL, REQUEST.replace("true", "false"), responseOf(64 * 1024));
  }

  /**
   * A chat stream: a role chunk, content chunks, a finish chunk and the usage chunk. Also the
   * baseline of the Gemini adapter's benchmark, through this module's test jar.
   */
  public static byte[] streamOfChunks(int chunks) {
    String prefix =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_bench\",\"choices\":";
    StringBuilder sb = new StringBuilder();
    sb.append(prefix)
        .append(
            "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},")
        .append("\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    for (int i = 0; i < chunks - 3; i++) {
      sb.append(prefix)
          .append("[{\"index\":0,\"delta\":{\"content\":\"")
          .append(i % 17 == 0 ? " word\\n" : " word")
          .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    sb.append(prefix)
        .append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],")
        .append("\"usage\":null}\n\n");
    sb.append(prefix)
        .append(
            "[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":497,\"total_tokens\":509,")
        .append("\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},")
        .append("\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A non-streamed chat completion of about {@code size} bytes. */
  static byte[] responseOf(int size) {
    StringBuilder content = new StringBuilder();
    while (content.length() < size - 600) {
      content.append("The quick brown fox jumps over the lazy dog. \\\"Quoted\\\" text\\n");
    }
    String json =
        "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
            + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
            + "\"assistant\",\"content\":\""
            + content
            + "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":16000,\"total_tokens\":16020,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}},"
            + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_bench\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public AdapterResult stream500Chunks() {
    return adapter.parse(stream500);
  }

  @Benchmark
  public CapturedBody stream500WithMessage() {
    return adapter.parse(stream500).responseBodyRebuilder().apply(null);
  }

  @Benchmark
  public AdapterResult response64Kb() {
    return adapter.parse(response64k);
  }
}
