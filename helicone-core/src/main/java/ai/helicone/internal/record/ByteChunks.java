package ai.helicone.internal.record;

import ai.helicone.internal.parse.Bytes;
import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Captured bytes held as the pieces they were captured in. A stream of unknown length is kept in
 * the arrays it was copied into as the caller read it, so that it is never joined into one array
 * unless someone asks for one. The arrays are shared, never changed. Immutable and thread-safe.
 */
public final class ByteChunks {
  public static final ByteChunks EMPTY = new ByteChunks(new byte[0][], new int[0], 0, true);

  private final byte[][] chunks;
  // lengths[i] is the number of bytes used at the start of chunks[i].
  private final int[] lengths;
  private final int length;
  // True when whoever made the pieces saw only ASCII bytes other than NUL, which is UTF-8 text.
  private final boolean knownAscii;
  // Set once a parser read the bytes as exactly one JSON value: a fact about immutable bytes,
  // remembered so that the record does not parse them again to embed them.
  private volatile boolean knownJson;

  private ByteChunks(byte[][] chunks, int[] lengths, int length, boolean knownAscii) {
    this.chunks = chunks;
    this.lengths = lengths;
    this.length = length;
    this.knownAscii = knownAscii;
  }

  /** The whole array, used as is. */
  public static ByteChunks of(byte[] array) {
    return of(array, array.length);
  }

  /**
   * The whole array, used as is, and marked {@link #asKnownAscii() ASCII} when it is: checked by
   * the thread that has just written it, while it is still in that core's cache.
   */
  public static ByteChunks ofChecked(byte[] array) {
    ByteChunks bytes = of(array);
    return Bytes.indexOfNonAsciiOrNul(array, 0, array.length) == array.length
        ? bytes.asKnownAscii()
        : bytes;
  }

  /** The first {@code length} bytes of the array, used as is. */
  public static ByteChunks of(byte[] array, int length) {
    Objects.checkFromIndexSize(0, length, array.length);
    return length == 0
        ? EMPTY
        : new ByteChunks(new byte[][] {array}, new int[] {length}, length, false);
  }

  /**
   * The first {@code count} arrays, of which the first {@code lengths[i]} bytes each are used; the
   * arrays are used as they are. Empty pieces are allowed.
   */
  public static ByteChunks of(byte[][] arrays, int[] lengths, int count) {
    byte[][] chunks = Arrays.copyOf(arrays, count);
    int[] used = Arrays.copyOf(lengths, count);
    long total = 0;
    for (int i = 0; i < count; i++) {
      Objects.checkFromIndexSize(0, used[i], chunks[i].length);
      total += used[i];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("more than 2 GiB of bytes");
    }
    return total == 0 ? EMPTY : new ByteChunks(chunks, used, (int) total, false);
  }

  public int length() {
    return length;
  }

  /**
   * The same pieces, marked as holding only ASCII bytes other than NUL: the caller has checked
   * them, as the capture does while the bytes it copies are at hand.
   */
  public ByteChunks asKnownAscii() {
    return knownAscii || this == EMPTY ? this : new ByteChunks(chunks, lengths, length, true);
  }

  /**
   * True when the pieces were marked as holding only ASCII bytes other than NUL; false says
   * nothing.
   */
  public boolean isKnownAscii() {
    return knownAscii;
  }

  /** The number of pieces. */
  public int chunkCount() {
    return chunks.length;
  }

  /** Piece {@code i}, in place: its first {@link #chunkLength} bytes are used. */
  public byte[] chunk(int i) {
    return chunks[i];
  }

  /** The number of bytes used at the start of piece {@code i}. */
  public int chunkLength(int i) {
    return lengths[i];
  }

  /** Hands each piece to {@code sink} in order, in place. */
  public void forEach(Bytes.Sink sink) {
    for (int i = 0; i < chunks.length; i++) {
      if (lengths[i] > 0) {
        sink.accept(chunks[i], 0, lengths[i]);
      }
    }
  }

