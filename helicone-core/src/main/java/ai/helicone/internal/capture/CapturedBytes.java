package ai.helicone.internal.capture;

import ai.helicone.internal.parse.Bytes;
import ai.helicone.internal.record.ByteChunks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okio.Buffer;

/**
 * The copy of a response body as the caller reads it. A body of known length is copied straight
 * into one array of that size; a body of unknown length (a stream) into arrays of its own, which
 * are handed on as they are, never joined. Okio's pooled segments are left to OkHttp: holding them
 * for the length of a stream would empty the pool and make OkHttp's own reads allocate. Each copy
 * is also checked for bytes past ASCII while it is still in the cache: a body of ASCII text, as
 * most JSON and event streams are, then needs no UTF-8 check later, when it would be read again
 * from memory. Not thread-safe: the recorder guards it.
 */
final class CapturedBytes extends OutputStream {
  // Small first, for the short bodies of unknown length; then pieces small enough that the room
  // left unused in the last one costs little.
  private static final int FIRST_CHUNK = 2048;
  private static final int CHUNK = 4096;

  // The pieces already filled, for a body of unknown length; then the one being filled.
  private final List<byte[]> full = new ArrayList<>();
  private byte[] current;
  private int used;
  private long size;
  private boolean ascii = true;
  private final boolean knownLength;

  /**
   * @param expectedLength the declared length already capped to the capture limit, or -1
   */
  CapturedBytes(long expectedLength) {
    knownLength = expectedLength >= 0;
    current = new byte[knownLength ? (int) expectedLength : FIRST_CHUNK];
  }

  long size() {
    return size;
  }

  /** Copies {@code count} bytes of {@code source} starting at {@code offset}. */
  void copyFrom(Buffer source, long offset, long count) {
    try {
      source.copyTo(this, offset, count);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
  }

  @Override
  public void write(byte[] b, int off, int len) {
    size += len;
    while (len > 0) {
      if (used == current.length) {
        nextChunk(len);
      }
      int n = Math.min(len, current.length - used);
      System.arraycopy(b, off, current, used, n);
      if (ascii) {
        ascii = Bytes.indexOfNonAsciiOrNul(current, used, used + n) == used + n;
      }
      used += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  private void nextChunk(int wanted) {
    if (knownLength) {
      // The body is longer than it said; rare enough for a plain copy.
      current = Arrays.copyOf(current, Math.max(used + wanted, current.length * 2));
      return;
    }
    full.add(current);
    current = new byte[CHUNK];
    used = 0;
  }

  /** The captured bytes; call once. */
  ByteChunks toChunks() {
    ByteChunks chunks = pieces();
    return ascii ? chunks.asKnownAscii() : chunks;
  }

  private ByteChunks pieces() {
    if (full.isEmpty()) {
      return ByteChunks.of(current, used);
    }
    int count = full.size() + 1;
    byte[][] arrays = full.toArray(new byte[count][]);
    arrays[count - 1] = current;
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      lengths[i] = arrays[i].length;
    }
    lengths[count - 1] = used;
    return ByteChunks.of(arrays, lengths, count);
  }
}
