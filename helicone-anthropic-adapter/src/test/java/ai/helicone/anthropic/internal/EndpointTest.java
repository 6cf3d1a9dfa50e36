package ai.helicone.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointTest {
  private static Endpoint resolve(String url) {
    return Endpoint.resolve(url, Set.of());
  }

  @Test
  void anthropicApi() {
    assertThat(resolve("https://api.anthropic.com/v1/messages"))
        .isEqualTo(new Endpoint("chat", null, false, false));
    assertThat(resolve("https://api.anthropic.com/v1/messages/count_tokens?beta=true"))
        .isEqualTo(new Endpoint("count_tokens", null, false, false));
    assertThat(resolve("https://api.anthropic.com/v1/models"))
        .isEqualTo(new Endpoint(null, null, false, false));
    assertThat(resolve("https://api.anthropic.com/v1/messages/batches")).isNotNull();
    assertThat(resolve("https://api.anthropic.com/v1/messages/batches").operation()).isNull();
  }

  @Test
  void vertex() {
    String base =
        "https://europe-west1-aiplatform.googleapis.com/v1/projects/p/locations/europe-west1/publishers/anthropic/models/";
    assertThat(resolve(base + "claude-opus-4-1@20250805:rawPredict"))
        .isEqualTo(new Endpoint("chat", "claude-opus-4-1@20250805", false, false));
    assertThat(resolve(base + "claude-opus-4-1@20250805:streamRawPredict"))
        .isEqualTo(new Endpoint("chat", "claude-opus-4-1@20250805", true, false));
    assertThat(
            resolve(
                "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5%4020250929:rawPredict"))
        .isEqualTo(new Endpoint("chat", "claude-sonnet-4-5@20250929", false, false));
    assertThat(resolve(base.replace("anthropic", "google") + "gemini-2.5-pro:generateContent"))
        .isNull();
  }

  @Test
  void bedrock() {
    String base = "https://bedrock-runtime.eu-central-1.amazonaws.com/model/";
    assertThat(resolve(base + "anthropic.claude-3-5-sonnet-20241022-v2:0/invoke"))
        .isEqualTo(new Endpoint("chat", "claude-3-5-sonnet-20241022-v2:0", false, false));
    assertThat(
            resolve(
                base
                    + "eu.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream"))
        .isEqualTo(new Endpoint("chat", "claude-sonnet-4-5-20250929-v1:0", true, true));
    assertThat(
            resolve(
                base
                    + "arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Ainference-profile%2Fglobal.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke"))
        .isEqualTo(new Endpoint("chat", "claude-haiku-4-5-20251001-v1:0", false, false));
    assertThat(resolve(base + "amazon.nova-pro-v1:0/invoke")).isNull();
    assertThat(resolve(base + "anthropic.claude-3-haiku-20240307-v1:0/converse").operation())
        .isNull();
  }

  @Test
  void otherHostsOnlyForTheMessagesPaths() {
    assertThat(resolve("http://127.0.0.1:5000/v1/messages"))
        .isEqualTo(new Endpoint("chat", null, false, false));
    assertThat(resolve("https://gateway.example/anthropic/v1/messages/count_tokens"))
        .isEqualTo(new Endpoint("count_tokens", null, false, false));
    assertThat(resolve("https://gateway.example/v1/chat/completions")).isNull();
    assertThat(resolve("https://gateway.example/messages")).isNull();
    assertThat(Endpoint.resolve("https://gateway.example/messages", Set.of("gateway.example")))
        .isEqualTo(new Endpoint("chat", null, false, false));
    assertThat(resolve("not a url")).isNull();
  }
}
