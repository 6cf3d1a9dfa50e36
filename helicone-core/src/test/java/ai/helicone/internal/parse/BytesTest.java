package ai.helicone.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BytesTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[][] KEYS = {ascii("\"error\""), ascii("\"usage\""), ascii("\"e\"")};

  @Test
  void quotedKeysAreFoundInOnePassAndNeverInsideStrings() {
    byte[] json = ascii("{\"usage\":{\"e\":1},\"text\":\"an \\\"error\\\" here\"}");
    assertThat(Bytes.quotedKeysIn(json, 0, json.length, KEYS)).isEqualTo(0b110);
    byte[] error = ascii("{\"error\":\"x\"}");
    assertThat(Bytes.quotedKeysIn(error, 0, error.length, KEYS)).isEqualTo(0b001);
    // Only the range given is read, and a key cut by its end is not there.
    assertThat(Bytes.quotedKeysIn(error, 0, 6, KEYS)).isZero();
    assertThat(Bytes.quotedKeysIn(error, 1, error.length, KEYS)).isEqualTo(0b001);
  }

  @Test
  void startsWithRespectsTheEnd() {
    byte[] data = ascii("ab\"usage\"");
    assertThat(Bytes.startsWith(data, 2, data.length, ascii("\"usage\""))).isTrue();
    assertThat(Bytes.startsWith(data, 2, data.length - 1, ascii("\"usage\""))).isFalse();
    assertThat(Bytes.indexOf(data, 0, data.length, ascii("\"usage\""))).isEqualTo(2);
  }
}
