package ai.helicone.openai.internal;

import ai.helicone.internal.parse.Bytes;
import ai.helicone.internal.parse.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Adds {@code "stream_options": {"include_usage": true}} to streaming Chat Completions requests
 * that do not say otherwise. Runs on the caller's thread: a byte scan rejects non-streaming bodies
 * before any parsing, and the usual edit is an insertion after the opening brace, which keeps the
 * rest of the body byte for byte.
 */
public final class StreamUsageRewriter {
  private static final byte[] STREAM = "\"stream\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INSERTION =
      "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.US_ASCII);

  private StreamUsageRewriter() {}

  /** True when the URL's path ends with {@code /chat/completions}. */
  public static boolean isChatCompletionsUrl(String url) {
    // Cut query and fragment by hand: this runs on the caller's thread for every request.
    int end = url.indexOf('?');
    if (end < 0) {
      end = url.length();
    }
    int hash = url.indexOf('#');
    if (hash >= 0 && hash < end) {
      end = hash;
    }
    return Endpoint.CHAT.equals(Endpoint.operation(url.substring(0, end)));
  }

  /** The rewritten body, or null to keep it unchanged. */
  public static byte[] rewrite(byte[] body) {
    if (body == null || Bytes.indexOf(body, 0, body.length, STREAM) < 0) {
      return null;
    }
    boolean stream = false;
    JsonToken streamOptions = null;
    boolean includeUsageSet = false;
    int braceOffset = -1;
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      braceOffset = (int) p.currentTokenLocation().getByteOffset();
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        if ("stream".equals(field)) {
          stream = t == JsonToken.VALUE_TRUE;
        } else if ("stream_options".equals(field)) {
          streamOptions = t;
          if (t == JsonToken.START_OBJECT) {
            JsonNode options = Json.MAPPER.readTree(p);
            includeUsageSet = options.has("include_usage");
          } else {
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (!stream || includeUsageSet) {
      return null;
    }
    if (streamOptions == null || streamOptions == JsonToken.VALUE_NULL) {
      if (streamOptions == null && braceOffset >= 0 && body[braceOffset] == '{') {
        byte[] out = new byte[body.length + INSERTION.length];
        System.arraycopy(body, 0, out, 0, braceOffset + 1);
        System.arraycopy(INSERTION, 0, out, braceOffset + 1, INSERTION.length);
        System.arraycopy(
            body,
            braceOffset + 1,
            out,
            braceOffset + 1 + INSERTION.length,
            body.length - braceOffset - 1);
        return out;
      }
    } else if (streamOptions != JsonToken.START_OBJECT) {
      // An odd value the server will reject anyway; leave it alone.
      return null;
    }
    // stream_options exists (or is null) without include_usage: edit the tree.
    try {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(body);
      JsonNode options = root.get("stream_options");
      ObjectNode edited =
          options instanceof ObjectNode existing ? existing : root.putObject("stream_options");
      edited.put("include_usage", true);
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
