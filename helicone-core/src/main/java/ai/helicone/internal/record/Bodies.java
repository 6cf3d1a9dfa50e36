package ai.helicone.internal.record;

import ai.helicone.internal.parse.Bytes;
import ai.helicone.record.CapturedBody;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns captured body bytes into a {@link CapturedBody}: valid JSON is kept as JSON, other UTF-8
 * text as text, and binary or non-UTF-8 content becomes a short placeholder. Never throws.
 */
public final class Bodies {
  private static final JsonFactory JSON = new JsonFactory();

  private Bodies() {}

  /**
   * A short cause for a response body that should have been JSON but could not be parsed, from its
   * first bytes: {@code "binary data instead of JSON"}, {@code "HTML instead of JSON"}, {@code
   * "invalid JSON"} (it starts like JSON) or {@code "text instead of JSON"}. Causes are few and
   * fixed, so that each is logged once rather than once per call.
   */
  public static String whyNotJson(java.io.InputStream body) {
    byte[] head;
    try (body) {
      head = body.readNBytes(512);
    } catch (java.io.IOException e) {
      return "invalid JSON";
    }
    if (utf8(head, true) == null) {
      return "binary data instead of JSON";
    }
    int i = 0;
    while (i < head.length && Character.isWhitespace(head[i])) {
      i++;
    }
    if (i < head.length && head[i] == '<') {
      return "HTML instead of JSON";
    }
    if (i < head.length && (head[i] == '{' || head[i] == '[')) {
      return "invalid JSON";
    }
    return "text instead of JSON";
  }

  /**
   * The readable form of captured bytes, or null when there are none. The pieces are joined; pieces
   * known to be ASCII are not checked for UTF-8, nor are pieces an adapter already read as one JSON
   * value checked for JSON.
   *
   * @param jsonContentType true when the body's content type names JSON ({@link
   *     #isJsonContentType})
   * @param truncated true when the bytes are only the start of the body; such a body is never JSON
   */
  public static CapturedBody of(ByteChunks chunks, boolean jsonContentType, boolean truncated) {
    if (chunks.length() == 0) {
      return null;
    }
    if (!truncated
        && chunks.isKnownJson()
        && startsLikeJson(chunks, jsonContentType)
        && isUtf8Text(chunks)) {
      // Read whole by an adapter: kept as bytes, decoded only if someone asks for the text.
      return RawBodies.decodedWhenAsked(chunks);
    }
    byte[] bytes = chunks.array();
    String text =
        chunks.isKnownAscii()
            ? new String(bytes, StandardCharsets.US_ASCII)
            : utf8(bytes, truncated);
    return of(bytes, text, jsonContentType, truncated, chunks.isKnownJson());
  }

  private static CapturedBody of(
      byte[] bytes, String text, boolean jsonContentType, boolean truncated, boolean knownJson) {
    if (text == null) {
      return CapturedBody.text("[binary body, " + bytes.length + " bytes]");
    }
    if (!truncated && looksLikeJson(text, jsonContentType) && (knownJson || isJson(bytes))) {
      return RawBodies.verifiedJson(text);
    }
    return CapturedBody.text(text);
  }

  /**
   * The bytes as UTF-8 text, or null when they are not valid UTF-8 or contain NUL bytes (binary). A
   * truncated body may end inside a multi-byte character; that partial character is dropped.
   */
  public static String utf8(byte[] bytes, boolean truncated) {
    int length = truncated ? completeUtf8Prefix(bytes) : bytes.length;
    return isUtf8Text(bytes, length) ? new String(bytes, 0, length, StandardCharsets.UTF_8) : null;
  }

  /**
   * True when the first {@code length} bytes are valid UTF-8 (no overlong forms, surrogates or code
   * points past U+10FFFF) without NUL bytes: text that decodes without replacement characters.
   */
  public static boolean isUtf8Text(byte[] bytes, int length) {
    return isUtf8Text(bytes, 0, length);
  }

  /**
   * The same for bytes held in pieces: a character may be split between two of them. Only a
   * character split that way is copied, into a few bytes of its own.
   */
  public static boolean isUtf8Text(ByteChunks bytes) {
    if (bytes.isKnownAscii()) {
      return true;
    }
    Utf8Check check = new Utf8Check();
    bytes.forEach(check);
    return check.valid && check.splitLength == 0;
  }

  /** Checks pieces in order, carrying a character split between two of them. */
  private static final class Utf8Check implements Bytes.Sink {
    private final byte[] split = new byte[4];
    private int splitLength;
    private boolean valid = true;

