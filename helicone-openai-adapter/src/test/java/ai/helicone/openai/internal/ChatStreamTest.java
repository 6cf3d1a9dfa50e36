package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.parse.SseParser;
import ai.helicone.openai.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChatStreamTest {
  private static final String[] CHAT_STREAMS = {
    "azure-stream-n2.sse",
    "azure-stream-parallel-tools.sse",
    "azure-stream.sse",
    "chat-stream-error.sse",
    "chat-stream-no-usage.sse",
    "chat-stream-refusal.sse",
    "chat-stream-tools.sse",
    "chat-stream-truncated.sse",
    "chat-stream-usage.sse",
    "deepseek-stream.sse",
    "groq-stream.sse",
    "mistral-stream.sse",
    "ollama-stream.sse",
    "openrouter-stream.sse",
    "vllm-stream-no-choices.sse",
    "vllm-stream.sse"
  };

  /** What a read yields, comparable. */
  private static String outcome(ChatStream chat) {
    return String.join(
        " | ",
        String.valueOf(chat.toResponseBody()),
        String.valueOf(chat.outputTexts()),
        chat.id(),
        chat.model(),
        String.valueOf(chat.usage()),
        String.valueOf(chat.error()),
        String.valueOf(chat.done()),
        String.valueOf(chat.sawChunks()),
        String.valueOf(chat.finishReasons()),
        String.valueOf(chat.firstContentOffset()),
        String.valueOf(chat.usageWithoutChoices()));
  }

  private static ChatStream read(
      byte[] bytes, boolean textCompletion, boolean patterns, int piece) {
    ChatStream chat = new ChatStream(textCompletion, patterns, 0);
    SseParser parser = new SseParser(chat);
    for (int at = 0; at < bytes.length; at += piece) {
      parser.feed(bytes, at, Math.min(piece, bytes.length - at));
    }
    parser.finish();
    return chat;
  }

  /**
   * Chunks applied from the pattern must leave exactly what parsing every chunk leaves, however the
   * bytes arrive.
   */
  private static void assertSameAsParsingEveryChunk(String name, byte[] bytes, boolean text) {
    ChatStream reference = read(bytes, text, false, Math.max(1, bytes.length));
    for (int piece : new int[] {Math.max(1, bytes.length), 1, 7, 61}) {
      assertThat(outcome(read(bytes, text, true, piece)))
          .as("%s in pieces of %d", name, piece)
          .isEqualTo(outcome(reference));
    }
  }

  @Test
  void chunksAppliedFromThePatternLeaveWhatParsingEveryChunkLeaves() {
    for (String name : CHAT_STREAMS) {
      byte[] bytes = Fixtures.bytes(name);
      assertSameAsParsingEveryChunk(name, bytes, false);
      // Cut anywhere: the last chunk breaks off.
      for (int cut = 0; cut <= bytes.length; cut += 7) {
        assertSameAsParsingEveryChunk(name + " cut at " + cut, Arrays.copyOf(bytes, cut), false);
      }
    }
    for (String name : new String[] {"completions-stream.sse", "completions-stream-n2.sse"}) {
      assertSameAsParsingEveryChunk(name, Fixtures.bytes(name), true);
    }
  }

  private static final String CHUNK_HEAD =
      "{\"id\":\"chatcmpl-p\",\"object\":\"chat.completion.chunk\",\"created\":1,"
          + "\"model\":\"gpt-4o-mini\",\"choices\":[";
  private static final String CHUNK_TAIL = "],\"usage\":null,\"obfuscation\":\"";

  /** A content chunk whose text is given as the raw bytes between the quotes. */
  private static byte[] contentChunk(int choice, byte[] text, String padding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("data: " + CHUNK_HEAD + "{\"index\":" + choice + ",\"delta\":{\"content\":\"")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(text);
    out.writeBytes(
        ("\"},\"logprobs\":null,\"finish_reason\":null}" + CHUNK_TAIL + padding + "\"}\n\n")
            .getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] event(String json) {
    return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /**
   * A stream whose repeated chunks carry every kind of string content: plain, empty, escaped,
   * multi-byte, and malformed in the ways Jackson refuses; tool call arguments; two choices.
   */
  private static byte[] patternedStream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        event(
            CHUNK_HEAD
                + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}],\"usage\":null}"));
    // Reasoning first, under either name; both names in one chunk are not a pattern.
    for (String reasoning :
        new String[] {
          "\"content\":null,\"reasoning_content\":\"Think\"",
          "\"content\":null,\"reasoning_content\":\"ing \\u00e9\"",
          "\"content\":null,\"reasoning_content\":\"\"",
          "\"reasoning_content\":\"\",\"reasoning\":\"twice\"",
          "\"content\":null,\"reasoning_content\":\" on\"",
          "\"reasoning\":\" and\"",
          "\"reasoning\":\" on\""
        }) {
      out.writeBytes(
          event(
              CHUNK_HEAD
                  + "{\"index\":0,\"delta\":{"
                  + reasoning
                  + "},\"finish_reason\":null}],\"usage\":null}"));
    }
    byte[][] texts = {
      ascii("Hel"),
      ascii("lo"),
      ascii(""),
      ascii(" w\\u00f6rld\\n"),
      ascii("\\\"quoted\\\" \\/ \\\\ \\b\\f\\r\\t"),
      ascii("\\ud83d\\ude00 and a lone \\ud83d"),
      "caf\u00e9 \u65e5\u672c \ud83d\ude00".getBytes(StandardCharsets.UTF_8),
      bytes('a', 0xFF, 'b'), // not UTF-8
      bytes('a', 0xC0, 0x80), // overlong
      bytes('a', 0xED, 0xA0, 0x80), // an encoded surrogate
      bytes('a', 0xE2, 0x82), // cut short
      bytes('a', '\t', 'b'), // a raw control character
      ascii("bad \\q escape"),
      ascii("short \\u12"),
      bytes('a', 0x7F, 'b'),
      ascii("end")
    };
    int i = 0;
    for (byte[] text : texts) {
      out.writeBytes(contentChunk(0, text, "pad" + "xyz".substring(0, i++ % 3)));
    }
    // The same content key twice in a chunk, then a chunk the pattern does not cover.
    out.writeBytes(
        event(
            CHUNK_HEAD
                + "{\"index\":0,\"delta\":{\"content\":\"x\",\"content\":\"y\"},"
                + "\"finish_reason\":null}],\"usage\":null}"));
    out.writeBytes(contentChunk(0, ascii("after"), "p"));
    out.writeBytes(
        event(
            CHUNK_HEAD
                + "{\"index\":0,\"delta\":{\"content\":\"r\",\"refusal\":\"no\"},"
                + "\"finish_reason\":null}],\"usage\":null}"));
    out.writeBytes(contentChunk(0, ascii("again"), "p"));
    // Two choices take turns.
    for (int k = 0; k < 4; k++) {
      out.writeBytes(contentChunk(1, ascii("one" + k), "q"));
      out.writeBytes(contentChunk(0, ascii("zero" + k), "q"));
    }
    // Keys in alphabetical order, as Azure sends them: the delta comes before its index.
    for (String delta :
        new String[] {
          "{\"content\":\"az1\"}",
          "{\"content\":\"az2\"}",
          "{ \"content\":\"spaced\"}",
          "{\"content\":\"az3\"}",
          "{\"content\":\"two\",\"role\":\"assistant\"}",
          "{\"content\":\"az4\"}"
        }) {
      out.writeBytes(
          event(
              "{\"choices\":[{\"content_filter_results\":{},\"delta\":"
                  + delta
                  + ",\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1,"
                  + "\"id\":\"chatcmpl-p\",\"model\":\"gpt-4o-mini\","
                  + "\"object\":\"chat.completion.chunk\"}"));
    }
    // Tool calls: the first delta of each names it; then arguments only.
    for (int call = 0; call < 2; call++) {
      out.writeBytes(
          event(
              CHUNK_HEAD
                  + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":"
                  + call
                  + ",\"id\":\"call_"
                  + call
                  + "\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},"
                  + "\"finish_reason\":null}],\"usage\":null}"));
      for (String args : new String[] {"{\\\"a\\\"", "", ":1}"}) {
        out.writeBytes(
            event(
                CHUNK_HEAD
                    + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":"
                    + call
                    + ",\"function\":{\"arguments\":\""
                    + args
                    + "\"}}]},\"finish_reason\":null}],\"usage\":null}"));
      }
    }
    out.writeBytes(
        event(
            CHUNK_HEAD + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}"));
    out.writeBytes(
        event(
            CHUNK_HEAD
                + "],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":40,\"total_tokens\":45}}"));
    out.writeBytes(event("[DONE]"));
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void repeatedChunksOfEveryKindLeaveWhatParsingEveryChunkLeaves() {
    byte[] stream = patternedStream();
    ChatStream reference = read(stream, false, false, stream.length);
    assertThat(reference.outputTexts().get(0)).startsWith("Hello w\u00f6rld\n\"quoted\"");
    assertThat(
            reference
                .toResponseBody()
                .path("choices")
                .path(1)
                .path("message")
                .path("content")
                .asText())
        .isEqualTo("one0one1one2one3");
    assertSameAsParsingEveryChunk("patterned stream", stream, false);
    // Reasoning, content (plain, escaped, multi-byte, with changing padding, and with Azure's key
    // order) and tool call arguments; choices that take turns change the pattern each time.
    ChatStream whole = read(stream, false, true, stream.length);
    assertThat(whole.chunksFromPattern()).isEqualTo(21);
    // Fed whole, every chunk that matches the pattern is matched where it lies in the stream.
    assertThat(whole.chunksTakenFromStream()).isEqualTo(21);
    // Fed in small pieces, no chunk lies whole in one: each is split into lines and copied.
    assertThat(read(stream, false, true, 7).chunksTakenFromStream()).isZero();
    assertThat(
            reference
                .toResponseBody()
                .path("choices")
                .path(0)
                .path("message")
                .path("reasoning")
                .asText())
        .isEqualTo("Thinking \u00e9twice on and on");
  }

  @Test
  void damagedChunksLeaveWhatParsingEveryChunkLeaves() {
    byte[] stream = patternedStream();
    byte[] replacements = {
      '"', '\\', '{', '}', ':', ',', 'n', '0', 'a', ' ', '\n', '\r', (byte) 0xC3, (byte) 0xFF
    };
    Random random = new Random(42);
    for (int round = 0; round < 500; round++) {
      byte[] damaged = stream.clone();
      for (int k = 0; k < 1 + random.nextInt(3); k++) {
        damaged[random.nextInt(damaged.length)] = replacements[random.nextInt(replacements.length)];
      }
      assertSameAsParsingEveryChunk("damaged stream, round " + round, damaged, false);
    }
  }

  @Test
  void aChunkThatIsNotAnObjectStillLeavesTheOthersRead() {
    byte[] bytes =
        ("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"Hel\"}}]}\n\ndata: not json\n\n"
                + "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
            .getBytes(StandardCharsets.UTF_8);
    ChatStream whole = read(bytes, false, true, bytes.length);
    assertThat(whole.outputTexts()).containsExactly("Hello");
    assertThat(whole.done()).isTrue();
    assertSameAsParsingEveryChunk("not an object", bytes, false);
  }

  private static ChatStream parse(String... events) {
    ChatStream chat = new ChatStream(false, 0);
    SseParser parser = new SseParser(chat);
    for (String event : events) {
      byte[] bytes = ("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8);
      parser.feed(bytes, 0, bytes.length);
    }
    parser.finish();
    return chat;
  }

  @Test
  void groqUsageDoesNotHideTheTopLevelUsageOfTheSameChunk() {
    String usageThenGroq =
        "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":12,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":8}},"
            + "\"x_groq\":{\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":12}}}";
    assertThat(
            parse(usageThenGroq)
                .usage()
                .path("prompt_tokens_details")
                .path("cached_tokens")
                .asInt())
        .isEqualTo(8);

    String groqThenNullUsage =
        "{\"id\":\"c\",\"choices\":[],"
            + "\"x_groq\":{\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":12}},\"usage\":null}";
    assertThat(parse(groqThenNullUsage).usage().path("prompt_tokens").asInt()).isEqualTo(40);
  }

  @Test
  void aNullUsageInALaterChunkKeepsTheUsageAlreadyRead() {
    ChatStream chat =
        parse(
            "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}",
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{}}],\"usage\":null}");
    assertThat(chat.usage().path("prompt_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void anErrorSentAsAStringInsideTheStream() {
    ChatStream chat =
        parse(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"}}]}",
            "{\"error\":\"upstream timed out\"}");
    assertThat(Errors.message(chat.error(), null)).isEqualTo("upstream timed out");
  }

  @Test
  void reasoningSentUnderBothNamesIsKeptOnce() {
    ChatStream chat =
        parse(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"reasoning_content\":\"Think.\",\"reasoning\":\"Think.\"}}]}",
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"42\"}}]}");
    assertThat(
            chat.toResponseBody()
                .path("choices")
                .path(0)
                .path("message")
                .path("reasoning_content")
                .asText())
        .isEqualTo("Think.");
    assertThat(chat.outputTexts()).containsExactly("42", "Think.");
  }
}
