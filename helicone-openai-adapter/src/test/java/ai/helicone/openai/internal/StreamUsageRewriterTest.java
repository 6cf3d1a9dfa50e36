package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamUsageRewriterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String rewrite(String body) {
    byte[] out = StreamUsageRewriter.rewrite(body.getBytes(StandardCharsets.UTF_8));
    return out == null ? null : new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void insertsAfterTheOpeningBraceKeepingTheRestByteForByte() {
    String body =
        "  {\"model\":\"gpt-4o\", \"stream\" : true,\"messages\":[],\"temperature\":1.50}";
    assertThat(rewrite(body))
        .isEqualTo(
            "  {\"stream_options\":{\"include_usage\":true},\"model\":\"gpt-4o\", \"stream\" : true,"
                + "\"messages\":[],\"temperature\":1.50}");
  }

  @Test
  void completesExistingStreamOptions() throws Exception {
    JsonNode out =
        MAPPER.readTree(
            rewrite("{\"stream\":true,\"stream_options\":{\"include_obfuscation\":false}}"));
    assertThat(out.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(out.path("stream_options").path("include_obfuscation").asBoolean(true)).isFalse();

    JsonNode fromNull = MAPPER.readTree(rewrite("{\"stream\":true,\"stream_options\":null}"));
    assertThat(fromNull.path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void leavesOtherBodiesAlone() {
    assertThat(rewrite("{\"stream\":true,\"stream_options\":{\"include_usage\":false}}")).isNull();
    assertThat(rewrite("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}")).isNull();
    assertThat(rewrite("{\"model\":\"gpt-4o\",\"stream\":false}")).isNull();
    assertThat(rewrite("{\"model\":\"gpt-4o\"}")).isNull();
    // "stream": true inside a message is not the request's stream flag.
    assertThat(
            rewrite(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"{\\\"stream\\\": true}\"}],"
                    + "\"extra\":{\"stream\":true}}"))
        .isNull();
    assertThat(rewrite("{\"stream\":true,\"messages\":[")).isNull();
    assertThat(rewrite("[{\"stream\":true}]")).isNull();
    assertThat(rewrite("{\"stream\":true,\"stream_options\":\"yes\"}")).isNull();
  }

  @Test
  void chatCompletionsUrls() {
    assertThat(
            StreamUsageRewriter.isChatCompletionsUrl("https://api.openai.com/v1/chat/completions"))
        .isTrue();
    assertThat(
            StreamUsageRewriter.isChatCompletionsUrl(
                "https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=1"))
        .isTrue();
    assertThat(StreamUsageRewriter.isChatCompletionsUrl("https://x/chat/completions/#frag"))
        .isTrue();
    assertThat(StreamUsageRewriter.isChatCompletionsUrl("https://api.openai.com/v1/completions"))
        .isFalse();
    assertThat(StreamUsageRewriter.isChatCompletionsUrl("https://api.openai.com/v1/responses"))
        .isFalse();
  }
}
