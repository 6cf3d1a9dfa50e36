package ai.helicone.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodiesTest {
  private static boolean valid(byte... bytes) {
    return Bodies.isUtf8Text(bytes, bytes.length);
  }

  @Test
  void acceptsUtf8TextAndRejectsWhatADecoderWouldReplace() {
    assertThat(valid("plain ascii, é, 日本, 😀".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(valid((byte) 'a', (byte) 0)).isFalse(); // NUL: binary
    assertThat(valid((byte) 0xc0, (byte) 0x80)).isFalse(); // overlong
    assertThat(valid((byte) 0xed, (byte) 0xa0, (byte) 0x80)).isFalse(); // surrogate
    assertThat(valid((byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80)).isFalse(); // > U+10FFFF
    assertThat(valid((byte) 0xe6, (byte) 0x97)).isFalse(); // cut short
    assertThat(valid((byte) 0x80)).isFalse(); // lone continuation
  }

  @Test
  void aTruncatedBodyLosesOnlyItsCutCharacter() {
    byte[] bytes = "ab日".getBytes(StandardCharsets.UTF_8);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThat(Bodies.utf8(cut, true)).isEqualTo("ab");
    assertThat(Bodies.utf8(cut, false)).isNull();
  }
}
