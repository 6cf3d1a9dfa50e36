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
  void whitespaceAroundTheFlagAndAByteOrderMark() throws Exception {
    String body = "\n\t{\r\n  \"stream\"\n:\ttrue ,\"model\":\"gpt-4o\"}\n";
    assertThat(rewrite(body))
        .isEqualTo(
            "\n\t{\"stream_options\":{\"include_usage\":true},\r\n  \"stream\"\n:\ttrue"
                + " ,\"model\":\"gpt-4o\"}\n");

    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] json = "{\"stream\":true}".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[bom.length + json.length];
    System.arraycopy(bom, 0, withBom, 0, bom.length);
    System.arraycopy(json, 0, withBom, bom.length, json.length);
    JsonNode out = MAPPER.readTree(StreamUsageRewriter.rewrite(withBom));
    assertThat(out.path("stream").asBoolean()).isTrue();
    assertThat(out.path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void aLargeBodyKeepsEveryByteAfterTheInsertion() {
    String filler = "Lorem ipsum \\\"stream\\\": true \\u00e9 ".repeat(200_000);
    String body =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + filler
            + "\"}],\"stream\":true}";
    byte[] in = body.getBytes(StandardCharsets.UTF_8);
    byte[] out = StreamUsageRewriter.rewrite(in);
    String prefix = "{\"stream_options\":{\"include_usage\":true},";
    assertThat(out).hasSize(in.length + prefix.length() - 1);
    assertThat(new String(out, 0, prefix.length(), StandardCharsets.UTF_8)).isEqualTo(prefix);
    assertThat(java.util.Arrays.equals(out, prefix.length(), out.length, in, 1, in.length))
        .isTrue();

    String notStreaming = body.replace("\"stream\":true}", "\"stream\":false}");
    assertThat(rewrite(notStreaming)).isNull();
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
