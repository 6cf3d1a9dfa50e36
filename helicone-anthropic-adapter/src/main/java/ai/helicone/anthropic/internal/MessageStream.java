package ai.helicone.anthropic.internal;

import ai.helicone.internal.parse.Bytes;
import ai.helicone.internal.parse.Json;
import ai.helicone.internal.parse.SseParser;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates a Messages event stream: id and model from {@code message_start}, usage from {@code
 * message_start} and the cumulative {@code message_delta}, the content blocks (text, thinking, tool
 * input), the stop reason, an {@code error} event, where the first {@code content_block_delta}
 * arrived, and whether {@code message_stop} came. Events are identified by their JSON {@code type}
 * (the SSE {@code event:} name repeats it, and Bedrock's binary frames carry no name); unknown
 * types such as {@code ping} are ignored. Not thread-safe.
 */
public final class MessageStream implements SseParser.Listener {
  private String id;
  private String model;
  private String role;
  private String stopReason;
  private String stopSequence;
  private final UsageCounts usage = new UsageCounts();
  private final List<Block> blocks = new ArrayList<>(2);
  private JsonNode error;
  private long firstContentOffset = -1;
  private boolean stopped;
  private boolean sawEvents;

  private static final char[] MESSAGE_STOP = "message_stop".toCharArray();
  private static final char[] CONTENT_BLOCK_DELTA = "content_block_delta".toCharArray();
  // The names the summary looks for, in the order of the bits below.
  private static final byte[][] SUMMARY_KEYS = {
    ascii("\"error\""),
    ascii("\"usage\""),
    ascii("\"content_block_delta\""),
    ascii("\"content_block_stop\""),
    ascii("\"ping\""),
    ascii("\"message_stop\"")
  };
  private static final int ERROR_KEY = 1;
  private static final int USAGE_KEY = 1 << 1;
  private static final int CONTENT_BLOCK_DELTA_KEY = 1 << 2;
  private static final int CONTENT_BLOCK_STOP_KEY = 1 << 3;
  private static final int PING_KEY = 1 << 4;
  private static final int MESSAGE_STOP_KEY = 1 << 5;

  private final boolean summaryOnly;

  // Per event.
  private boolean isDelta;
  private int index;

  /** A stream that keeps everything, the message's content included. */
  public MessageStream() {
    this(false);
  }

  /**
   * @param summaryOnly when true, the events that only carry content (block deltas after the first,
   *     block stops, pings) are skipped without being parsed: the record's fields (model, usage,
   *     stop reason, error, time to first token, completion) are complete, but the content is not
   *     (no {@link #outputTexts()}, no {@link #toResponseBody()})
   */
  public MessageStream(boolean summaryOnly) {
    this.summaryOnly = summaryOnly;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Override
  public boolean readsEventNames() {
    return false; // the JSON names its type, and Bedrock's frames carry no event name
  }

  @Override
  public void onEvent(String event, byte[] data, int length, long dataEndOffset) {
    if (summaryOnly && skippedBySummary(data, length)) {
      return;
    }
    isDelta = false;
    index = -1;
    boolean delta = false;
    try (JsonParser p = Json.FACTORY.createParser(data, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (field) {
          case "type" -> {
            // Compared in place: one String per event would be most of what an event costs.
            if (t == JsonToken.VALUE_STRING) {
              sawEvents = true;
              if (textIs(p, MESSAGE_STOP)) {
                stopped = true;
              } else if (textIs(p, CONTENT_BLOCK_DELTA)) {
                isDelta = true;
              }
            }
          }
          case "index" -> {
            if (t == JsonToken.VALUE_NUMBER_INT) {
              index = p.getIntValue();
            }
          }
          case "message" -> readMessage(p);
          case "content_block" -> {
            JsonNode start = Json.tree(p);
            if (start != null && start.isObject()) {
              block(index).start = (ObjectNode) start;
            }
          }
          case "delta" -> delta = readDelta(p);
          case "usage" -> usage.read(p);
          case "error" -> {
            error = Json.tree(p);
            if (error == null && t == JsonToken.VALUE_STRING) {
              error = Json.MAPPER.getNodeFactory().textNode(p.getText());
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      // An event cut short by a cancelled stream, or not JSON: keep what the others said.
    }
    if (delta && isDelta && firstContentOffset < 0) {
      firstContentOffset = dataEndOffset;
    }
  }

  /**
   * Handles, from a byte scan far cheaper than parsing, the events whose JSON the record does not
   * need: block deltas once the first content has arrived, block stops, pings and the final {@code
   * message_stop}. An event that names an error or usage is always parsed. A quoted name cannot
   * occur inside a JSON string, where quotes are escaped, so a match is a type or a key.
   */
  private boolean skippedBySummary(byte[] data, int length) {
    int keys = Bytes.quotedKeysIn(data, 0, length, SUMMARY_KEYS);
    if ((keys & (ERROR_KEY | USAGE_KEY)) != 0) {
      return false;
    }
    if ((keys & CONTENT_BLOCK_DELTA_KEY) != 0) {
      return firstContentOffset >= 0;
    }
    if ((keys & (CONTENT_BLOCK_STOP_KEY | PING_KEY)) != 0) {
      sawEvents = true;
      return true;
    }
    if ((keys & MESSAGE_STOP_KEY) != 0) {
      sawEvents = true;
      stopped = true;
      return true;
    }
    return false;
  }

  private static boolean textIs(JsonParser p, char[] expected) throws IOException {
    if (p.getTextLength() != expected.length) {
      return false;
    }
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    for (int i = 0; i < expected.length; i++) {
      if (chars[offset + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private void readMessage(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String field;
    while ((field = p.nextFieldName()) != null) {
      p.nextToken();
      switch (field) {
        case "id" -> id = Json.text(p);
        case "model" -> model = Json.text(p);
        case "role" -> role = Json.text(p);
        case "usage" -> usage.read(p);
        default -> p.skipChildren();
      }
    }
  }

  /**
   * A {@code content_block_delta}'s delta (text, thinking, signature or tool input) or a {@code
   * message_delta}'s (stop reason). Anthropic names type and index first; a delta that comes before
   * them is read all the same, as a block delta of the last block when no index was given.
   */
  private boolean readDelta(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return false;
    }
    Block block = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (field) {
        case "text", "thinking", "partial_json" -> {
          if (t == JsonToken.VALUE_STRING) {
            if (block == null) {
              block = block(index >= 0 ? index : Math.max(0, blocks.size() - 1));
            }
            StringBuilder sb = "partial_json".equals(field) ? block.json() : block.text();
            if ("thinking".equals(field)) {
              block.thinking = true;
            }
            sb.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
        }
        case "signature" -> {
          if (t == JsonToken.VALUE_STRING) {
            if (block == null) {
              block = block(index >= 0 ? index : Math.max(0, blocks.size() - 1));
            }
            block.signature = p.getText();
          }
        }
        case "stop_reason" -> stopReason = keep(stopReason, Json.text(p));
        case "stop_sequence" -> stopSequence = keep(stopSequence, Json.text(p));
        default -> p.skipChildren();
      }
    }
    return true;
  }

  private static String keep(String old, String read) {
    return read != null ? read : old;
  }

  private Block block(int i) {
    int at = i < 0 ? 0 : i;
    for (Block b : blocks) {
      if (b.index == at) {
        return b;
      }
    }
    Block b = new Block(at);
    blocks.add(b);
    return b;
  }

  public String id() {
    return id;
  }

  public String model() {
    return model;
  }

  /** The usage in the core's terms, or null when the stream reported none. */
  public Usage usage() {
    return usage.toUsage();
  }

  public String stopReason() {
    return stopReason;
  }

  /** The {@code error} object (or string) of an error event, or null. */
  public JsonNode error() {
    return error;
  }

  /** The offset at which the first {@code content_block_delta} was complete, or -1. */
  public long firstContentOffset() {
    return firstContentOffset;
  }

  /** True when the stream reached its end: {@code message_stop}, or an {@code error} event. */
  public boolean completed() {
    return stopped || error != null;
  }

  /** True when at least one event could be read. */
  public boolean sawEvents() {
    return sawEvents;
  }

  /** The message as a non-streamed response would have carried it. */
  public ObjectNode toResponseBody() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (id != null) {
      root.put("id", id);
    }
    root.put("type", "message");
    root.put("role", role != null ? role : "assistant");
    if (model != null) {
      root.put("model", model);
    }
    ArrayNode content = root.putArray("content");
    List<Block> sorted = new ArrayList<>(blocks);
    sorted.sort((a, b) -> Integer.compare(a.index, b.index));
    for (Block b : sorted) {
      content.add(b.toJson());
    }
    root.put("stop_reason", stopReason);
    root.put("stop_sequence", stopSequence);
    Usage u = usage.toUsage();
    if (u != null) {
      ObjectNode out = root.putObject("usage");
      putIfNotNull(out, "input_tokens", subtractCache(u));
      putIfNotNull(out, "output_tokens", u.outputTokens());
      putIfNotNull(out, "cache_read_input_tokens", u.cachedInputTokens());
      putIfNotNull(out, "cache_creation_input_tokens", u.cacheWriteTokens());
    }
    return root;
  }

  private static Long subtractCache(Usage u) {
    if (u.inputTokens() == null) {
      return null;
    }
    long cached = u.cachedInputTokens() == null ? 0 : u.cachedInputTokens();
    long written = u.cacheWriteTokens() == null ? 0 : u.cacheWriteTokens();
    return u.inputTokens() - cached - written;
  }

  private static void putIfNotNull(ObjectNode node, String field, Long value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** All generated text: text and thinking blocks and tool inputs. */
  public List<String> outputTexts() {
    List<String> texts = new ArrayList<>();
    for (Block b : blocks) {
      if (b.text != null) {
        texts.add(b.text.toString());
      }
      if (b.json != null) {
        texts.add(b.json.toString());
      }
    }
    return texts;
  }

  private static final class Block {
    final int index;
    ObjectNode start;
    StringBuilder text;
    StringBuilder json;
    boolean thinking;
    String signature;

    Block(int index) {
      this.index = index;
    }

    StringBuilder text() {
      if (text == null) {
        text = new StringBuilder();
      }
      return text;
    }

    StringBuilder json() {
      if (json == null) {
        json = new StringBuilder();
      }
      return json;
    }

    ObjectNode toJson() {
      ObjectNode b = start != null ? start.deepCopy() : Json.MAPPER.createObjectNode();
      if (!b.has("type")) {
        b.put("type", json != null ? "tool_use" : thinking ? "thinking" : "text");
      }
      if (text != null) {
        String field = thinking ? "thinking" : "text";
        String before = b.path(field).asText("");
        b.put(field, before + text);
      }
      if (signature != null) {
        b.put("signature", signature);
      }
      if (json != null) {
        JsonNode input;
        try {
          input = json.length() == 0 ? b.path("input") : Json.MAPPER.readTree(json.toString());
        } catch (IOException e) {
          input = null;
        }
        if (input != null && !input.isMissingNode()) {
          b.set("input", input);
        } else {
          // Cut off mid-way: keep what arrived as text.
          b.put("input", json.toString());
        }
      }
      return b;
    }
  }
}
