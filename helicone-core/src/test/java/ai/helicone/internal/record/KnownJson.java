package ai.helicone.internal.record;

import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;

/** Captured bytes read as an adapter reads a body, for tests of what that reading marks. */
public final class KnownJson {
  private KnownJson() {}

  /**
   * {@code body} as captured bytes, after reading its first value whole and noting what follows, as
   * an adapter does: marked as one JSON value when it is exactly one.
   */
  public static ByteChunks read(byte[] body) {
    ByteChunks chunks = ByteChunks.of(body);
    InputStream in = chunks.inputStream();
    try (JsonParser p = Json.FACTORY.createParser(in)) {
      p.nextToken();
      p.skipChildren();
      Json.noteWholeValue(p, in);
    } catch (IOException e) {
      // A body cut short or malformed: nothing is noted.
    }
    return chunks;
  }
}
