package ai.helicone.internal.parse;

import com.fasterxml.jackson.core.JsonParser;
import java.util.Arrays;

/**
 * The last stream chunk whose only effect was to append one string to the message, kept as a
 * pattern. A stream repeats such chunks hundreds of times with only that string changed (and
 * sometimes a padding string beside it). A chunk that equals the pattern byte for byte outside its
 * string values (the pattern's "holes") has, as JSON, the same meaning with its own strings; so it
 * can be applied without a JSON parser: its content string is decoded into the message, the other
 * holes are ignored. Anything else, including a string this class does not decode exactly as
 * Jackson does, is left to the parser.
 *
 * <p>A listener records a candidate while it parses a chunk: {@link #begin}, then {@link
 * #contentHole} and {@link #ignoredHole} at the opening quotes of those strings, {@link #reject} on
 * any other effect, and {@link #commit} once the chunk was read whole. Not thread-safe.
 */
public final class ChunkTemplate {
  private static final int MAX_HOLES = 8;

  private byte[] pattern = new byte[0];
  private int patternLength;
  // Offsets in the pattern of each hole's opening quote and of the byte after its closing quote.
  private final int[] holeStarts = new int[MAX_HOLES];
  private final int[] holeEnds = new int[MAX_HOLES];
  private int holes;
  private int contentHoleIndex = -1;
  // True when the pattern holds no line break, so that it can be matched in the raw stream, where
  // a line break would end the event's data line.
  private boolean oneLine;
  // Where the content of the chunk last matched lies.
  private int matchedContentStart;
  private int matchedContentEnd;

  // The candidate being recorded, and its bytes (borrowed until it is committed).
  private byte[] candidate;
  private int candidateLength;
  private final int[] candidateStarts = new int[MAX_HOLES];
  private int candidateHoles;
  private int candidateContent = -1;
  private boolean candidateRejected;
  private long nextHoleAt = -1;

  /** Starts recording the chunk in {@code data[0, length)}, about to be parsed. */
  public void begin(byte[] data, int length) {
    candidate = data;
    candidateLength = length;
    candidateHoles = 0;
    candidateContent = -1;
    candidateRejected = false;
    nextHoleAt = -1;
  }

  /**
   * For a value the listener reads from a tree, whose parser knows no byte offsets: when the chunk
   * has exactly {@code prefix} at {@code offset}, ending with an opening quote, the next hole is
   * that string; otherwise the chunk cannot be a pattern.
   */
  public void nextHoleAfter(long offset, byte[] prefix) {
    if (offset >= 0
        && offset < candidateLength
        && Bytes.startsWith(candidate, (int) offset, candidateLength, prefix)) {
      nextHoleAt = offset + prefix.length - 1;
    } else {
      candidateRejected = true;
    }
  }

  /** The parser's current token, a string, is the chunk's one piece of content. */
  public void contentHole(JsonParser p) {
    if (candidateContent >= 0) {
      candidateRejected = true; // a second piece of content: not a repeatable shape
      return;
    }
    candidateContent = candidateHoles;
    hole(p);
  }

  /** The parser's current token, a string, is a value the listener ignores. */
  public void ignoredHole(JsonParser p) {
    hole(p);
  }

  private void hole(JsonParser p) {
    if (candidateHoles == MAX_HOLES) {
      candidateRejected = true;
      return;
    }
    long at = nextHoleAt >= 0 ? nextHoleAt : p.currentTokenLocation().getByteOffset();
    nextHoleAt = -1;
    if (at < 0 || at > Integer.MAX_VALUE) {
      candidateRejected = true;
      return;
    }
    candidateStarts[candidateHoles++] = (int) at;
  }

  /** The chunk has an effect other than appending its content: it cannot be a pattern. */
  public void reject() {
    candidateRejected = true;
  }