    @Override
    public void accept(byte[] buf, int off, int len) {
      if (!valid) {
        return;
      }
      int start = off;
      int end = off + len;
      if (splitLength > 0) {
        int whole = sequenceLength(split[0]);
        int take = Math.min(whole - splitLength, len);
        System.arraycopy(buf, off, split, splitLength, take);
        splitLength += take;
        start += take;
        if (splitLength < whole) {
          return; // a piece shorter than the rest of the character
        }
        valid = isUtf8Text(split, 0, whole);
        splitLength = 0;
      }
      int complete = start + completeUtf8Prefix(buf, start, end);
      valid = valid && isUtf8Text(buf, start, complete);
      splitLength = end - complete;
      System.arraycopy(buf, complete, split, 0, splitLength);
    }
  }

  /** The length of the character a lead byte starts, as {@link #completeUtf8Prefix} counts it. */
  private static int sequenceLength(byte lead) {
    int b = lead & 0xff;
    return b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  }

  private static boolean isUtf8Text(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      i = Bytes.indexOfNonAsciiOrNul(bytes, i, to);
      if (i == to) {
        return true;
      }
      int b = bytes[i];
      if (b == 0) {
        return false;
      }
      int lead = b & 0xff;
      int needed;
      int min;
      if (lead >= 0xc2 && lead <= 0xdf) {
        needed = 1;
        min = 0x80;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        needed = 2;
        min = 0x800;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        needed = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + needed >= to) {
        return false;
      }
      int cp = lead & (0x3f >> needed);
      for (int k = 1; k <= needed; k++) {
        int c = bytes[i + k] & 0xff;
        if ((c & 0xc0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return false;
      }
      i += needed + 1;
    }
    return true;
  }

  /** The length of {@code bytes} without a multi-byte character cut off at the end. */
  public static int completeUtf8Prefix(byte[] bytes) {
    return completeUtf8Prefix(bytes, 0, bytes.length);
  }

  /** The same for bytes held in pieces. */
  public static int completeUtf8Prefix(ByteChunks bytes) {
    int n = bytes.length();
    byte[] tail = new byte[Math.min(3, n)];
    for (int i = 0; i < tail.length; i++) {
      tail[i] = bytes.byteAt(n - tail.length + i);
    }
    return n - tail.length + completeUtf8Prefix(tail);
  }

  /** The length of {@code bytes[from, to)} without a multi-byte character cut off at its end. */
  private static int completeUtf8Prefix(byte[] bytes, int from, int to) {
    int n = to - from;
    for (int back = 1; back <= 3 && back <= n; back++) {
      byte b = bytes[to - back];
      if ((b & 0xc0) == 0x80) {
        continue; // a continuation byte: keep looking for the lead byte
      }
      return sequenceLength(b) > back ? n - back : n;
    }
    return n;
  }

  /**
   * {@link #looksLikeJson} for bytes known to be one JSON value, whose leading whitespace can only
   * be JSON's.
   */
  private static boolean startsLikeJson(ByteChunks json, boolean jsonContentType) {
    if (jsonContentType) {
      return true;
    }
    for (int i = 0; i < json.length(); i++) {
      byte b = json.byteAt(i);
      if (!Bytes.isJsonWhitespace(b)) {
        return b == '{' || b == '[';
      }
    }
    return false;
  }

  /** True when a content type names JSON ({@code application/json}, {@code +json}, ...). */
  public static boolean isJsonContentType(String contentType) {
    if (contentType == null) {
      return false;
    }
    for (int i = 0, last = contentType.length() - 4; i <= last; i++) {
      if (contentType.regionMatches(true, i, "json", 0, 4)) {
        return true;
      }
    }
    return false;
  }

  private static boolean looksLikeJson(String text, boolean jsonContentType) {
    if (jsonContentType) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  /** True when {@code text} is exactly one complete JSON value. */
  public static boolean isJson(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      return isOneValue(p);
    } catch (IOException e) {
      return false;
    }
  }

  /** The same for UTF-8 bytes: read in place, faster than through their decoded text. */
  static boolean isJson(byte[] utf8) {
    try (JsonParser p = JSON.createParser(utf8)) {
      return isOneValue(p);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isOneValue(JsonParser p) throws IOException {
    if (p.nextToken() == null) {
      return false;
    }
    p.skipChildren();
    return p.nextToken() == null;
  }
}
