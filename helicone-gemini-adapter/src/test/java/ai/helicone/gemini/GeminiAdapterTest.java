package ai.helicone.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.record.CapturedBody;
import ai.helicone.record.Usage;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GeminiAdapterTest {
  private static final String GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/";
  private static final String VERTEX =
      "https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1"
          + "/publishers/google/models/";
  private static final String SSE = "text/event-stream";
  private static final Duration STEP = Duration.ofMillis(20);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final GeminiAdapter adapter = new GeminiAdapter();

  /** Offsets just past each event (blank line, LF or CRLF) and the end of the stream. */
  static long[] eventEnds(byte[] stream) {
    String s = new String(stream, StandardCharsets.ISO_8859_1);
    List<Long> ends = new ArrayList<>();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("\r\n\r\n", i)) {
        ends.add((long) i + 4);
        i += 3;
      } else if (s.startsWith("\n\n", i)) {
        ends.add((long) i + 2);
        i += 1;
      }
    }
    if (ends.isEmpty() || ends.get(ends.size() - 1) != stream.length) {
      ends.add((long) stream.length);
    }
    return ends.stream().mapToLong(Long::longValue).toArray();
  }

  /** Offsets just past each element of a fixture array (elements end with "}\n,") and the end. */
  static long[] elementEnds(byte[] array) {
    String s = new String(array, StandardCharsets.ISO_8859_1);
    List<Long> ends = new ArrayList<>();
    for (int i = s.indexOf("}\n,"); i >= 0; i = s.indexOf("}\n,", i + 1)) {
      ends.add((long) i + 1);
    }
    ends.add((long) array.length);
    return ends.stream().mapToLong(Long::longValue).toArray();
  }

  private CapturedExchange lastExchange;

  private AdapterResult parse(CapturedExchange exchange) {
    lastExchange = exchange;
    return adapter.parse(exchange);
  }

  /** The readable body of the last parsed exchange, rebuilt from its raw bytes as exporters do. */
  private JsonNode body(AdapterResult result) throws Exception {
    CapturedBody readable = Readable.of(result, lastExchange);
    assertThat(readable).isNotNull();
    assertThat(readable.isJson()).isTrue();
    return tree(readable.text());
  }

  private AdapterResult sse(String url, String fixture) {
    byte[] body = Fixtures.bytes(fixture);
    return parse(Exchanges.reads(url, SSE, body, eventEnds(body), STEP));
  }

  private AdapterResult array(String url, String fixture) {
    byte[] body = Fixtures.bytes(fixture);
    return parse(
        Exchanges.reads(url, "application/json; charset=UTF-8", body, elementEnds(body), STEP));
  }

  private static JsonNode tree(String json) throws Exception {
    return MAPPER.readTree(json);
  }

  @Test
  void plainGenerateContentWithCacheAndThinking() {
    AdapterResult r =
        parse(
            Exchanges.json(
                GEMINI + "gemini-2.5-pro:generateContent?key=[REDACTED]",
                Fixtures.bytes("generate.json")));

    assertThat(r.provider()).isEqualTo("gemini");
    assertThat(r.operation()).isEqualTo("generate_content");
    assertThat(r.requestModel()).isEqualTo("gemini-2.5-pro");
    assertThat(r.model()).isEqualTo("gemini-2.5-pro");
    assertThat(r.stream()).isFalse();
    assertThat(r.responseId()).isEqualTo("mHkwabCdE_PlnvgPq4m1kAQ");
    assertThat(r.finishReasons()).containsExactly("STOP");
    assertThat(r.error()).isNull();
    assertThat(r.timeToFirstToken()).isNull();
    assertThat(r.streamCompleted()).isNull();
    assertThat(r.responseBody()).isNull();
    // input includes the cached 1024; output is candidates 85 + thoughts 310.
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(1200L)
                .cachedInputTokens(1024L)
                .outputTokens(395L)
                .reasoningTokens(310L)
                .totalTokens(1595L)
                .build());
  }

  @Test
  void sseStream() throws Exception {
    byte[] body = Fixtures.bytes("stream.sse");
    long[] ends = eventEnds(body);
    AdapterResult r = sse(GEMINI + "gemini-2.5-flash:streamGenerateContent?alt=sse", "stream.sse");

    assertThat(ends).hasSize(3);
    assertThat(r.provider()).isEqualTo("gemini");
    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("gemini-2.5-flash");
    assertThat(r.requestModel()).isEqualTo("gemini-2.5-flash");
    assertThat(r.responseId()).isEqualTo("Zm9vYmFyMTIz");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(14L)
                .outputTokens(249L)
                .reasoningTokens(228L)
                .totalTokens(263L)
                .build());
    // The first event carries text: its read, 20 ms after the start.
    assertThat(r.timeToFirstToken()).isEqualTo(STEP);
    assertThat(r.finishReasons()).containsExactly("STOP");
    assertThat(r.streamCompleted()).isTrue();
    JsonNode rebuilt = body(r);
    assertThat(rebuilt.at("/candidates/0/content/parts/0/text").asText())
        .isEqualTo("Once upon a time, a tiny robot learned to paint the sunrise.");
    assertThat(rebuilt.at("/candidates/0/content/parts")).hasSize(1);
    assertThat(rebuilt.at("/candidates/0/content/role").asText()).isEqualTo("model");
    assertThat(rebuilt.at("/candidates/0/finishReason").asText()).isEqualTo("STOP");
    assertThat(rebuilt.at("/usageMetadata/thoughtsTokenCount").asLong()).isEqualTo(228);
    assertThat(rebuilt.at("/modelVersion").asText()).isEqualTo("gemini-2.5-flash");
  }

  @Test
  void timeToFirstTokenIsTheFirstChunkWithContentNotTheFirstByte() throws Exception {
    AdapterResult r =
        sse(GEMINI + "gemini-2.5-pro:streamGenerateContent?alt=sse", "stream-thinking.sse");

    // Event 1 has no parts; event 2 a thought summary, event 3 a function call.
    assertThat(r.timeToFirstToken()).isEqualTo(STEP.multipliedBy(2));
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(52L)
                .cachedInputTokens(0L)
                .outputTokens(139L)
                .reasoningTokens(122L)
                .totalTokens(191L)
                .build());
    assertThat(r.streamCompleted()).isTrue();
    JsonNode parts = body(r).at("/candidates/0/content/parts");
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).get("thought").asBoolean()).isTrue();
    assertThat(parts.get(0).get("text").asText()).startsWith("**Checking the weather tool**");
    assertThat(parts.get(1).at("/functionCall/name").asText()).isEqualTo("get_weather");
    assertThat(parts.get(1).at("/functionCall/args/city").asText()).isEqualTo("Paris");
  }

  @Test
  void aFunctionCallAloneIsTheFirstToken() {
    String stream =
        "data: {\"candidates\":[{\"content\":{\"parts\":[],\"role\":\"model\"},\"index\":0}]}\n\n"
            + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\","
            + "\"args\":{}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
            + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":3,"
            + "\"totalTokenCount\":8}}\n\n";
    byte[] body = stream.getBytes(StandardCharsets.UTF_8);
    AdapterResult r =
        parse(
            Exchanges.reads(
                GEMINI + "gemini-2.5-flash:streamGenerateContent?alt=sse",
                SSE,
                body,
                eventEnds(body),
                STEP));
    assertThat(r.timeToFirstToken()).isEqualTo(STEP.multipliedBy(2));
    assertThat(r.usage().outputTokens()).isEqualTo(3);
  }

  @Test
  void severalCandidatesWhoseIndexFollowsTheirContent() throws Exception {
    String stream =
        "data: {\"candidates\":["
            + "{\"content\":{\"parts\":[{\"text\":\"A0\"}],\"role\":\"model\"},\"index\":0},"
            + "{\"content\":{\"parts\":[{\"text\":\"B0\"}],\"role\":\"model\"},\"index\":1}]}\n\n"
            // Only the second candidate, at position 0.
            + "data: {\"candidates\":["
            + "{\"content\":{\"parts\":[{\"text\":\" B1\"}],\"role\":\"model\"},\"index\":1}]}\n\n"
            + "data: {\"candidates\":["
            + "{\"content\":{\"parts\":[{\"text\":\" A1\"}]},\"finishReason\":\"STOP\",\"index\":0},"
            + "{\"content\":{\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"MAX_TOKENS\",\"index\":1}],"
            + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":8}}\n\n";
    byte[] body = stream.getBytes(StandardCharsets.UTF_8);
    AdapterResult r =
        parse(
            Exchanges.reads(
                GEMINI + "gemini-2.0-flash:streamGenerateContent?alt=sse",
                SSE,
                body,
                eventEnds(body),
                STEP));

    JsonNode candidates = body(r).get("candidates");
    assertThat(candidates).hasSize(2);
    assertThat(candidates.at("/0/content/parts/0/text").asText()).isEqualTo("A0 A1");
    assertThat(candidates.at("/1/content/parts/0/text").asText()).isEqualTo("B0 B1");
    assertThat(candidates.at("/1/index").asInt()).isEqualTo(1);
    assertThat(r.finishReasons()).containsExactly("STOP", "MAX_TOKENS");
    assertThat(r.streamCompleted()).isTrue();
  }

  @Test
  void streamedJsonArrayWithoutAltSse() {
    AdapterResult r = array(GEMINI + "gemini-2.0-flash:streamGenerateContent", "stream.json");

    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("gemini-2.0-flash");
    assertThat(r.responseId()).isEqualTo("YXJyYXlzdHJlYW0");
    assertThat(r.usage())
        .isEqualTo(Usage.builder().inputTokens(9L).outputTokens(12L).totalTokens(21L).build());
    assertThat(r.timeToFirstToken()).isEqualTo(STEP);
    assertThat(r.finishReasons()).containsExactly("STOP");
    assertThat(r.streamCompleted()).isTrue();
    assertThat(r.error()).isNull();
    // A JSON body is recorded as it is; only event streams are reassembled.
    assertThat(r.responseBody()).isNull();
  }

  @Test
  void errorsInsideStreams() {
    AdapterResult sse =
        sse(GEMINI + "gemini-2.5-flash:streamGenerateContent?alt=sse", "stream-error.sse");
    assertThat(sse.error())
        .isEqualTo("UNAVAILABLE: The model is overloaded. Please try again later.");
    assertThat(sse.streamCompleted()).isTrue();
    assertThat(sse.timeToFirstToken()).isEqualTo(STEP);
    assertThat(sse.finishReasons()).isNull();
    // What the stream reported before the error.
    assertThat(sse.usage().inputTokens()).isEqualTo(14);
    assertThat(sse.usage().outputTokens()).isNull();

    AdapterResult array =
        array(GEMINI + "gemini-2.0-flash:streamGenerateContent", "stream-error.json");
    assertThat(array.error())
        .isEqualTo("UNAVAILABLE: The model is overloaded. Please try again later.");
    assertThat(array.streamCompleted()).isTrue();
    assertThat(array.timeToFirstToken()).isEqualTo(STEP);
  }

  @Test
  void aStreamCutShortAfterTextOnlyChunksKeepsTheLastUsage() {
    // Chunks 2 and 3 carry only text and running usage; the stream ends before a finish reason.
    StringBuilder stream = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      stream
          .append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" w\"}],")
          .append("\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":5,")
          .append("\"candidatesTokenCount\":")
          .append(i)
          .append("},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n");
    }
    byte[] body = stream.toString().getBytes(StandardCharsets.UTF_8);
    AdapterResult r =
        parse(
            Exchanges.reads(
                GEMINI + "gemini-2.5-flash:streamGenerateContent?alt=sse",
                SSE,
                body,
                eventEnds(body),
                STEP));
    assertThat(r.usage().outputTokens()).isEqualTo(3);
    assertThat(r.streamCompleted()).isFalse();
    assertThat(r.timeToFirstToken()).isEqualTo(STEP);
  }

  @Test
  void truncatedStreamsKeepWhatArrivedAndAreNotComplete() throws Exception {
    AdapterResult sse =
        sse(GEMINI + "gemini-2.5-flash:streamGenerateContent?alt=sse", "stream-truncated.sse");
    assertThat(sse.streamCompleted()).isFalse();
    assertThat(sse.finishReasons()).isNull();
    assertThat(sse.usage().inputTokens()).isEqualTo(14);
    assertThat(sse.timeToFirstToken()).isEqualTo(STEP);
    assertThat(sse.error()).isNull();
    assertThat(body(sse).at("/candidates/0/content/parts/0/text").asText())
        .startsWith("Once upon a time");

    AdapterResult array =
        array(GEMINI + "gemini-2.0-flash:streamGenerateContent", "stream-truncated.json");
    assertThat(array.streamCompleted()).isFalse();
    assertThat(array.finishReasons()).isNull();
    assertThat(array.usage().inputTokens()).isEqualTo(9);
    assertThat(array.usage().outputTokens()).isNull();
    assertThat(array.timeToFirstToken()).isEqualTo(STEP);
  }

  @Test
  void errorBodies() {
    AdapterResult invalidKey =
        parse(
            Exchanges.oneRead(
                GEMINI + "gemini-2.5-flash:generateContent?key=[REDACTED]",
                400,
                "application/json",
                Fixtures.bytes("error-400.json")));
    assertThat(invalidKey.error())
        .isEqualTo("INVALID_ARGUMENT: API key not valid. Please pass a valid API key.");
    assertThat(invalidKey.usage()).isNull();
    assertThat(invalidKey.model()).isEqualTo("gemini-2.5-flash");

    // A streamed call's error comes as an array of one error object.
    AdapterResult quota =
        parse(
            Exchanges.oneRead(
                GEMINI + "gemini-2.5-flash:streamGenerateContent",
                429,
                "application/json",
                Fixtures.bytes("error-429-array.json")));
    assertThat(quota.error())
        .isEqualTo("RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).");

    AdapterResult html =
        parse(
            Exchanges.oneRead(
                GEMINI + "gemini-2.5-flash:generateContent",
                502,
                "text/html",
                "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8)));
    assertThat(html.error()).isEqualTo("<html>Bad Gateway</html>");
  }

  @Test
  void vertexPlainWithAudioInput() {
    AdapterResult r =
        parse(
            Exchanges.json(
                VERTEX + "gemini-2.0-flash-001:generateContent",
                Fixtures.bytes("vertex-generate.json")));
    assertThat(r.provider()).isEqualTo("vertex_ai");
    assertThat(r.operation()).isEqualTo("generate_content");
    assertThat(r.model()).isEqualTo("gemini-2.0-flash-001");
    assertThat(r.responseId()).isEqualTo("dmVydGV4cmVzcG9uc2U");
    assertThat(r.finishReasons()).containsExactly("STOP");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(2045L)
                .outputTokens(9L)
                .inputAudioTokens(2032L)
                .totalTokens(2054L)
                .build());
  }

  @Test
  void vertexGlobalEndpointStream() {
    AdapterResult r =
        sse(
            "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google"
                + "/models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse",
            "vertex-stream.sse");
    assertThat(r.provider()).isEqualTo("vertex_ai");
    assertThat(r.model()).isEqualTo("gemini-2.5-flash-lite");
    assertThat(r.usage())
        .isEqualTo(Usage.builder().inputTokens(7L).outputTokens(8L).totalTokens(15L).build());
    assertThat(r.timeToFirstToken()).isEqualTo(STEP);
    assertThat(r.streamCompleted()).isTrue();
  }

  @Test
  void embeddingsAndTokenCounting() {
    AdapterResult embed =
        parse(
            Exchanges.json(
                GEMINI + "gemini-embedding-001:embedContent", Fixtures.bytes("embed.json")));
    assertThat(embed.operation()).isEqualTo("embeddings");
    assertThat(embed.model()).isEqualTo("gemini-embedding-001");
    assertThat(embed.usage()).isNull();

    AdapterResult batch =
        parse(
            Exchanges.json(
                GEMINI + "gemini-embedding-001:batchEmbedContents",
                Fixtures.bytes("batch-embed.json")));
    assertThat(batch.operation()).isEqualTo("embeddings");

    AdapterResult count =
        parse(
            Exchanges.json(
                GEMINI + "gemini-2.5-flash:countTokens", Fixtures.bytes("count-tokens.json")));
    assertThat(count.operation()).isEqualTo("count_tokens");
    assertThat(count.model()).isEqualTo("gemini-2.5-flash");
    // Counting is free: no usage, hence no cost.
    assertThat(count.usage()).isNull();
    assertThat(count.stream()).isFalse();
  }

  @Test
  void aBlockedPromptReportsItsBlockReason() {
    AdapterResult r =
        parse(
            Exchanges.json(
                GEMINI + "gemini-2.5-flash:generateContent", Fixtures.bytes("blocked.json")));
    assertThat(r.finishReasons()).containsExactly("SAFETY");
    assertThat(r.usage()).isEqualTo(Usage.builder().inputTokens(8L).totalTokens(8L).build());
  }

  @Test
  void whichUrlsAreGemini() {
    assertThat(supports(GEMINI + "gemini-2.5-flash:generateContent")).isTrue();
    assertThat(
            supports(
                "https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:countTokens"))
        .isTrue();
    // A proxy or gateway with Gemini's path shape.
    assertThat(
            supports("https://gateway.example.com/v1beta/models/gemini-2.5-flash:generateContent"))
        .isTrue();
    // Not Gemini's native format, or not a model method.
    assertThat(supports("https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"))
        .isFalse();
    assertThat(supports("https://generativelanguage.googleapis.com/v1beta/models")).isFalse();
    assertThat(supports(GEMINI + "gemini-2.5-flash")).isFalse();
    assertThat(supports(GEMINI + "gemini-2.5-flash:predictLongRunning")).isFalse();
    assertThat(
            supports(
                "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5"
                    + "/publishers/anthropic/models/claude-sonnet-4-5:streamRawPredict"))
        .isFalse();
    assertThat(supports("https://api.openai.com/v1/chat/completions")).isFalse();
    assertThat(supports("not a url")).isFalse();
  }

  @Test
  void registeredHostsNameTheirProvider() {
    GeminiAdapter custom =
        GeminiAdapter.builder().host("llm-proxy.internal:8443", "my-gemini").build();
    AdapterResult r =
        custom.parse(
            Exchanges.json(
                "https://llm-proxy.internal:8443/v1beta/models/gemini-2.5-pro:generateContent",
                Fixtures.bytes("generate.json")));
    assertThat(r.provider()).isEqualTo("my-gemini");
    assertThat(
            custom
                .parse(
                    Exchanges.json(
                        "https://llm-proxy.internal:9000/v1beta/models/x:generateContent",
                        Fixtures.bytes("generate.json")))
                .provider())
        .isEqualTo("gemini");
    assertThatThrownBy(() -> GeminiAdapter.builder().host("https://x/", "p"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GeminiAdapter.builder().host(" ", "p"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GeminiAdapter.builder().host("h", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedBodiesNeverThrow() {
    for (String body :
        new String[] {
          "",
          "[",
          "{",
          "]",
          "[{]",
          "data: {",
          "data: [",
          "\u0000\u0001",
          "[1,2,\"x\"]",
          "null",
          "{\"candidates\":\"x\",\"usageMetadata\":[],\"error\":5}",
          "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":5}]}}]}",
          "[{\"candidates\":[{\"index\":\"zero\",\"content\":\"text\"}]}"
        }) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      for (String url :
          new String[] {
            GEMINI + "m:generateContent",
            GEMINI + "m:streamGenerateContent",
            GEMINI + "m:streamGenerateContent?alt=sse"
          }) {
        for (String type : new String[] {"application/json", SSE}) {
          assertThat(parse(Exchanges.oneRead(url, 200, type, bytes)))
              .as("%s %s %s", url, type, body)
              .isNotNull();
        }
      }
    }
  }

  @Test
  void serviceLoaderFindsTheAdapter() {
    List<String> names = new ArrayList<>();
    for (ProviderAdapter a : ServiceLoader.load(ProviderAdapter.class)) {
      names.add(a.getClass().getName());
    }
    assertThat(names).contains(GeminiAdapter.class.getName());
  }

  private boolean supports(String url) {
    CapturedExchange e = Exchanges.json(url, new byte[0]);
    return adapter.supports(e);
  }
}
