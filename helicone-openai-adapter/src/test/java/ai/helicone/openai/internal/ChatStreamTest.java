package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.parse.SseParser;
import ai.helicone.openai.Fixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  /** What a full read yields, comparable. */
  private static String outcome(ChatStream chat) {
    return String.join(
        " | ",
        String.valueOf(chat.toResponseBody()),
        String.valueOf(chat.usage()),
        String.valueOf(chat.error()),
        String.valueOf(chat.done()),
        String.valueOf(chat.sawChunks()),
        String.valueOf(chat.finishReasons()),
        String.valueOf(chat.outputTexts()));
  }

  private static ChatStream eventByEvent(byte[] bytes, boolean textCompletion) {
    ChatStream chat = new ChatStream(textCompletion);
    SseParser parser = new SseParser(chat);
    parser.feed(bytes, 0, bytes.length);
    parser.finish();
    return chat;
  }

  @Test
  void readingAWholeStreamAtOnceGivesWhatReadingItEventByEventGives() throws Exception {
    for (String name : CHAT_STREAMS) {
      byte[] bytes = Fixtures.bytes(name);
      assertThat(outcome(ChatStream.readWhole(new ByteArrayInputStream(bytes), false)))
          .as(name)
          .isEqualTo(outcome(eventByEvent(bytes, false)));
      // Cut anywhere, the last chunk breaks off and the chunks are read one by one instead.
      for (int cut = 0; cut <= bytes.length; cut += 7) {
        byte[] head = Arrays.copyOf(bytes, cut);
        assertThat(outcome(ChatStream.readWhole(new ByteArrayInputStream(head), false)))
            .as("%s cut at %d", name, cut)
            .isEqualTo(outcome(eventByEvent(head, false)));
      }
    }
    for (String name : new String[] {"completions-stream.sse", "completions-stream-n2.sse"}) {
      byte[] bytes = Fixtures.bytes(name);
      assertThat(outcome(ChatStream.readWhole(new ByteArrayInputStream(bytes), true)))
          .as(name)
          .isEqualTo(outcome(eventByEvent(bytes, true)));
    }
  }

  @Test
  void aChunkThatIsNotAnObjectStillLeavesTheOthersRead() throws Exception {
    byte[] bytes =
        ("data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"Hel\"}}]}\n\ndata: not json\n\n"
                + "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
            .getBytes(StandardCharsets.UTF_8);
    ChatStream whole = ChatStream.readWhole(new ByteArrayInputStream(bytes), false);
    assertThat(whole.outputTexts()).containsExactly("Hello");
    assertThat(whole.done()).isTrue();
    assertThat(outcome(whole)).isEqualTo(outcome(eventByEvent(bytes, false)));
  }

  private static ChatStream parse(String... events) {
    ChatStream chat = new ChatStream(false);
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
