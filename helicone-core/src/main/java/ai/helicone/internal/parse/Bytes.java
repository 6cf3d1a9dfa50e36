package ai.helicone.internal.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte scans over captured bodies, for the adapters' cheap checks before parsing (a quoted JSON key
 * cannot occur inside a JSON string, where quotes are escaped), and the hand-over of a body to an
 * incremental parser. Stateless and thread-safe.
 */
public final class Bytes {
  // Scans read eight bytes at a time: a captured stream is scanned whole several times per record.
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL;
  private static final long CARRIAGE_RETURNS = 0x0D0D0D0D0D0D0D0DL;

  private Bytes() {}

  /** Takes bytes in pieces, as an incremental parser does. */
  @FunctionalInterface
  public interface Sink {
    void accept(byte[] buf, int off, int len);
  }

  /**
   * Hands everything {@code in} holds to {@code sink}. A captured body's stream (or a {@link
   * java.io.ByteArrayInputStream}) passes its arrays in place, without a copy.
   */
  public static void transfer(InputStream in, Sink sink) throws IOException {
    in.transferTo(
        new OutputStream() {
          @Override
          public void write(int b) {
            sink.accept(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            sink.accept(b, off, len);
          }
        });
  }

  /** The first index of {@code key} in {@code data[from, length)}, or -1. */
  public static int indexOf(byte[] data, int from, int length, byte[] key) {
    byte first = key[0];
    for (int i = from, last = length - key.length; i <= last; i++) {
      if (data[i] != first) {
        continue;
      }
      int k = 1;
      while (k < key.length && data[i + k] == key[k]) {
        k++;
      }
      if (k == key.length) {
        return i;
      }
    }
    return -1;
  }

  /** True when {@code key} occurs at {@code data[at]}, within {@code data[.., end)}. */
  public static boolean startsWith(byte[] data, int at, int end, byte[] key) {
    if (at + key.length > end) {
      return false;
    }
    for (int k = 0; k < key.length; k++) {
      if (data[at + k] != key[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Which of {@code quotedKeys} occur in {@code data[from, end)}, in one pass: bit {@code i} of the
   * result is set when {@code quotedKeys[i]} does. Each key starts with a quote (a quoted JSON name
   * or value of at least one character); at most 32 keys.
   */
  public static int quotedKeysIn(byte[] data, int from, int end, byte[][] quotedKeys) {
    int all = quotedKeys.length == 32 ? -1 : (1 << quotedKeys.length) - 1;
    int found = 0;
    for (int i = from; i < end - 1 && found != all; i++) {
      if (data[i] != '"') {
        continue;
      }
      byte next = data[i + 1];
      for (int k = 0; k < quotedKeys.length; k++) {
        byte[] key = quotedKeys[k];
        if ((found & (1 << k)) == 0 && key[1] == next && startsWith(data, i, end, key)) {
          found |= 1 << k;
        }
      }
    }
    return found;
  }

  /** True for the four bytes JSON allows as whitespace between tokens. */
  public static boolean isJsonWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /**
   * The index of the first {@code \n} or {@code \r} in {@code data[from, to)}, or {@code to} when
   * there is none.
   */
  public static int indexOfLineBreak(byte[] data, int from, int to) {
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      long word = word(data, i);
      long found = zeroBytes(word ^ LINE_FEEDS) | zeroBytes(word ^ CARRIAGE_RETURNS);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (data[i] == '\n' || data[i] == '\r') {
        return i;
      }
    }
    return to;
  }

  /**
   * The index of the first byte of {@code data[from, to)} that is not ASCII or is NUL, or {@code
   * to} when there is none.
   */
  public static int indexOfNonAsciiOrNul(byte[] data, int from, int to) {
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      long word = word(data, i);
      long found = (word & HIGH_BITS) | zeroBytes(word);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to && data[i] > 0; i++) {}
    return i;
  }

  /** The eight bytes at {@code data[at]}, the first in the lowest bits. */
  public static long word(byte[] data, int at) {
    return (long) LONGS.get(data, at);
  }

  /** Stores {@code word} as the eight bytes at {@code data[at]}, the lowest bits first. */
  public static void putWord(byte[] data, int at, long word) {
    LONGS.set(data, at, word);
  }

  /**
   * The high bit of each byte of {@code word} that is zero, and no other bit: its lowest set bit
   * marks the first such byte, as read by {@link #word}.
   */
  public static long zeroBytes(long word) {
    return ~(((word & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | word | LOW_SEVEN_BITS);
  }
}
