package ai.helicone.openai.internal;

import ai.helicone.internal.parse.Bytes;
import ai.helicone.internal.parse.ChunkTemplate;
import ai.helicone.internal.parse.Json;
import ai.helicone.internal.parse.SseParser;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates a Chat Completions (or legacy Completions) event stream: response id and model, the
 * assistant message of each choice (text, refusal, reasoning, tool calls with their arguments),
 * finish reasons, the usage chunk, an error sent inside the stream, and where the first content
 * arrived. Chunks are read with the streaming parser; only usage and error objects become trees,
 * and deltas that arrive before the index naming their choice or tool call. A chunk that repeats
 * the last text-only chunk but for its text is applied without a parser ({@link ChunkTemplate}).
 * Not thread-safe.
 */
public final class ChatStream implements SseParser.Listener {
  private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};
  private static final byte[] DATA_FIELD = {'d', 'a', 't', 'a', ':', ' '};

  private final boolean textCompletion;
  private final boolean patterns;
  private String id;
  private String model;
  private long created = -1;
  private String systemFingerprint;
  private final List<Choice> choices = new ArrayList<>(1);
  private JsonNode usage;
  private JsonNode error;
  private long firstContentOffset = -1;
  private boolean usageWithoutChoices;
  private boolean done;

  // Per chunk: whether it carried content, whether it had a choices array (even empty), and its
  // usage.
  private boolean chunkHasContent;
  private boolean chunkHasChoicesArray;
  private JsonNode chunkUsage;

  // Most chunks of a stream repeat the last text-only chunk but for its text (a message's content
  // or reasoning, or a tool call's arguments): those are applied without a parser. Where the
  // pattern's text goes, and the same for the chunk being read.
  private final ChunkTemplate template = new ChunkTemplate();
  private TextDelta templateDelta;
  private TextDelta candidateDelta;
  private int chunksFromPattern;
  private int chunksTakenFromStream;
  private final int contentCapacity;

  /**
   * @param streamLength the length of the whole stream when known, else 0: a message's text is a
   *     small share of it (each chunk of a few hundred bytes carries a few characters), so its
   *     buffer starts at a thirty-second of it instead of doubling its way up from a few bytes
   */
  public ChatStream(boolean textCompletion, int streamLength) {
    this(textCompletion, true, streamLength);
  }

  /** With {@code patterns} false, every chunk is parsed: the reference the tests compare with. */
  ChatStream(boolean textCompletion, boolean patterns, int streamLength) {
    this.textCompletion = textCompletion;
    this.patterns = patterns;
    this.contentCapacity = Math.max(16, Math.min(streamLength / 32, 1 << 16));
  }

  @Override
  public boolean readsEventNames() {
    return false;
  }

  @Override
  public int takeEvent(byte[] buf, int from, int end, long offset) {
    if (templateDelta == null || !Bytes.startsWith(buf, from, end, DATA_FIELD)) {
      return 0;
    }
    int payload = from + DATA_FIELD.length;
    int payloadEnd = template.matchInStream(buf, payload, end);
    if (payloadEnd < 0
        || payloadEnd + 2 > end
        || buf[payloadEnd] != '\n'
        || buf[payloadEnd + 1] != '\n') {
      return 0;
    }
    int appended = template.appendContent(buf, templateDelta.text());
    if (appended < 0) {
      return 0;
    }
    fromPattern(appended, offset + (payloadEnd - from));
    chunksTakenFromStream++;
    return payloadEnd + 2 - from;
  }

  private void fromPattern(int appended, long dataEndOffset) {
    chunksFromPattern++;
    if (templateDelta.applied(appended) && firstContentOffset < 0) {
      firstContentOffset = dataEndOffset;
    }
  }

  @Override
  public void onEvent(String event, byte[] data, int length, long dataEndOffset) {
    // The terminal event decides a closed stream's status.
    if (isDone(data, length)) {
      done = true;
      return;
    }
    if (templateDelta != null) {
      int appended = template.apply(data, length, templateDelta.text());
      if (appended >= 0) {
        fromPattern(appended, dataEndOffset);
        return;
      }
    }
    template.begin(data, length);
    candidateDelta = null;
    try (JsonParser p = Json.FACTORY.createParser(data, 0, length)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        readChunk(p, dataEndOffset);
        if (patterns && template.commit()) {
          templateDelta = candidateDelta;
        }
      }
    } catch (IOException | RuntimeException e) {
      // A chunk cut short by a cancelled stream, or not JSON: keep what the others said.
    }
  }

  /**
   * Reads one chunk; the parser is at its {@code START_OBJECT} and ends at its {@code END_OBJECT}.
   * What was read counts even when the chunk breaks off.
   */
  private void readChunk(JsonParser p, long dataEndOffset) throws IOException {
    chunkHasContent = false;
    chunkHasChoicesArray = false;
    chunkUsage = null;
    try {
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (field) {
          case "id" -> {
            // Azure's first chunk (prompt filter results) has an empty id and model, created 0.
            // Every chunk repeats id, model and fingerprint: only the first is decoded.
            if (id == null && t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
              id = p.getText();
            }
          }
          case "model" -> {
            if (model == null && t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
              model = p.getText();
            }
          }
          case "created" -> {
            if (created <= 0 && t == JsonToken.VALUE_NUMBER_INT) {
              created = p.getLongValue();
            }
          }
          case "system_fingerprint" -> {
            if (systemFingerprint == null && t == JsonToken.VALUE_STRING) {
              systemFingerprint = p.getText();
            }
          }
          case "choices" -> {
            if (t == JsonToken.START_ARRAY) {
              chunkHasChoicesArray = true;
              while (p.nextToken() != JsonToken.END_ARRAY) {
                readChoice(p);
              }
            } else {
              p.skipChildren();
            }
          }
          case "usage" -> {
            JsonNode topLevel = Json.tree(p);
            if (topLevel != null && topLevel.isObject()) {
              chunkUsage = topLevel;
            }
          }
          case "x_groq" -> {
            // Groq's own copy of the counts; the standard "usage" of the same chunk wins.
            template.reject();
            JsonNode groq = Json.tree(p);
            if (chunkUsage == null && groq != null && groq.path("usage").isObject()) {
              chunkUsage = groq.get("usage");
            }
          }
          case "error" -> {
            template.reject();
            error = Json.tree(p);
            if (error == null && t == JsonToken.VALUE_STRING) {
              error = Json.MAPPER.getNodeFactory().textNode(p.getText());
            }
          }
          default -> {
            if (t == JsonToken.VALUE_STRING) {
              template.ignoredHole(p);
            }
            p.skipChildren();
          }
        }
      }
    } finally {
      if (chunkUsage != null) {
        template.reject();
        usage = chunkUsage; // only ever an object
        if (!chunkHasChoicesArray) {
          usageWithoutChoices = true;
        }
      }
      if (chunkHasContent && firstContentOffset < 0) {
        firstContentOffset = dataEndOffset;
      }
    }
  }

  private static final byte[] CONTENT_DELTA = "{\"content\":\"".getBytes(StandardCharsets.US_ASCII);

  private static boolean isDone(byte[] data, int length) {
    int start = 0;
    int end = length;
    while (start < end && data[start] == ' ') {
      start++;
    }
    while (end > start && (data[end - 1] == ' ' || data[end - 1] == '\n')) {
      end--;
    }
    if (end - start != DONE.length) {
      return false;
    }
    for (int i = 0; i < DONE.length; i++) {
      if (data[start + i] != DONE[i]) {
        return false;
      }
    }
    return true;
  }

  private void readChoice(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    // OpenAI names the choice's index first, so its delta streams straight into the choice. Azure
    // sorts keys ("delta" and "finish_reason" before "index") and legacy completions send "text"
    // first: those values are held until the index is known.
    int index = -1;
    JsonNode heldDelta = null;
    long heldDeltaAt = -1;
    String text = null;
    String finishReason = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (field) {
        case "index" -> {
          if (t == JsonToken.VALUE_NUMBER_INT) {
            index = p.getIntValue();
          }
        }
        case "delta" -> {
          if (t == JsonToken.START_OBJECT && index >= 0) {
            readDelta(p, choice(index));
          } else {
            heldDeltaAt = p.currentTokenLocation().getByteOffset();
            heldDelta = Json.tree(p);
          }
        }
        case "text" -> text = Json.text(p);
        case "finish_reason" -> finishReason = Json.text(p);
        default -> p.skipChildren();
      }
    }
    if (index < 0) {
      index = 0;
    }
    if (text != null || finishReason != null) {
      template.reject();
    }
    if (heldDelta != null) {
      // A delta read before its index (keys in alphabetical order, as Azure sends them) is read
      // from a tree, which knows no offsets: only {"content":"..."} exactly as written here can
      // be a pattern, its text at a known place.
      if (heldDelta.size() == 1 && heldDelta.path("content").isTextual()) {
        template.nextHoleAfter(heldDeltaAt, CONTENT_DELTA);
      } else {
        template.reject();
      }
    }
    if (heldDelta != null && heldDelta.isObject()) {
      try (JsonParser delta = heldDelta.traverse(Json.MAPPER)) {
        delta.nextToken();
        readDelta(delta, choice(index));
      }
    }
    if (text != null) {
      Choice choice = choice(index);
      if (!text.isEmpty()) {
        choice.content.append(text);
        chunkHasContent = true;
      }
      choice.hasContent = true;
    }
    if (finishReason != null) {
      choice(index).finishReason = finishReason;
    }
  }

  private void readDelta(JsonParser p, Choice choice) throws IOException {
    // Some servers send the same reasoning under both of its names: keep the first.
    boolean reasoningRead = false;
    boolean reasoningNamed = false;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (field) {
        case "role" -> {
          if (choice.role == null && t == JsonToken.VALUE_STRING) {
            choice.role = p.getText();
          }
        }
        case "content" -> {
          if (t == JsonToken.VALUE_STRING) {
            template.contentHole(p);
            candidateDelta = new TextDelta(choice.content, choice, null);
            appendContent(choice.content, p);
            choice.hasContent = true;
          }
        }
        case "refusal" -> {
          if (t == JsonToken.VALUE_STRING) {
            template.reject();
            choice.refusal = append(choice.refusal, p);
          }
        }
        case "reasoning_content", "reasoning" -> {
          if (t == JsonToken.VALUE_STRING) {
            if (reasoningNamed) {
              template.reject(); // both names: whether the second counts depends on the first
            }
            reasoningNamed = true;
            if (!reasoningRead) {
              template.contentHole(p);
              choice.reasoningField = field;
              choice.reasoning = append(choice.reasoning, p);
              candidateDelta = new TextDelta(choice.reasoning, choice, field);
              reasoningRead = p.getTextLength() > 0;
            }
          } else {
            p.skipChildren();
          }
        }
        case "tool_calls" -> {
          if (t == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
              readToolCall(p, choice);
              chunkHasContent = true;
            }
          } else {
            p.skipChildren();
          }
        }
        case "function_call" -> {
          if (t == JsonToken.START_OBJECT) {
            template.reject();
            choice.functionCall =
                choice.functionCall == null ? new ToolCall() : choice.functionCall;
            readFunction(p, choice.functionCall);
            chunkHasContent = true;
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private void appendContent(StringBuilder sb, JsonParser p) throws IOException {
    int len = p.getTextLength();
    if (len > 0) {
      sb.append(p.getTextCharacters(), p.getTextOffset(), len);
      chunkHasContent = true;
    }
  }

  private StringBuilder append(StringBuilder sb, JsonParser p) throws IOException {
    StringBuilder out = sb == null ? new StringBuilder() : sb;
    appendContent(out, p);
    return out;
  }

  private void readToolCall(JsonParser p, Choice choice) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    int index = -1;
    String callId = null;
    String type = null;
    ToolCall call = null;
    // Azure sorts keys, so "function" arrives before the "id" and "index" that name the call.
    ToolCall heldFunction = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (field) {
        case "index" -> {
          if (t == JsonToken.VALUE_NUMBER_INT) {
            index = p.getIntValue();
          }
        }
        case "id" -> callId = Json.text(p);
        case "type" -> type = Json.text(p);
        case "function" -> {
          if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
          } else if (index >= 0 || callId != null) {
            call = choice.toolCall(index, callId);
            readFunction(p, call);
          } else {
            heldFunction = new ToolCall();
            readFunction(p, heldFunction);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (index < 0 || heldFunction != null) {
      // Found by position or id, or assembled later: a repeat may not land on the same call.
      template.reject();
    }
    if (call == null) {
      call = choice.toolCall(index, callId);
    }
    if (heldFunction != null) {
      call.append(heldFunction);
    }
    if (callId != null && call.id == null) {
      call.id = callId;
    }
    if (type != null) {
      call.type = type;
    }
  }

  private void readFunction(JsonParser p, ToolCall call) throws IOException {
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if ("name".equals(field) && t == JsonToken.VALUE_STRING) {
        template.reject();
        call.name = call.name == null ? p.getText() : call.name + p.getText();
      } else if ("arguments".equals(field) && t == JsonToken.VALUE_STRING) {
        template.contentHole(p);
        candidateDelta = new TextDelta(call.arguments, null, null);
        call.arguments.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      } else {
        p.skipChildren();
      }
    }
  }

  private Choice choice(int index) {
    for (Choice c : choices) {
      if (c.index == index) {
        return c;
      }
    }
    Choice c = new Choice(index, contentCapacity);
    choices.add(c);
    return c;
  }

  /** How many chunks were applied from the pattern, without a parser. */
  int chunksFromPattern() {
    return chunksFromPattern;
  }

  /** How many of those were matched in the fed bytes, neither split into lines nor copied. */
  int chunksTakenFromStream() {
    return chunksTakenFromStream;
  }

  public String id() {
    return id;
  }

  public String model() {
    return model;
  }

  /** The usage object of the stream, or null. */
  public JsonNode usage() {
    return usage;
  }

  /** The error object (or string) sent inside the stream, or null. */
  public JsonNode error() {
    return error;
  }

  /** The offset at which the first content chunk was complete, or -1. */
  public long firstContentOffset() {
    return firstContentOffset;
  }

  /** True when usage came in a chunk without choices (vLLM sends {@code null} or none at all). */
  public boolean usageWithoutChoices() {
    return usageWithoutChoices;
  }

  /** True when the stream reached {@code data: [DONE]}, its terminal event. */
  public boolean done() {
    return done;
  }

  /** True when at least one chunk could be read. */
  public boolean sawChunks() {
    return id != null || model != null || !choices.isEmpty() || usage != null || error != null;
  }

  /** Finish reasons by choice index; nulls left out. */
  public List<String> finishReasons() {
    List<String> reasons = new ArrayList<>();
    sortedChoices()
        .forEach(
            c -> {
              if (c.finishReason != null) {
                reasons.add(c.finishReason);
              }
            });
    return reasons;
  }

  /** All generated text, for local token counting: content, refusals, reasoning, tool calls. */
  public List<String> outputTexts() {
    List<String> texts = new ArrayList<>();
    for (Choice c : choices) {
      texts.add(c.content.toString());
      if (c.refusal != null) {
        texts.add(c.refusal.toString());
      }
      if (c.reasoning != null) {
        texts.add(c.reasoning.toString());
      }
      for (ToolCall call : c.allCalls()) {
        if (call.name != null) {
          texts.add(call.name);
        }
        texts.add(call.arguments.toString());
      }
    }
    return texts;
  }

  private List<Choice> sortedChoices() {
    List<Choice> sorted = new ArrayList<>(choices);
    sorted.sort((a, b) -> Integer.compare(a.index, b.index));
    return sorted;
  }

  /**
   * The response as a non-streamed {@code chat.completion} (or {@code text_completion}) would have
   * carried it.
   */
  public ObjectNode toResponseBody() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (id != null) {
      root.put("id", id);
    }
    root.put("object", textCompletion ? "text_completion" : "chat.completion");
    if (created > 0) {
      root.put("created", created);
    }
    if (model != null) {
      root.put("model", model);
    }
    if (systemFingerprint != null) {
      root.put("system_fingerprint", systemFingerprint);
    }
    ArrayNode out = root.putArray("choices");
    for (Choice c : sortedChoices()) {
      ObjectNode choice = out.addObject();
      choice.put("index", c.index);
      if (textCompletion) {
        choice.set("text", Json.textNode(c.content));
      } else {
        choice.set("message", c.toMessage());
      }
      choice.put("finish_reason", c.finishReason);
    }
    if (usage != null) {
      root.set("usage", usage);
    }
    return root;
  }

  /**
   * The text a pattern chunk adds to, and what else such a chunk does, as {@link #readDelta} and
   * {@link #readFunction} would: content marks its choice, reasoning names its field, and both
   * count as content once not empty; a tool call's arguments (no choice) count even when empty.
   */
  private record TextDelta(StringBuilder text, Choice choice, String reasoningField) {
    /**
     * Does the rest of what a chunk that added {@code appended} characters does; true when the
     * chunk counts as content.
     */
    boolean applied(int appended) {
      if (choice == null) {
        return true;
      }
      if (reasoningField != null) {
        choice.reasoningField = reasoningField;
      } else {
        choice.hasContent = true;
      }
      return appended > 0;
    }
  }

  private static final class Choice {
    final int index;
    String role;
    final StringBuilder content;
    boolean hasContent;
    StringBuilder refusal;
    StringBuilder reasoning;
    String reasoningField;
    final List<ToolCall> toolCalls = new ArrayList<>(0);
    ToolCall functionCall;
    String finishReason;

    Choice(int index, int contentCapacity) {
      this.index = index;
      this.content = new StringBuilder(contentCapacity);
    }

    ToolCall toolCall(int callIndex, String callId) {
      // Deltas name the call by index; some servers send only ids, or neither (one call).
      for (ToolCall call : toolCalls) {
        if (callIndex >= 0 ? call.index == callIndex : callId == null || callId.equals(call.id)) {
          return call;
        }
      }
      if (callIndex < 0 && callId == null && !toolCalls.isEmpty()) {
        return toolCalls.get(toolCalls.size() - 1);
      }
      ToolCall call = new ToolCall();
      call.index = callIndex >= 0 ? callIndex : toolCalls.size();
      call.id = callId;
      toolCalls.add(call);
      return call;
    }

    List<ToolCall> allCalls() {
      if (functionCall == null) {
        return toolCalls;
      }
      List<ToolCall> all = new ArrayList<>(toolCalls);
      all.add(functionCall);
      return all;
    }

    ObjectNode toMessage() {
      ObjectNode m = Json.MAPPER.createObjectNode();
      m.put("role", role != null ? role : "assistant");
      if (hasContent || (toolCalls.isEmpty() && functionCall == null && refusal == null)) {
        m.set("content", Json.textNode(content));
      } else {
        m.putNull("content");
      }
      if (refusal != null) {
        m.put("refusal", refusal.toString());
      }
      if (reasoning != null) {
        m.put(reasoningField, reasoning.toString());
      }
      if (!toolCalls.isEmpty()) {
        ArrayNode calls = m.putArray("tool_calls");
        List<ToolCall> sorted = new ArrayList<>(toolCalls);
        sorted.sort((a, b) -> Integer.compare(a.index, b.index));
        for (ToolCall call : sorted) {
          ObjectNode c = calls.addObject();
          if (call.id != null) {
            c.put("id", call.id);
          }
          c.put("type", call.type != null ? call.type : "function");
          c.set("function", call.toFunction());
        }
      }
      if (functionCall != null) {
        m.set("function_call", functionCall.toFunction());
      }
      return m;
    }
  }

  private static final class ToolCall {
    int index;
    String id;
    String type;
    String name;
    final StringBuilder arguments = new StringBuilder();

    void append(ToolCall fragment) {
      if (fragment.name != null) {
        name = name == null ? fragment.name : name + fragment.name;
      }
      arguments.append(fragment.arguments);
    }

    ObjectNode toFunction() {
      ObjectNode f = Json.MAPPER.createObjectNode();
      f.put("name", name);
      f.put("arguments", arguments.toString());
      return f;
    }
  }
}
