package ai.helicone.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteChunksTest {
  /** {@code whole} cut at random places into arrays with unused room at their ends. */
  static ByteChunks cut(byte[] whole, Random random) {
    List<byte[]> arrays = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    int at = 0;
    while (at < whole.length) {
      int n = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(Math.min(40, whole.length - at));
      byte[] array = new byte[n + random.nextInt(3)];
      System.arraycopy(whole, at, array, 0, n);
      arrays.add(array);
      lengths.add(n);
      at += n;
    }
    return ByteChunks.of(
        arrays.toArray(new byte[0][]),
        lengths.stream().mapToInt(Integer::intValue).toArray(),
        arrays.size());
  }

  @Test
  void piecesReadAsTheBytesTheyHoldInOrder() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      byte[] whole = new byte[random.nextInt(300)];
      random.nextBytes(whole);
      ByteChunks chunks = cut(whole, random);

      assertThat(chunks.length()).isEqualTo(whole.length);
      assertThat(chunks.copy()).isEqualTo(whole);
      assertThat(chunks.array()).isEqualTo(whole);
      assertThat(chunks.inputStream().readAllBytes()).isEqualTo(whole);
      ByteArrayOutputStream transferred = new ByteArrayOutputStream();
      assertThat(chunks.inputStream().transferTo(transferred)).isEqualTo(whole.length);
      assertThat(transferred.toByteArray()).isEqualTo(whole);
      ByteArrayOutputStream each = new ByteArrayOutputStream();
      chunks.forEach(each::write);
      assertThat(each.toByteArray()).isEqualTo(whole);
      for (int i = 0; i < whole.length; i++) {
        assertThat(chunks.byteAt(i)).isEqualTo(whole[i]);
      }
      int n = whole.length == 0 ? 0 : random.nextInt(whole.length + 1);
      assertThat(chunks.prefix(n).copy()).isEqualTo(Arrays.copyOf(whole, n));
    }
  }

  @Test
  void aStreamReadsByteByByteInSmallReadsAndSkips() throws IOException {
    byte[] whole = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    ByteChunks chunks = cut(whole, new Random(3));
    InputStream in = chunks.inputStream();
    assertThat(in.available()).isEqualTo(20);
    assertThat(in.read()).isEqualTo('0');
    assertThat(in.skip(4)).isEqualTo(4);
    byte[] three = new byte[3];
    assertThat(in.read(three, 0, 3)).isEqualTo(3);
    assertThat(new String(three, StandardCharsets.US_ASCII)).isEqualTo("567");
    assertThat(in.available()).isEqualTo(12);
    assertThat(in.skip(100)).isEqualTo(12);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(three, 0, 3)).isEqualTo(-1);
    assertThat(in.read(three, 0, 0)).isZero();
  }

  @Test
  void oneWholeArrayIsUsedInPlaceAndTextDecodesAcrossPieces() {
    byte[] array = "naïve 日本 😀".getBytes(StandardCharsets.UTF_8);
    assertThat(ByteChunks.of(array).array()).isSameAs(array);
    assertThat(ByteChunks.of(array, 3).array()).isEqualTo(Arrays.copyOf(array, 3));
    for (int seed = 0; seed < 20; seed++) {
      assertThat(cut(array, new Random(seed)).utf8()).isEqualTo("naïve 日本 😀");
    }
    assertThat(ByteChunks.EMPTY.utf8()).isEmpty();
    assertThat(ByteChunks.of(new byte[0][], new int[0], 0).length()).isZero();
  }

  @Test
  void refusesLengthsPastTheirArrays() {
    assertThatThrownBy(() -> ByteChunks.of(new byte[2], 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> ByteChunks.of(new byte[][] {new byte[2]}, new int[] {3}, 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> ByteChunks.of(new byte[4]).byteAt(4))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
