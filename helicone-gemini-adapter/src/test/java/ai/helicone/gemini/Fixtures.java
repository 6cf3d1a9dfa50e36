package ai.helicone.gemini;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The recorded-shape fixtures under {@code src/test/resources/fixtures}. */
public final class Fixtures {
  /** Every server-sent-event stream fixture. */
  public static final List<String> SSE_STREAMS =
      List.of(
          "stream.sse",
          "stream-thinking.sse",
          "stream-error.sse",
          "stream-truncated.sse",
          "vertex-stream.sse");

  /** Every streamed-JSON-array fixture, and single-object bodies read the same way. */
  public static final List<String> JSON_STREAMS =
      List.of(
          "stream.json",
          "stream-error.json",
          "stream-truncated.json",
          "error-429-array.json",
          "generate.json");

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
