package ai.helicone.internal.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental server-sent-events parser: bytes may be fed in pieces split anywhere, lines end
 * with {@code \n}, {@code \r\n} or {@code \r}, several {@code data:} lines join with {@code \n},
 * {@code event:} names the next event, lines starting with {@code :} are comments. Each event is
 * reported with the absolute offset of the line break that completed its last {@code data:} line:
 * from that byte on, a client has the whole payload. Not thread-safe.
 */
public final class SseParser {

  /** Receives the events of a stream, in order. */
  public interface Listener {
    /**
     * One event.
     *
     * @param event the {@code event:} name, or null
     * @param data the data buffer; only {@code [0, length)} is valid and only during the call
     * @param length the number of data bytes
     * @param dataEndOffset the absolute offset of the byte that completed the event's data
     */
    void onEvent(String event, byte[] data, int length, long dataEndOffset);

    /** False when the listener ignores {@code event:} names: they are then never decoded. */
    default boolean readsEventNames() {
      return true;
    }

    /**
     * Lets the listener take a whole event straight from the fed bytes, which the parser then
     * neither scans for line breaks nor copies: one {@code data: } line and the blank line after
     * it, both ending with {@code \n}, taken exactly as {@link #onEvent} would have received it.
     * Called at the start of a line when no event is pending and the line starts in {@code
     * buf[from, end)}.
     *
     * @param offset the absolute offset of {@code buf[from]}
     * @return the number of bytes of the event taken, through its blank line, or 0 to leave them to
     *     the parser
     */
    default int takeEvent(byte[] buf, int from, int end, long offset) {
      return 0;
    }
  }

  private final Listener listener;
  private byte[] line = new byte[256];
  private int lineLength;
  private byte[] data = new byte[1024];
  private int dataLength;
  private boolean hasData;
  private String eventName;
  // The last name decoded: streams repeat a few names, so most events reuse a String.
  private String lastEventName;
  private byte[] lastEventNameBytes = new byte[0];
  private long dataEndOffset;
  private long offset;
  private boolean skipLineFeed;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  /** The number of bytes fed so far. */
  public long offset() {
    return offset;
  }

  /**
   * Feeds everything {@code in} holds, then {@link #finish() ends} the stream. A captured body's
   * stream hands its arrays over in place, without a copy.
   */
  public void feedAll(InputStream in) throws IOException {
    Bytes.transfer(in, this::feed);
    finish();
  }

  /** Feeds the next bytes of the stream. */
  public void feed(byte[] buf, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end) {
      if (skipLineFeed) {
        skipLineFeed = false;
        if (buf[i] == '\n') {
          i++;
          offset++;
          continue;
        }
      }
      if (lineLength == 0 && !hasData && eventName == null) {
        int taken = listener.takeEvent(buf, i, end, offset);
        if (taken > 0) {
          i += taken;
          offset += taken;
          continue;
        }
      }
      int j = Bytes.indexOfLineBreak(buf, i, end);
      if (j == end) {
        appendToLine(buf, i, j - i);
        offset += j - i;
        return;
      }
      long terminator = offset + (j - i);
      if (lineLength == 0) {
        // The whole line is in this buffer: no copy.
        processLine(buf, i, j - i, terminator);
      } else {
        appendToLine(buf, i, j - i);
        processLine(line, 0, lineLength, terminator);
        lineLength = 0;
      }
      skipLineFeed = buf[j] == '\r';
      offset = terminator + 1;
      i = j + 1;
    }
  }

  /**
   * Ends the stream. Unlike a browser, delivers an event whose closing blank line (or even whose
   * last line break) never came, so that a cut stream still yields its last complete chunk; a
   * payload cut in the middle simply fails to parse as JSON downstream.
   */
  public void finish() {
    if (lineLength > 0) {
      processLine(line, 0, lineLength, offset - 1);
      lineLength = 0;
    }
    dispatch();
  }

  private void appendToLine(byte[] buf, int off, int len) {
    if (len == 0) {
      return;
    }
    if (lineLength + len > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + len));
    }
    System.arraycopy(buf, off, line, lineLength, len);
    lineLength += len;
  }

  private void processLine(byte[] b, int off, int len, long terminatorOffset) {
    if (len == 0) {
      dispatch();
      return;
    }
    if (b[off] == ':') {
      return;
    }
    int colon = -1;
    for (int k = off; k < off + len; k++) {
      if (b[k] == ':') {
        colon = k;
        break;
      }
    }
    int nameEnd = colon < 0 ? off + len : colon;
    int valueStart = colon < 0 ? off + len : colon + 1;
    if (valueStart < off + len && b[valueStart] == ' ') {
      valueStart++;
    }
    int valueLength = off + len - valueStart;
    if (is(b, off, nameEnd, DATA)) {
      if (hasData) {
        appendToData(NEWLINE, 0, 1);
      }
      appendToData(b, valueStart, valueLength);
      hasData = true;
      dataEndOffset = terminatorOffset;
    } else if (is(b, off, nameEnd, EVENT) && listener.readsEventNames()) {
      eventName = eventName(b, valueStart, valueLength);
    }
  }

  private String eventName(byte[] b, int start, int length) {
    if (lastEventName != null
        && Arrays.equals(
            b, start, start + length, lastEventNameBytes, 0, lastEventNameBytes.length)) {
      return lastEventName;
    }
    lastEventNameBytes = Arrays.copyOfRange(b, start, start + length);
    lastEventName = new String(lastEventNameBytes, StandardCharsets.UTF_8);
    return lastEventName;
  }

  private static final byte[] DATA = {'d', 'a', 't', 'a'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};
  private static final byte[] NEWLINE = {'\n'};

  private static boolean is(byte[] b, int from, int to, byte[] name) {
    if (to - from != name.length) {
      return false;
    }
    for (int k = 0; k < name.length; k++) {
      if (b[from + k] != name[k]) {
        return false;
      }
    }
    return true;
  }

  private void appendToData(byte[] b, int off, int len) {
    if (dataLength + len > data.length) {
      data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + len));
    }
    System.arraycopy(b, off, data, dataLength, len);
    dataLength += len;
  }

  private void dispatch() {
    if (hasData) {
      listener.onEvent(eventName, data, dataLength, dataEndOffset);
    }
    hasData = false;
    dataLength = 0;
    eventName = null;
  }
}
