package ai.helicone.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.parse.Json;
import ai.helicone.record.CapturedBody;
import ai.helicone.spi.CapturedExchange;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
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
  void aContentTypeNamesJsonWhereverItSaysSoInAnyCase() {
    assertThat(Bodies.isJsonContentType("application/json")).isTrue();
    assertThat(Bodies.isJsonContentType("application/json; charset=utf-8")).isTrue();
    assertThat(Bodies.isJsonContentType("application/problem+JSON")).isTrue();
    assertThat(Bodies.isJsonContentType("Application/Json")).isTrue();
    assertThat(Bodies.isJsonContentType("text/plain")).isFalse();
    assertThat(Bodies.isJsonContentType("jso")).isFalse();
    assertThat(Bodies.isJsonContentType("")).isFalse();
    assertThat(Bodies.isJsonContentType(null)).isFalse();
  }

  @Test
  void anExchangeDecidesWhetherEachSideIsTypedAsJsonWhenBuilt() {
    CapturedExchange typed =
        exchange(
            Map.of("Content-Type", "application/json; charset=utf-8"),
            Map.of("CONTENT-TYPE", "Application/Problem+Json"));
    assertThat(RawBodies.requestJsonType(typed)).isTrue();
    assertThat(RawBodies.responseJsonType(typed)).isTrue();

    CapturedExchange untyped = exchange(Map.of(), Map.of("content-type", "text/event-stream"));
    assertThat(RawBodies.requestJsonType(untyped)).isFalse();
    assertThat(RawBodies.responseJsonType(untyped)).isFalse();
  }

  private static CapturedExchange exchange(
      Map<String, String> requestHeaders, Map<String, String> responseHeaders) {
    return CapturedExchange.builder()
        .method("POST")
        .url("http://localhost/v1/chat/completions")
        .requestHeaders(requestHeaders)
        .responseStatus(200)
        .responseHeaders(responseHeaders)
        .startTime(Instant.EPOCH)
        .endTime(Instant.EPOCH)
        .build();
  }

  @Test
  void aTruncatedBodyLosesOnlyItsCutCharacter() {
    byte[] bytes = "ab日".getBytes(StandardCharsets.UTF_8);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
    assertThat(Bodies.utf8(cut, true)).isEqualTo("ab");
    assertThat(Bodies.utf8(cut, false)).isNull();
  }

  @Test
  void piecesAreCheckedAsTheWholeWouldBeWhereverACharacterIsSplit() {
    Random random = new Random(11);
    byte[][] samples = {
      "plain ascii, é, 日本, 😀 and more".getBytes(StandardCharsets.UTF_8),
      {(byte) 0xe6, (byte) 0x97},
      {'a', (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, 'b'},
      {'a', (byte) 0xc0, (byte) 0x80},
      {'a', (byte) 0xff},
      {(byte) 0x80, 'a'},
    };
    for (byte[] sample : samples) {
      for (int seed = 0; seed < 50; seed++) {
        ByteChunks pieces = ByteChunksTest.cut(sample, new Random(seed));
        assertThat(Bodies.isUtf8Text(pieces)).isEqualTo(valid(sample));
        assertThat(Bodies.completeUtf8Prefix(pieces)).isEqualTo(Bodies.completeUtf8Prefix(sample));
      }
    }
    // Random bytes, mostly text with multi-byte characters and some damage.
    String[] characters = {"a", "é", "日", "😀"};
    for (int round = 0; round < 5000; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        text.append(characters[random.nextInt(characters.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      ByteChunks pieces = ByteChunksTest.cut(bytes, random);
      assertThat(Bodies.isUtf8Text(pieces)).as(Arrays.toString(bytes)).isEqualTo(valid(bytes));
      assertThat(Bodies.completeUtf8Prefix(pieces)).isEqualTo(Bodies.completeUtf8Prefix(bytes));
    }
  }

  @Test
  void randomBytesAreTextExactlyWhenTheJdkDecodesThemStrictlyWithoutNul() {
    Random random = new Random(17);
    byte[][] parts = {
      "plain words ".getBytes(StandardCharsets.UTF_8),
      "é".getBytes(StandardCharsets.UTF_8),
      "日".getBytes(StandardCharsets.UTF_8),
      "😀".getBytes(StandardCharsets.UTF_8),
      {0},
      {(byte) 0x80},
      {(byte) 0xe6, (byte) 0x97},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    };
    for (int round = 0; round < 5_000; round++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (int n = random.nextInt(12); n > 0; n--) {
        byte[] part = parts[random.nextInt(random.nextInt(10) == 0 ? parts.length : 4)];
        out.write(part, 0, part.length);
      }
      byte[] bytes = out.toByteArray();
      boolean strict;
      try {
        String text =
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        strict = text.indexOf('\u0000') < 0;
      } catch (java.nio.charset.CharacterCodingException e) {
        strict = false;
      }
      assertThat(Bodies.isUtf8Text(bytes, bytes.length))
          .as(Arrays.toString(bytes))
          .isEqualTo(strict);
    }
  }

  @Test
  void piecesMarkedAsciiAreTextWithoutACheck() {
    byte[] ascii = "data: {}\n\n".getBytes(StandardCharsets.US_ASCII);
    ByteChunks pieces = ByteChunks.of(ascii);
    assertThat(pieces.isKnownAscii()).isFalse();
    assertThat(pieces.asKnownAscii().isKnownAscii()).isTrue();
    assertThat(pieces.asKnownAscii().prefix(3).isKnownAscii()).isTrue();
    assertThat(Bodies.isUtf8Text(pieces.asKnownAscii())).isTrue();
    assertThat(Bodies.of(pieces.asKnownAscii(), false, false).text()).isEqualTo("data: {}\n\n");
  }

  /** Reads {@code body} as an adapter does: the first value whole, then notes what follows. */
  private static ByteChunks readFirstValue(String body) {
    return KnownJson.read(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBodyAnAdapterReadAsOneJsonValueIsEmbeddedWithoutAnotherCheck() throws Exception {
    for (String one : new String[] {"{\"a\":[1,2,{\"b\":null}]}", " [1] \n", "{}\r\n"}) {
      ByteChunks chunks = readFirstValue(one);
      assertThat(chunks.isKnownJson()).as(one).isTrue();
      CapturedBody body = Bodies.of(chunks, true, false);
      assertThat(RawBodies.isVerifiedJson(body)).as(one).isTrue();
      assertThat(body.text()).isEqualTo(one);
    }
    // Anything after the value, or a value cut short, is not one JSON value.
    for (String not :
        new String[] {"{\"a\":1} x", "{\"a\":1}{\"b\":2}", "{\"a\":1} ]", "{\"a\":"}) {
      ByteChunks chunks = readFirstValue(not);
      assertThat(chunks.isKnownJson()).as(not).isFalse();
      assertThat(Bodies.of(chunks, true, false).isJson()).as(not).isFalse();
    }
    // Known or not, a truncated body is never embedded as JSON, nor is one not typed or shaped so.
    ByteChunks whole = readFirstValue("{\"a\":1}");
    assertThat(Bodies.of(whole, true, true).isJson()).isFalse();
    ByteChunks scalar = readFirstValue("\"text\"");
    assertThat(scalar.isKnownJson()).isTrue();
    assertThat(Bodies.of(scalar, false, false).isJson()).isFalse();
    // A stream that is not a captured body's is left alone.
    try (JsonParser p = Json.FACTORY.createParser(new ByteArrayInputStream(new byte[] {'1'}))) {
      p.nextToken();
      Json.noteWholeValue(p, new ByteArrayInputStream(new byte[] {'1'}));
    }
  }

  @Test
  void aBodyReadWholeIsKeptAsItsBytesUntilItsTextIsAskedFor() throws Exception {
    for (String one :
        new String[] {"{\"a\":\"x\"}", "{\"a\":\"\u00e9t\u00e9 \u65e5\u672c \ud83d\ude00\"}"}) {
      ByteChunks chunks = readFirstValue(one);
      CapturedBody body = Bodies.of(chunks, true, false);
      assertThat(RawBodies.undecodedBytes(body)).as(one).isSameAs(chunks);
      assertThat(RawBodies.isVerifiedJson(body)).isTrue();
      assertThat(body.isJson()).isTrue();
      assertThat(body.text()).isEqualTo(one);
      // Decoded once, then the text is kept and the bytes let go.
      assertThat(RawBodies.undecodedBytes(body)).isNull();
      assertThat(body.text()).isSameAs(body.text());
      assertThat(body).isEqualTo(CapturedBody.json(one));
    }
    // Without a JSON content type, only an object or an array is embedded, as before.
    ByteChunks untyped = readFirstValue(" \r\n[1]");
    assertThat(RawBodies.undecodedBytes(Bodies.of(untyped, false, false))).isNotNull();
    ByteChunks number = readFirstValue("42");
    CapturedBody numberBody = Bodies.of(number, false, false);
    assertThat(numberBody.isJson()).isFalse();
    assertThat(RawBodies.undecodedBytes(numberBody)).isNull();
    // A truncated body is decoded at once, cut character and all, as before.
    ByteChunks cut = readFirstValue("{\"a\":1}");
    assertThat(RawBodies.undecodedBytes(Bodies.of(cut, true, true))).isNull();
  }

  @Test
  void aBodyReadWholeThatIsNotUtf8TextIsNotKeptAsBytes() throws Exception {
    // A UTF-16 surrogate encoded in UTF-8 inside a string: the JSON parser passes over it, yet a
    // strict decoder would replace it, so the body is not text to the record.
    byte[] withSurrogate = {'[', '"', 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'};
    ByteChunks chunks = KnownJson.read(withSurrogate);
    assertThat(chunks.isKnownJson()).isTrue();
    CapturedBody body = Bodies.of(chunks, true, false);
    assertThat(RawBodies.undecodedBytes(body)).isNull();
    assertThat(body.isJson()).isFalse();
  }
}
