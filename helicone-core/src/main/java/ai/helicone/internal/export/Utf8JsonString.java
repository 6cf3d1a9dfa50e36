package ai.helicone.internal.export;

import ai.helicone.internal.parse.Bytes;
import ai.helicone.internal.record.ByteChunks;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes UTF-8 text held in pieces as one JSON string value, with the bytes Jackson's {@link
 * JsonGenerator#writeUTF8String} gives for the same text in one array, and without joining the
 * pieces first: a captured stream is never copied into one array to be written. Stateless and
 * thread-safe.
 */
public final class Utf8JsonString {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  // For each ASCII byte: 0 when written as it is, else the letter after the backslash ('u' for
  // the six-byte form). Bytes past ASCII are parts of UTF-8 characters, written as they are.
  private static final byte[] ESCAPES = new byte[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = 'u';
    }
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
  }

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_SEVEN_BITS = 0x7F * ONES;

  private static final int BUFFER = 2048;

  private Utf8JsonString() {}

  /**
   * Writes {@code text}, valid UTF-8, as the next value. The generator must write UTF-8 to an
   * {@link OutputStream}, with Jackson's default escaping.
   */
  public static void write(JsonGenerator g, ByteChunks text) throws IOException {
    if (text.chunkCount() <= 1) {
      byte[] whole = text.chunkCount() == 0 ? new byte[0] : text.chunk(0);
      g.writeUTF8String(whole, 0, text.length());
      return;
    }
    // The separator and the opening quote go through the generator, which then counts a value
    // written; the escaped text goes straight to its target, in order after the generator's buffer
    // is drained into it (without flushing the target itself).
    g.writeRawValue("\"");
    OutputStream out = drained(g);
    byte[] buffer = new byte[BUFFER];
    int at = 0;
    for (int c = 0; c < text.chunkCount(); c++) {
      byte[] data = text.chunk(c);
      int end = text.chunkLength(c);
      int i = 0;
      while (i < end) {
        // Bytes sure to fit even if each needs the six-byte escape.
        int fit = (BUFFER - Long.BYTES - at) / 6;
        if (fit < 32) {
          out.write(buffer, 0, at);
          at = 0;
          fit = (BUFFER - Long.BYTES) / 6;
        }
        int n = Math.min(fit, end - i);
        at = escape(data, i, i + n, buffer, at);
        i += n;
      }
    }
    out.write(buffer, 0, at);
    g.writeRaw('"');
  }

  /**
   * Writes {@code json}, one valid JSON value in UTF-8, as the next value, on one line: its line
   * breaks and the whitespace after each are dropped (in valid JSON a line break is never inside a
   * string), everything else is copied as it is. The generator must write UTF-8 to an {@link
   * OutputStream}.
   */
  public static void writeJsonValue(JsonGenerator g, ByteChunks json) throws IOException {
    // Through the generator: the separator before the value, and the count of a value written.
    g.writeRawValue("");
    OutputStream out = drained(g);
    boolean afterLineBreak = false;
    for (int c = 0; c < json.chunkCount(); c++) {
      byte[] data = json.chunk(c);
      int end = json.chunkLength(c);
      int i = 0;
      while (i < end) {
        if (afterLineBreak) {
          while (i < end && Bytes.isJsonWhitespace(data[i])) {
            i++;
          }
          if (i == end) {
            break;
          }
          afterLineBreak = false;
        }
        int lineBreak = Bytes.indexOfLineBreak(data, i, end);
        out.write(data, i, lineBreak - i);
        i = lineBreak;
        afterLineBreak = lineBreak < end;
      }
    }
  }

  /**
   * The generator's target, after what the generator holds was written into it (without flushing
   * the target itself): what is written there next follows in order.
   */
  private static OutputStream drained(JsonGenerator g) throws IOException {
    boolean passFlush = g.isEnabled(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    g.flush();
    g.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, passFlush);
    return (OutputStream) g.getOutputTarget();
  }

  /**
   * Escapes {@code data[from, to)} into {@code buffer} at {@code at}, which has room for six bytes
   * per byte and eight more; its new end. Eight bytes at a time: each word is stored as it is, then
   * the end moves past the bytes before the first one that needs escaping.
   */
  private static int escape(byte[] data, int from, int to, byte[] buffer, int at) {
    int i = from;
    while (i < to) {
      byte b;
      if (i <= to - Long.BYTES) {
        long word = Bytes.word(data, i);
        Bytes.putWord(buffer, at, word);
        long found = needsEscape(word);
        if (found == 0) {
          i += Long.BYTES;
          at += Long.BYTES;
          continue;
        }
        int plain = Long.numberOfTrailingZeros(found) >>> 3;
        i += plain;
        at += plain;
        b = data[i++];
      } else {
        b = data[i++];
        if (b < 0 || ESCAPES[b] == 0) {
          buffer[at++] = b;
          continue;
        }
      }
      byte escape = ESCAPES[b];
      buffer[at++] = '\\';
      buffer[at++] = escape;
      if (escape == 'u') {
        buffer[at++] = '0';
        buffer[at++] = '0';
        buffer[at++] = HEX[b >> 4];
        buffer[at++] = HEX[b & 0xF];
      }
    }
    return at;
  }

  /**
   * The high bit of each byte of {@code word} that JSON escapes: below 0x20, a quote or a
   * backslash.
   */
  private static long needsEscape(long word) {
    long control = ~((word & LOW_SEVEN_BITS) + 0x60 * ONES) & ~word & HIGH_BITS;
    return control | Bytes.zeroBytes(word ^ ('"' * ONES)) | Bytes.zeroBytes(word ^ ('\\' * ONES));
  }
}
