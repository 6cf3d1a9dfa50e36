package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTest {
  private static Endpoint resolve(String url) {
    return Endpoint.resolve(url, Map.of());
  }

  @Test
  void knownHosts() {
    assertThat(resolve("https://api.openai.com/v1/chat/completions"))
        .isEqualTo(new Endpoint("openai", "chat", null));
    assertThat(resolve("https://API.OpenAI.com/v1/responses/"))
        .isEqualTo(new Endpoint("openai", "responses", null));
    assertThat(resolve("https://api.groq.com/openai/v1/embeddings").provider()).isEqualTo("groq");
    assertThat(resolve("https://api.deepseek.com/chat/completions").provider())
        .isEqualTo("deepseek");
    assertThat(resolve("https://openrouter.ai/api/v1/chat/completions").provider())
        .isEqualTo("openrouter");
    assertThat(resolve("https://api.x.ai/v1/chat/completions").provider()).isEqualTo("xai");
    assertThat(resolve("https://api.together.xyz/v1/completions"))
        .isEqualTo(new Endpoint("together", "text_completion", null));
    assertThat(resolve("https://api.fireworks.ai/inference/v1/chat/completions").provider())
        .isEqualTo("fireworks");
    assertThat(resolve("https://api.mistral.ai/v1/chat/completions").provider())
        .isEqualTo("mistral");
    assertThat(resolve("http://localhost:11434/v1/chat/completions").provider())
        .isEqualTo("ollama");
  }

  @Test
  void azure() {
    assertThat(
            resolve(
                "https://res.openai.azure.com/openai/deployments/my%20dep/chat/completions?api-version=2024-10-21"))
        .isEqualTo(new Endpoint("azure", "chat", "my dep"));
    assertThat(resolve("https://res.openai.azure.com/openai/v1/responses"))
        .isEqualTo(new Endpoint("azure", "responses", null));
    assertThat(resolve("https://res.services.ai.azure.com/models/chat/completions"))
        .isEqualTo(new Endpoint("azure", "chat", null));
    assertThat(resolve("https://res.cognitiveservices.azure.com/openai/deployments/e/embeddings"))
        .isEqualTo(new Endpoint("azure", "embeddings", "e"));
    // Other Azure AI services on the same hosts are not ours.
    assertThat(resolve("https://res.cognitiveservices.azure.com/speechtotext/v3.1/transcriptions"))
        .isNull();
  }

  @Test
  void unknownHostsByPath() {
    assertThat(resolve("http://10.0.0.5:8000/v1/chat/completions"))
        .isEqualTo(new Endpoint("openai-compatible", "chat", null));
    assertThat(resolve("https://proxy.example/openai/v1/embeddings?x=1").operation())
        .isEqualTo("embeddings");
    assertThat(resolve("https://example.com/v1/models")).isNull();
    assertThat(resolve("https://example.com/chat/completions-archive")).isNull();
    assertThat(resolve("not a url")).isNull();
    assertThat(resolve("/relative/chat/completions")).isNull();
  }

  @Test
  void registeredHostsWinAndMayNameAPort() {
    Map<String, String> hosts = Map.of("llm.internal:8080", "mine", "api.openai.com", "proxy");
    assertThat(Endpoint.resolve("http://llm.internal:8080/generate", hosts).provider())
        .isEqualTo("mine");
    assertThat(Endpoint.resolve("http://llm.internal:9090/generate", hosts)).isNull();
    assertThat(Endpoint.resolve("https://api.openai.com/v1/chat/completions", hosts).provider())
        .isEqualTo("proxy");
  }

  @Test
  void operations() {
    assertThat(Endpoint.operation("/v1/chat/completions")).isEqualTo("chat");
    assertThat(Endpoint.operation("/v1/completions")).isEqualTo("text_completion");
    assertThat(Endpoint.operation("/v1/responses//")).isEqualTo("responses");
    assertThat(Endpoint.operation("/v1/embeddings")).isEqualTo("embeddings");
    assertThat(Endpoint.operation("/v1/responses/resp_1")).isNull();
    assertThat(Endpoint.operation("")).isNull();
  }
}
