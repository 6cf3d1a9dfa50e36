package ai.helicone.anthropic.bench;

import ai.helicone.anthropic.AnthropicAdapter;
import ai.helicone.openai.Exchanges;
import ai.helicone.openai.OpenAiAdapter;
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
 * What the adapter costs the export worker per streamed response, next to the OpenAI adapter on a
 * stream of the same length and text: 500 Anthropic events (message_start, content_block_start, 495
 * text deltas, content_block_stop, message_delta, message_stop) against 500 Chat Completions chunks
 * (role, 497 content chunks, finish, usage, [DONE]). Run with {@link BenchmarkMain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class StreamParseBenchmark {
  static final int EVENTS = 500;

  private final AnthropicAdapter anthropic = new AnthropicAdapter();
  private final OpenAiAdapter openai = new OpenAiAdapter();
  private CapturedExchange anthropicStream;
  private CapturedExchange openaiStream;

  @Setup
  public void setUp() {
    anthropicStream =
        Exchanges.eventPerRead(
            "https://api.anthropic.com/v1/messages",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story.\"}]}",
            anthropicEvents(EVENTS),
            Duration.ofMillis(20));
    openaiStream =
        Exchanges.eventPerRead(
            "https://api.openai.com/v1/chat/completions",
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story.\"}]}",
            openAiChunks(EVENTS),
            Duration.ofMillis(20));
  }

  /** An Anthropic stream of {@code events} events, as the API sends it (with event names). */
  static byte[] anthropicEvents(int events) {
    StringBuilder sb = new StringBuilder();
    sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":")
        .append("\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":")
        .append("\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,")
        .append("\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,")
        .append("\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,")
        .append("\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n");
    sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,")
        .append("\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    for (int i = 0; i < events - 5; i++) {
      sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",")
          .append("\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"")
          .append(i % 17 == 0 ? " word\\n" : " word")
          .append("\"}}\n\n");
    }
    sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
    sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":")
        .append("{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":")
        .append("{\"output_tokens\":497}}\n\n");
    sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A Chat Completions stream of {@code chunks} events, with its usage chunk and [DONE]. */
  static byte[] openAiChunks(int chunks) {
    String prefix =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_bench\",\"choices\":";
    StringBuilder sb = new StringBuilder();
    sb.append(prefix)
        .append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},")
        .append("\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    for (int i = 0; i < chunks - 4; i++) {
      sb.append(prefix)
          .append("[{\"index\":0,\"delta\":{\"content\":\"")
          .append(i % 17 == 0 ? " word\\n" : " word")
          .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    sb.append(prefix)
        .append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],")
        .append("\"usage\":null}\n\n");
    sb.append(prefix)
        .append("[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":497,")
        .append("\"total_tokens\":509}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public AdapterResult anthropicStream500Events() {
    return anthropic.parse(anthropicStream);
  }

  @Benchmark
  public AdapterResult openAiStream500Chunks() {
    return openai.parse(openaiStream);
  }
}
