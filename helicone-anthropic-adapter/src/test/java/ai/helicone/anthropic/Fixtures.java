package ai.helicone.anthropic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The recorded-shape fixtures under {@code src/test/resources/fixtures}. */
public final class Fixtures {
  /** Every event-stream fixture. */
  public static final List<String> STREAMS =
      List.of(
          "messages-stream.sse",
          "messages-stream-tools.sse",
          "messages-stream-error.sse",
          "messages-stream-truncated.sse",
          "messages-stream-unknown-events.sse");

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
