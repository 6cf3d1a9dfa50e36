package ai.helicone.gemini.internal;

import java.util.Arrays;

/**
 * Finds the elements of a JSON array as its bytes arrive, for Gemini's streamed answer without
 * {@code alt=sse}: one JSON array whose elements (response chunks) are written as they are
 * generated. Bytes may be fed in pieces split anywhere; each complete top-level element is reported
 * with the absolute offset of its last byte, from which on a client could parse it. A body that is
 * a single JSON object rather than an array is reported as one element. Only strings, escapes and
 * nesting are tracked: the elements themselves are parsed by the listener. Not thread-safe.
 */
public final class JsonArraySplitter {

  /** Receives the elements, in order. */
  public interface Listener {
    /**
     * One element.
     *
     * @param buf holds the element in {@code [off, off + len)}, valid only during the call
     * @param endOffset the absolute offset of the element's last byte
     * @param complete false for an element cut short by the end of the stream
     */
    void onElement(byte[] buf, int off, int len, long endOffset, boolean complete);
  }

  private final Listener listener;
  private byte[] pending = new byte[1024];
  private int pendingLength;
  private long offset;
  private boolean started;
  private boolean topLevelObject;
  private boolean ended;
  private int depth;
  private boolean inString;
  private boolean escape;

  public JsonArraySplitter(Listener listener) {
    this.listener = listener;
  }

  /** Feeds the next bytes of the body. */
  public void feed(byte[] buf, int off, int len) {
    int end = off + len;
    // Where the element in progress starts in this buffer; -1 when it began in an earlier one.
    int elementStart = depth > 0 ? -1 : off;
    for (int i = off; i < end; i++) {
      byte b = buf[i];
      if (depth == 0) {
        if (ended) {
          continue;
        }
        if (!started) {
          if (b == '[') {
            started = true;
          } else if (b == '{') {
            started = true;
            topLevelObject = true;
            depth = 1;
            elementStart = i;
          }
        } else if (b == '{' || b == '[') {
          depth = 1;
          elementStart = i;
        } else if (b == ']') {
          ended = true;
        }
        // Whitespace, commas and anything unexpected between elements are skipped.
        continue;
      }
      if (inString) {
        if (escape) {
          escape = false;
          continue;
        }
        // Most of an element is string content: run to the next quote or backslash.
        int j = i;
        while (j < end && buf[j] != '"' && buf[j] != '\\') {
          j++;
        }
        if (j == end) {
          i = end - 1;
        } else {
          i = j;
          if (buf[j] == '\\') {
            escape = true;
          } else {
            inString = false;
          }
        }
        continue;
      }
      switch (b) {
        case '"' -> inString = true;
        case '{', '[' -> depth++;
        case '}', ']' -> {
          if (--depth == 0) {
            long endOffset = offset + (i - off);
            if (elementStart >= 0) {
              listener.onElement(buf, elementStart, i + 1 - elementStart, endOffset, true);
            } else {
              append(buf, off, i + 1 - off);
              listener.onElement(pending, 0, pendingLength, endOffset, true);
            }
            pendingLength = 0;
            if (topLevelObject) {
              ended = true;
            }
          }
        }
        default -> {}
      }
    }
    if (depth > 0) {
      if (elementStart >= 0) {
        append(buf, elementStart, end - elementStart);
      } else {
        append(buf, off, len);
      }
    }
    offset += len;
  }

  /** Ends the body: an element cut short is reported as incomplete. */
  public void finish() {
    if (depth > 0 && pendingLength > 0) {
      listener.onElement(pending, 0, pendingLength, offset - 1, false);
    }
    pendingLength = 0;
    depth = 0;
  }

  /** The number of bytes fed so far. */
  public long offset() {
    return offset;
  }

  private void append(byte[] buf, int off, int len) {
    if (pendingLength + len > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + len));
    }
    System.arraycopy(buf, off, pending, pendingLength, len);
    pendingLength += len;
  }
}
