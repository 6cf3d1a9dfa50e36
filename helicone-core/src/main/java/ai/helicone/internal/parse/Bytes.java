package ai.helicone.internal.parse;

/**
 * Byte scans over captured bodies, for the adapters' cheap checks before parsing (a quoted JSON key
 * cannot occur inside a JSON string, where quotes are escaped). Stateless and thread-safe.
 */
public final class Bytes {
  private Bytes() {}

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
}
