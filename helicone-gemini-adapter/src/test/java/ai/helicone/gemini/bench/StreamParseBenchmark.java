package ai.helicone.gemini.bench;

import ai.helicone.gemini.Exchanges;
import ai.helicone.gemini.GeminiAdapter;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.openai.bench.ChatParseBenchmark;
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
 * What the adapter costs the export worker per streamed answer of 500 chunks: Gemini as server-sent
 * events ({@code alt=sse}) and as a streamed JSON array, beside the OpenAI adapter parsing a
 * 500-chunk chat completion stream of the same text (the baseline). Every Gemini chunk carries its
 * running {@code usageMetadata}, as Gemini sends it. Run with {@link BenchmarkMain}.
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
  static final int CHUNKS = 500;
  private static final String GEMINI =
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash";
  private static final String OPENAI = "https://api.openai.com/v1/chat/completions";
  private static final Duration STEP = Duration.ofMillis(20);

  private final GeminiAdapter gemini = new GeminiAdapter();
  private final OpenAiAdapter openAi = new OpenAiAdapter();
  // Package-private for BenchmarkDataTest.
  CapturedExchange geminiSse;
  CapturedExchange geminiArray;
  CapturedExchange openAiSse;

  @Setup
  public void setUp() {
    byte[] sse = geminiSse(CHUNKS);
    geminiSse =
        Exchanges.reads(
            GEMINI + ":streamGenerateContent?alt=sse",
            "text/event-stream",
            sse,
            new long[] {sse.length},
            STEP);
    byte[] array = geminiArray(CHUNKS);
    geminiArray =
        Exchanges.reads(
            GEMINI + ":streamGenerateContent",
            "application/json; charset=UTF-8",
            array,
            new long[] {array.length},
            STEP);
    // The OpenAI adapter's own benchmark stream: the same text, in Chat Completions chunks.
    byte[] chat = ChatParseBenchmark.streamOfChunks(CHUNKS);
    openAiSse = Exchanges.reads(OPENAI, "text/event-stream", chat, new long[] {chat.length}, STEP);
  }

  /** Chunk {@code i} of a Gemini answer, as Gemini writes it in SSE (one line). */
  static String geminiChunk(int i, int chunks) {
    boolean last = i == chunks - 1;
    String text = i % 17 == 0 ? " word\\n" : " word";
    String usage =
        last
            ? "{\"promptTokenCount\":12,\"candidatesTokenCount\":500,\"totalTokenCount\":512,"
                + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":12}]}"
            : "{\"promptTokenCount\":12,\"totalTokenCount\":12,"
                + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":12}]}";
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
        + text
        + "\"}],\"role\":\"model\"},"
        + (last ? "\"finishReason\":\"STOP\"," : "")
        + "\"index\":0}],\"usageMetadata\":"
        + usage
        + ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"YmVuY2htYXJrcmVzcG9uc2U\"}";
  }

  static byte[] geminiSse(int chunks) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < chunks; i++) {
      sb.append("data: ").append(geminiChunk(i, chunks)).append("\r\n\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] geminiArray(int chunks) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < chunks; i++) {
      if (i > 0) {
        sb.append("\n,\r\n");
      }
      sb.append(geminiChunk(i, chunks));
    }
    return sb.append("\n]").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public AdapterResult geminiSse500() {
    return gemini.parse(geminiSse);
  }

  @Benchmark
  public AdapterResult geminiJsonArray500() {
    return gemini.parse(geminiArray);
  }

  @Benchmark
  public AdapterResult openAiSse500Baseline() {
    return openAi.parse(openAiSse);
  }
}
