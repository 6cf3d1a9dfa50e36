package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.parse.SseParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatStreamTest {
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
