package ai.helicone.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The recorded-format fixtures under {@code src/test/resources/fixtures}. */
public final class Fixtures {
  /** Every event-stream fixture. */
  public static final List<String> STREAMS =
      List.of(
          "chat-stream-usage.sse",
          "chat-stream-no-usage.sse",
          "chat-stream-tools.sse",
          "chat-stream-refusal.sse",
          "chat-stream-truncated.sse",
          "chat-stream-error.sse",
          "azure-stream-parallel-tools.sse",
          "azure-stream-n2.sse",
          "completions-stream-n2.sse",
          "responses-stream-incomplete.sse",
          "responses-stream.sse",
          "responses-stream-truncated.sse",
          "responses-stream-failed.sse",
          "responses-stream-error.sse",
          "completions-stream.sse",
          "azure-stream.sse",
          "groq-stream.sse",
          "deepseek-stream.sse",
          "openrouter-stream.sse",
          "mistral-stream.sse",
          "ollama-stream.sse",
          "vllm-stream.sse",
          "vllm-stream-no-choices.sse");

  private Fixtures() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }
}
