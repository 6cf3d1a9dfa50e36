package ai.helicone.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonStringsTest {

  /** Jackson's reading of the string with these bytes between its quotes, or null if refused. */
  private static String jackson(byte[] body) {
    byte[] quoted = new byte[body.length + 2];
    quoted[0] = '"';
    System.arraycopy(body, 0, quoted, 1, body.length);
    quoted[quoted.length - 1] = '"';
    try (JsonParser p = Json.FACTORY.createParser(quoted)) {
      p.nextToken();
      return p.getText();
    } catch (Exception e) {
      return null;
    }
  }

  private static String decode(byte[] body) {
    StringBuilder out = new StringBuilder("kept");
    int n = JsonStrings.decode(body, 0, body.length, out);
    // Checking alone agrees with decoding.
    assertThat(JsonStrings.decode(body, 0, body.length, null)).isEqualTo(n);
    if (n < 0) {
      assertThat(out).hasToString("kept");
      return null;
    }
    assertThat(out.length()).isEqualTo(4 + n);
    return out.substring(4);
  }

  @Test
  void decodesWhatJacksonDecodesTheSameWay() {
    String[] bodies = {
      "",
      "plain text",
      "caf\u00e9 \u65e5\u672c \ud83d\ude00 \u007f",
      "\\\" \\\\ \\/ \\b \\f \\n \\r \\t",
      "\\u00e9\\u00E9 \\ud83d\\ude00 lone \\udc00"
    };
    for (String body : bodies) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(decode(bytes)).as(body).isNotNull().isEqualTo(jackson(bytes));
    }
  }

  @Test
  void refusesWhatJacksonRefuses() {
    byte[][] bodies = {
      {'a', '\t'}, {'\\', 'q'}, {'\\', 'u', '1', '2'}, {'\\'}, {(byte) 0xFF}, {(byte) 0xC3}
    };
    for (byte[] body : bodies) {
      assertThat(jackson(body)).isNull();
      assertThat(decode(body)).isNull();
    }
  }

  @Test
  void neverDecodesRandomBytesOtherwiseThanJackson() {
    byte[] alphabet = {
      'a',
      'Z',
      ' ',
      '\\',
      'u',
      'n',
      '/',
      '0',
      '9',
      'd',
      'D',
      'e',
      'f',
      '8',
      0x01,
      0x1F,
      0x7F,
      (byte) 0x80,
      (byte) 0x9F,
      (byte) 0xA0,
      (byte) 0xBF,
      (byte) 0xC0,
      (byte) 0xC2,
      (byte) 0xDF,
      (byte) 0xE0,
      (byte) 0xED,
      (byte) 0xEF,
      (byte) 0xF0,
      (byte) 0xF4,
      (byte) 0xF5,
      (byte) 0xFF
    };
    Random random = new Random(7);
    int decoded = 0;
    for (int round = 0; round < 200_000; round++) {
      byte[] body = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < body.length; i++) {
        body[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String ours = decode(body);
      if (ours != null) {
        decoded++;
        assertThat(ours).as("%s", java.util.Arrays.toString(body)).isEqualTo(jackson(body));
      }
    }
    assertThat(decoded).isGreaterThan(10_000);
  }
}
