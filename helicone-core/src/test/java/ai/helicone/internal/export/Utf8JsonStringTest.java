package ai.helicone.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.internal.record.ByteChunks;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8JsonStringTest {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** An object with the text between two other fields, written with {@code text} last. */
  private interface TextWriter {
    void write(JsonGenerator g) throws IOException;
  }

  private static String object(TextWriter text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("before", 1);
      g.writeFieldName("text");
      text.write(g);
      g.writeBooleanField("after", true);
      g.writeEndObject();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String random(Random random) {
    String[] pieces = {
      "a",
      "data: ",
      "\"",
      "\\",
      "\n",
      "\r",
      "\t",
      "\b",
      "\f",
      "\u0000",
      "\u001f",
      "\u007f",
      "/",
      "é",
      "日本",
      "😀",
      "{\"content\":\"hi\"}"
    };
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(3000); i > 0; i--) {
      text.append(pieces[random.nextInt(pieces.length)]);
    }
    return text.toString();
  }

  @Test
  void textInPiecesIsWrittenAsJacksonWritesItWhole() throws IOException {
    Random random = new Random(5);
    int severalPieces = 0;
    for (int round = 0; round < 300; round++) {
      byte[] whole = random(random).getBytes(StandardCharsets.UTF_8);
      ByteChunks pieces = cutInto(whole, 1 + random.nextInt(2000), random);
      severalPieces += pieces.chunkCount() > 1 ? 1 : 0;

      String expected = object(g -> g.writeUTF8String(whole, 0, whole.length));
      assertThat(object(g -> Utf8JsonString.write(g, pieces))).isEqualTo(expected);
    }
    assertThat(severalPieces).isGreaterThan(200);
  }

  @Test
  void theTargetIsNotFlushedInTheMiddleOfAValue() throws IOException {
    int[] flushes = {0};
    ByteArrayOutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public void flush() {
            flushes[0]++;
          }
        };
    byte[] text = "a \"quoted\" text".getBytes(StandardCharsets.UTF_8);
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartArray();
      Utf8JsonString.write(g, cutInto(text, 4, new Random(1)));
      assertThat(flushes[0]).isZero();
      assertThat(g.isEnabled(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM)).isTrue();
      g.writeEndArray();
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[\"a \\\"quoted\\\" text\"]");
  }

  @Test
  void emptyTextIsAnEmptyString() throws IOException {
    assertThat(object(g -> Utf8JsonString.write(g, ByteChunks.EMPTY)))
        .isEqualTo("{\"before\":1,\"text\":\"\",\"after\":true}");
  }

  /** Pieces of about {@code size} bytes, cut anywhere, even inside a character. */
  private static ByteChunks cutInto(byte[] whole, int size, Random random) {
    int count = whole.length / size + 1;
    byte[][] arrays = new byte[count][];
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      int from = i * size;
      int n = Math.min(size, whole.length - from);
      arrays[i] = new byte[n + random.nextInt(2)];
      System.arraycopy(whole, from, arrays[i], 0, n);
      lengths[i] = n;
    }
    return ByteChunks.of(arrays, lengths, count);
  }

  @Test
  void aJsonValueInPiecesIsCopiedOnOneLineAsWrittenCompactFromText() throws IOException {
    Random random = new Random(5);
    String[] lines = {
      "{",
      "  \"a\": [1, 2],",
      "\t\"b\": \"x y\",",
      "  \"c\": {\"d\": \"\u00e9\u65e5\ud83d\ude00\"}",
      "}"
    };
    String[] breaks = {"\n", "\r\n", "\r", "\n\n  \t"};
    for (int round = 0; round < 500; round++) {
      StringBuilder json = new StringBuilder(random.nextBoolean() ? "" : "\n ");
      for (String line : lines) {
        json.append(line).append(breaks[random.nextInt(breaks.length)]);
      }
      byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
      ByteChunks pieces = cutInto(bytes, 1 + random.nextInt(random.nextBoolean() ? 4 : 64), random);
      String expected =
          object(g -> g.writeRawValue(json.toString().replaceAll("[\r\n][\\s]*", "")));
      assertThat(object(g -> Utf8JsonString.writeJsonValue(g, pieces)))
          .as(json.toString())
          .isEqualTo(expected)
          .doesNotContain("\n", "\r");
    }
    // Nothing to drop: copied as it is.
    ByteChunks plain = ByteChunks.of("[1,\"a b\"]".getBytes(StandardCharsets.UTF_8));
    assertThat(object(g -> Utf8JsonString.writeJsonValue(g, plain)))
        .isEqualTo("{\"before\":1,\"text\":[1,\"a b\"],\"after\":true}");
  }
}
