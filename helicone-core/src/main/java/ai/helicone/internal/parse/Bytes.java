package ai.helicone.internal.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Byte scans over captured bodies, for the adapters' cheap checks before parsing (a quoted JSON key
 * cannot occur inside a JSON string, where quotes are escaped), and the hand-over of a body to an
 * incremental parser. Stateless and thread-safe.
 */
public final class Bytes {
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
}
