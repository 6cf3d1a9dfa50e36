package ai.helicone.internal.parse;

/**
 * Decodes the text of a JSON string from UTF-8 bytes, only where the result is certain to be what
 * Jackson's parser gives: well-formed UTF-8, the standard escapes, no raw control characters.
 * Anything else is refused, so that the caller lets the parser decide. Stateless and thread-safe.
 */
final class JsonStrings {
  private JsonStrings() {}

  /**
   * Appends the text of the string whose bytes between the quotes are {@code data[from, to)}.
   *
   * @param out receives the text; null to check the string only
   * @return the number of characters of the text, or -1 when refused ({@code out} is then
   *     unchanged)
   */
  static int decode(byte[] data, int from, int to, StringBuilder out) {
    int before = out == null ? 0 : out.length();
    int chars = 0;
    int i = from;
    while (i < to) {
      int b = data[i] & 0xFF;
      int next;
      if (b >= 0x20 && b < 0x80 && b != '\\') {
        if (out != null) {
          out.append((char) b);
        }
        next = i + 1;
        chars++;
      } else if (b == '\\') {
        next = escape(data, i + 1, to, out);
        chars++;
      } else if (b >= 0x80) {
        next = multiByte(data, i, to, out);
        chars += next - i == 4 ? 2 : 1; // past U+FFFF, a surrogate pair
      } else {
        next = -1; // a raw control character: Jackson refuses it
      }
      if (next < 0) {
        if (out != null) {
          out.setLength(before);
        }
        return -1;
      }
      i = next;
    }
    return chars;
  }

  /**
   * Decodes the escape whose letter is at {@code at} into {@code out} (if not null); the index
   * after it, or -1.
   */
  private static int escape(byte[] data, int at, int to, StringBuilder out) {
    if (at >= to) {
      return -1;
    }
    char c;
    switch (data[at]) {
      case '"' -> c = '"';
      case '\\' -> c = '\\';
      case '/' -> c = '/';
      case 'b' -> c = '\b';
      case 'f' -> c = '\f';
      case 'n' -> c = '\n';
      case 'r' -> c = '\r';
      case 't' -> c = '\t';
      case 'u' -> {
        if (at + 4 >= to) {
          return -1;
        }
        int value = 0;
        for (int k = 1; k <= 4; k++) {
          int digit = Character.digit(data[at + k], 16);
          if (digit < 0) {
            return -1;
          }
          value = value << 4 | digit;
        }
        if (out != null) {
          out.append((char) value);
        }
        return at + 5;
      }
      default -> {
        return -1;
      }
    }
    if (out != null) {
      out.append(c);
    }
    return at + 1;
  }

  /**
   * Decodes one well-formed UTF-8 sequence of two to four bytes into {@code out} (if not null); the
   * index after it, or -1.
   */
  private static int multiByte(byte[] data, int at, int to, StringBuilder out) {
    int b0 = data[at] & 0xFF;
    int length;
    int min;
    int cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      length = 2;
      min = 0x80;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      length = 3;
      min = 0x800;
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      length = 4;
      min = 0x10000;
      cp = b0 & 0x07;
    } else {
      return -1;
    }
    if (at + length > to) {
      return -1;
    }
    for (int k = 1; k < length; k++) {
      int b = data[at + k] & 0xFF;
      if ((b & 0xC0) != 0x80) {
        return -1;
      }
      cp = cp << 6 | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1; // overlong, out of range, or an encoded surrogate
    }
    if (out != null) {
      out.appendCodePoint(cp);
    }
    return at + length;
  }
}