  /** The byte at {@code index}. */
  public byte byteAt(int index) {
    Objects.checkIndex(index, length);
    int i = 0;
    int at = index;
    while (at >= lengths[i]) {
      at -= lengths[i];
      i++;
    }
    return chunks[i][at];
  }

  /** The first {@code n} bytes, sharing these arrays. */
  public ByteChunks prefix(int n) {
    Objects.checkFromIndexSize(0, n, length);
    if (n == length) {
      return this;
    }
    if (n == 0) {
      return EMPTY;
    }
    int count = 0;
    int left = n;
    int[] used = new int[chunks.length];
    while (left > 0) {
      used[count] = Math.min(left, lengths[count]);
      left -= used[count];
      count++;
    }
    return new ByteChunks(Arrays.copyOf(chunks, count), Arrays.copyOf(used, count), n, knownAscii);
  }

  /**
   * All the bytes in one array: the held array itself when there is exactly one that is used whole,
   * so never change the result.
   */
  public byte[] array() {
    if (chunks.length == 1 && lengths[0] == chunks[0].length) {
      return chunks[0];
    }
    return copy();
  }

  /** A new array with all the bytes. */
  public byte[] copy() {
    byte[] all = new byte[length];
    int at = 0;
    for (int i = 0; i < chunks.length; i++) {
      System.arraycopy(chunks[i], 0, all, at, lengths[i]);
      at += lengths[i];
    }
    return all;
  }

  /** The bytes decoded as UTF-8. */
  public String utf8() {
    if (chunks.length == 1) {
      return new String(chunks[0], 0, lengths[0], StandardCharsets.UTF_8);
    }
    return new String(copy(), StandardCharsets.UTF_8);
  }

  /**
   * A stream over the bytes. Its {@code transferTo} writes each piece in place, so that an
   * incremental parser fed through {@link Bytes#transfer} reads without a copy.
   */
  public InputStream inputStream() {
    return new ChunkStream();
  }

  /**
   * True when a parser read the bytes, through {@link #inputStream()}, as exactly one JSON value
   * ({@link Json#noteWholeValue}).
   */
  public boolean isKnownJson() {
    return knownJson;
  }

  private final class ChunkStream extends InputStream implements Json.ValueSource {
    private int chunk;
    private int pos;

    @Override
    public void readAsOneValue() {
      // Never the shared empty instance: no bytes are no JSON value.
      if (length > 0) {
        knownJson = true;
      }
    }

    @Override
    public JsonParser parserInPlace(JsonFactory factory) throws IOException {
      if (!ready() || chunk != chunks.length - 1) {
        return null;
      }
      int from = pos;
      pos = lengths[chunk];
      return factory.createParser(chunks[chunk], from, pos - from);
    }

    /** Moves past used-up pieces; false at the end. */
    private boolean ready() {
      while (chunk < chunks.length && pos >= lengths[chunk]) {
        chunk++;
        pos = 0;
      }
      return chunk < chunks.length;
    }

    @Override
    public int read() {
      return ready() ? chunks[chunk][pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      int done = 0;
      while (done < len && ready()) {
        int n = Math.min(len - done, lengths[chunk] - pos);
        System.arraycopy(chunks[chunk], pos, b, off + done, n);
        pos += n;
        done += n;
      }
      return done == 0 ? -1 : done;
    }

    @Override
    public long skip(long n) {
      long skipped = 0;
      while (skipped < n && ready()) {
        int step = (int) Math.min(n - skipped, lengths[chunk] - pos);
        pos += step;
        skipped += step;
      }
      return skipped;
    }

    @Override
    public int available() {
      long left = 0;
      for (int i = chunk; i < chunks.length; i++) {
        left += lengths[i] - (i == chunk ? pos : 0);
      }
      return (int) Math.min(left, Integer.MAX_VALUE);
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
      long sent = 0;
      while (ready()) {
        int n = lengths[chunk] - pos;
        out.write(chunks[chunk], pos, n);
        pos += n;
        sent += n;
      }
      return sent;
    }
  }
}
