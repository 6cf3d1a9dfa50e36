package ai.helicone.internal.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import okio.Buffer;

/**
 * The copy of a response body as the caller reads it. A body of known length is copied straight
 * into one array of that size, which becomes the captured body without another copy; a body of
 * unknown length (a stream) goes into okio's pooled segments and is copied out once at the end. Not
 * thread-safe: the recorder guards it.
 */
final class CapturedBytes extends OutputStream {
  private byte[] array;
  private int size;
  private Buffer segments;
  private OutputStream segmentsOut;

  /**
   * @param expectedLength the declared length already capped to the capture limit, or -1
   */
  CapturedBytes(long expectedLength) {
    if (expectedLength >= 0) {
      array = new byte[(int) expectedLength];
    } else {
      segments = new Buffer();
      segmentsOut = segments.outputStream();
    }
  }

  long size() {
    return segments != null ? segments.size() : size;
  }

  /** Copies {@code count} bytes of {@code source} starting at {@code offset}. */
  void copyFrom(Buffer source, long offset, long count) {
    try {
      source.copyTo(segments != null ? segmentsOut : this, offset, count);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (size + len > array.length) {
      // The body is longer than it said; rare enough for a plain copy.
      array = Arrays.copyOf(array, Math.max(size + len, array.length * 2));
    }
    System.arraycopy(b, off, array, size, len);
    size += len;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  /** The captured bytes; call once. */
  byte[] toByteArray() {
    if (segments != null) {
      return segments.readByteArray();
    }
    return size == array.length ? array : Arrays.copyOf(array, size);
  }
}
