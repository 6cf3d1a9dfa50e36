package ai.helicone.export.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Shortens JSON trees and long texts while keeping their shape, to fit a payload limit. Stateless;
 * thread-safe; the trees passed in are not changed.
 */
public final class JsonLimits {
  /** Ends every shortened string value. */
  static final String STRING_MARKER = "...[truncated]";

  private JsonLimits() {}

  /**
   * A copy of {@code node} with strings cut to {@code maxString} and arrays to {@code maxArray}.
   */
  public static JsonNode capped(JsonNode node, int maxString, int maxArray) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      String text = node.textValue();
      return text.length() <= maxString
          ? node
          : JsonNodeFactory.instance.textNode(cut(text, maxString) + STRING_MARKER);
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      int kept = 0;
      for (JsonNode element : node) {
        if (kept == maxArray) {
          copy.add("[" + (node.size() - kept) + " more items truncated]");
          break;
        }
        copy.add(capped(element, maxString, maxArray));
        kept++;
      }
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(field.getKey(), capped(field.getValue(), maxString, maxArray));
      }
      return copy;
    }
    return node;
  }

  /** The length of the longest string value in the tree. */
  public static int longestString(JsonNode node) {
    if (node == null) {
      return 0;
    }
    if (node.isTextual()) {
      return node.textValue().length();
    }
    int longest = 0;
    for (JsonNode child : node) {
      longest = Math.max(longest, longestString(child));
    }
    return longest;
  }

  /**
   * Keeps the start and the end of a text (for streams, the end holds the usage chunk), cut at line
   * breaks, with an SSE comment line where the middle was removed.
   */
  public static String headAndTail(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    String marker = "\n: truncated " + (text.length() - maxChars) + " characters\n\n";
    int budget = Math.max(0, maxChars - marker.length());
    int tailLength = budget / 4;
    int headEnd = safeIndex(text, budget - tailLength);
    int lastBreak = text.lastIndexOf('\n', headEnd - 1);
    if (lastBreak > headEnd / 2) {
      headEnd = lastBreak + 1;
    }
    int tailStart = safeIndex(text, text.length() - tailLength);
    int nextBreak = text.indexOf('\n', tailStart);
    if (nextBreak >= 0 && nextBreak < text.length() - tailLength / 2) {
      tailStart = nextBreak + 1;
    }
    return text.substring(0, headEnd) + marker + text.substring(tailStart);
  }

  /** The first {@code max} characters, without splitting a surrogate pair. */
  static String cut(String text, int max) {
    return text.substring(0, safeIndex(text, max));
  }

  private static int safeIndex(String text, int index) {
    int i = Math.max(0, Math.min(index, text.length()));
    if (i > 0 && i < text.length() && Character.isHighSurrogate(text.charAt(i - 1))) {
      i--;
    }
    return i;
  }
}
