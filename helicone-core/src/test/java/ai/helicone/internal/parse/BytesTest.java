package ai.helicone.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
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

  @Test
  void wordScansFindWhatAByteLoopFindsAtEveryAlignment() {
    Random random = new Random(5);
    byte[] alphabet = {
      'a', 'z', ' ', '"', '\n', '\r', 0, 1, 0x7f, (byte) 0x80, (byte) 0xc3, (byte) 0xff
    };
    for (int round = 0; round < 20_000; round++) {
      byte[] data = new byte[random.nextInt(40)];
      for (int i = 0; i < data.length; i++) {
        // Mostly plain letters, so that the first match falls anywhere in a word.
        data[i] = random.nextInt(12) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'q';
      }
      int from = data.length == 0 ? 0 : random.nextInt(data.length + 1);
      int to = from + random.nextInt(data.length - from + 1);
      int lineBreak = from;
      while (lineBreak < to && data[lineBreak] != '\n' && data[lineBreak] != '\r') {
        lineBreak++;
      }
      int nonAscii = from;
      while (nonAscii < to && data[nonAscii] > 0) {
        nonAscii++;
      }
      assertThat(Bytes.indexOfLineBreak(data, from, to)).isEqualTo(lineBreak);
      assertThat(Bytes.indexOfNonAsciiOrNul(data, from, to)).isEqualTo(nonAscii);
    }
  }
}
