package ai.helicone.internal.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
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
  void anArrayIsMarkedAsciiOnlyWhenEveryByteIsAsciiOtherThanNul() {
    byte[] ascii = "{\"model\":\"gpt-4o-mini\"}\u007f".getBytes(StandardCharsets.UTF_8);
    assertThat(ByteChunks.ofChecked(ascii).isKnownAscii()).isTrue();
    assertThat(ByteChunks.ofChecked(ascii).copy()).isEqualTo(ascii);
    assertThat(ByteChunks.ofChecked("caf\u00e9".getBytes(StandardCharsets.UTF_8)).isKnownAscii())
        .isFalse();
    assertThat(ByteChunks.ofChecked(new byte[] {'a', 0, 'b'}).isKnownAscii()).isFalse();
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

  private static JsonNode parsed(InputStream body) throws IOException {
    try (JsonParser p = Json.parser(body)) {
      JsonNode tree = Json.MAPPER.readTree(p);
      Json.noteWholeValue(p, body);
      return tree;
    }
  }

  @Test
  void aParserReadsTheBodyInPlaceWhenItIsOnePieceAndFromTheStreamOtherwise() throws IOException {
    String json =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9\"}]}";
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    JsonNode expected = Json.MAPPER.readTree(json);

    // One piece, with room to spare at the end of its array: parsed there, and read through.
    ByteChunks whole = ByteChunks.of(Arrays.copyOf(utf8, utf8.length + 16), utf8.length);
    InputStream in = whole.inputStream();
    try (JsonParser p = Json.parser(in)) {
      // Over the array itself: no stream behind the parser.
      assertThat(p.getInputSource()).isNull();
      assertThat((JsonNode) Json.MAPPER.readTree(p)).isEqualTo(expected);
    }
    assertThat(in.read()).isEqualTo(-1);
    assertThat(parsed(whole.inputStream())).isEqualTo(expected);
    assertThat(whole.isKnownJson()).isTrue();

    // Many pieces: parsed from the stream, the same value.
    Random random = new Random(11);
    for (int round = 0; round < 50; round++) {
      ByteChunks pieces = cut(utf8, random);
      assertThat(parsed(pieces.inputStream())).isEqualTo(expected);
      assertThat(pieces.isKnownJson()).isTrue();
    }

    // Pieces read up to the last one: the rest is parsed in place.
    byte[] head = "  ".getBytes(StandardCharsets.UTF_8);
    ByteChunks twoPieces =
        ByteChunks.of(new byte[][] {head, utf8}, new int[] {head.length, utf8.length}, 2);
    InputStream rest = twoPieces.inputStream();
    try (JsonParser p = Json.parser(twoPieces.inputStream())) {
      assertThat(p.getInputSource()).isNotNull();
      assertThat((JsonNode) Json.MAPPER.readTree(p)).isEqualTo(expected);
    }
    assertThat(rest.readNBytes(head.length)).isEqualTo(head);
    try (JsonParser p = Json.parser(rest)) {
      assertThat(p.getInputSource()).isNull();
      assertThat((JsonNode) Json.MAPPER.readTree(p)).isEqualTo(expected);
    }

    // Something after the value: not one JSON value, whichever way it is read.
    byte[] trailing = (json + " x").getBytes(StandardCharsets.UTF_8);
    ByteChunks notOne = ByteChunks.of(trailing, trailing.length);
    assertThat(parsed(notOne.inputStream())).isEqualTo(expected);
    assertThat(notOne.isKnownJson()).isFalse();
  }
}