  /**
   * The chunk given to {@link #begin} was parsed whole: it becomes the pattern when it qualifies.
   *
   * @return true when it did
   */
  public boolean commit() {
    byte[] data = candidate;
    int length = candidateLength;
    candidate = null;
    if (candidateRejected || candidateContent < 0) {
      return false;
    }
    int[] ends = new int[candidateHoles];
    for (int h = 0; h < candidateHoles; h++) {
      int start = candidateStarts[h];
      if (start >= length || data[start] != '"' || (h > 0 && start < ends[h - 1])) {
        return false; // offsets that do not point at strings: keep the old pattern
      }
      int close = closingQuote(data, start + 1, length);
      if (close < 0) {
        return false;
      }
      ends[h] = close + 1;
    }
    if (pattern.length < length) {
      pattern = new byte[Math.max(length, pattern.length * 2)];
    }
    System.arraycopy(data, 0, pattern, 0, length);
    patternLength = length;
    oneLine = Bytes.indexOfLineBreak(data, 0, length) == length;
    System.arraycopy(candidateStarts, 0, holeStarts, 0, candidateHoles);
    System.arraycopy(ends, 0, holeEnds, 0, candidateHoles);
    holes = candidateHoles;
    contentHoleIndex = candidateContent;
    return true;
  }

  /**
   * Applies a chunk that matches the pattern.
   *
   * @param content receives the chunk's decoded content string
   * @return the number of content characters, or -1 when the chunk does not match (nothing is then
   *     appended)
   */
  public int apply(byte[] data, int length, StringBuilder content) {
    return match(data, 0, length) == length ? appendContent(data, content) : -1;
  }

  /**
   * Matches the pattern against the start of {@code data[from, limit)}, the raw stream right after
   * a {@code data: } field name, where the chunk's end is not known yet: the pattern fixes it.
   *
   * @return the index after the matched chunk, or -1 when it does not match or the pattern holds a
   *     line break; after a match, {@link #appendContent} decodes its content
   */
  public int matchInStream(byte[] data, int from, int limit) {
    return oneLine ? match(data, from, limit) : -1;
  }

  /**
   * Decodes the content of the chunk last matched in {@code data} into {@code content}.
   *
   * @return the number of content characters, or -1 when the content is not a string Jackson would
   *     read the same (nothing is then appended)
   */
  public int appendContent(byte[] data, StringBuilder content) {
    return JsonStrings.decode(data, matchedContentStart, matchedContentEnd, content);
  }

  /** The index after the chunk that matches the pattern from {@code from} on, or -1. */
  private int match(byte[] data, int from, int limit) {
    if (holes == 0) {
      return -1; // no pattern yet: a committed one has its content hole
    }
    int p = 0;
    int d = from;
    for (int h = 0; h < holes; h++) {
      int literal = holeStarts[h] + 1 - p; // up to and including the opening quote
      if (d + literal > limit || !Arrays.equals(pattern, p, p + literal, data, d, d + literal)) {
        return -1;
      }
      d += literal;
      int close = closingQuote(data, d, limit);
      if (close < 0) {
        return -1;
      }
      if (h == contentHoleIndex) {
        matchedContentStart = d;
        matchedContentEnd = close;
      } else if (JsonStrings.decode(data, d, close, null) < 0) {
        return -1; // the parser would refuse the chunk, although it ignores this value
      }
      d = close + 1;
      p = holeEnds[h];
    }
    int rest = patternLength - p;
    if (d + rest > limit || !Arrays.equals(pattern, p, patternLength, data, d, d + rest)) {
      return -1;
    }
    return d + rest;
  }

  /** The index of the quote that closes a JSON string whose text starts at {@code from}, or -1. */
  private static int closingQuote(byte[] data, int from, int end) {
    for (int i = from; i < end; i++) {
      byte b = data[i];
      if (b == '"') {
        return i;
      }
      if (b == '\\') {
        i++;
      }
    }
    return -1;
  }
}
