package ai.helicone.openai.internal;

import ai.helicone.internal.parse.Json;
import ai.helicone.internal.parse.SseParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Accumulates a Responses API event stream. The terminal event ({@code response.completed}, {@code
 * response.incomplete}, {@code response.failed}) carries the whole response, usage included; when
 * the stream was cut before it, the output is rebuilt from the item and delta events. Events are
 * few compared with chat chunks of the same text, so they are read as trees. Not thread-safe.
 */
public final class ResponsesStream implements SseParser.Listener {
  private String id;
  private String model;
  private JsonNode finalResponse;
  private String errorMessage;
  private long firstContentOffset = -1;
  private boolean terminal;
  private final TreeMap<Integer, Item> items = new TreeMap<>();
  private final boolean summaryOnly;

  /** Events that carry what a record needs once the first content has arrived. */
  private static final Set<String> SUMMARY_EVENTS =
      Set.of(
          "response.created",
          "response.in_progress",
          "response.completed",
          "response.incomplete",
          "response.failed",
          "error");

  public ResponsesStream() {
    this(false);
  }

  /**
   * @param summaryOnly when true, once the first content has arrived, only events named as carrying
   *     the response, its end or an error are parsed: the record's fields are complete when the
   *     stream ended with its final response, but the items are not (no {@link #outputTexts()})
   */
  public ResponsesStream(boolean summaryOnly) {
    this.summaryOnly = summaryOnly;
  }

  @Override
  public void onEvent(String event, byte[] data, int length, long dataEndOffset) {
    if (summaryOnly
        && firstContentOffset >= 0
        && event != null
        && !SUMMARY_EVENTS.contains(event)) {
      return;
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(data, 0, length);
    } catch (IOException e) {
      // An event cut short by a cancelled stream, or not JSON.
      return;
    }
    if (node == null || !node.isObject()) {
      return;
    }
    String type = Json.textField(node, "type");
    if (type == null) {
      type = event;
    }
    if (type == null) {
      return;
    }
    boolean content = false;
    switch (type) {
      case "response.created", "response.in_progress" -> noteResponse(node.get("response"));
      case "response.output_item.added", "response.output_item.done" -> {
        JsonNode itemNode = node.get("item");
        if (itemNode != null && itemNode.isObject()) {
          Item item = item(node);
          item.node = (ObjectNode) itemNode;
          item.done = type.endsWith(".done");
        }
      }
      case "response.output_text.delta" -> content = appendDelta(node, Kind.TEXT);
      case "response.refusal.delta" -> content = appendDelta(node, Kind.REFUSAL);
      case "response.reasoning_text.delta", "response.reasoning_summary_text.delta" ->
          content = appendDelta(node, Kind.REASONING);
      case "response.function_call_arguments.delta" -> content = appendDelta(node, Kind.ARGUMENTS);
      case "response.completed", "response.incomplete", "response.failed" -> {
        terminal = true;
        JsonNode response = node.get("response");
        if (response != null && response.isObject()) {
          finalResponse = response;
          noteResponse(response);
          String message = Errors.message(response.get("error"), null);
          if (message != null) {
            errorMessage = message;
          }
        }
        if ("response.failed".equals(type) && errorMessage == null) {
          errorMessage = "response failed";
        }
      }
      case "error" ->
          errorMessage = Errors.message(node.has("error") ? node.get("error") : node, "error");
      default -> {}
    }
    if (content && firstContentOffset < 0) {
      firstContentOffset = dataEndOffset;
    }
  }

  private void noteResponse(JsonNode response) {
    if (response == null) {
      return;
    }
    if (id == null) {
      id = Json.textField(response, "id");
    }
    String m = Json.textField(response, "model");
    if (m != null && !m.isEmpty()) {
      model = m;
    }
  }

  private enum Kind {
    TEXT,
    REFUSAL,
    REASONING,
    ARGUMENTS
  }

  private boolean appendDelta(JsonNode node, Kind kind) {
    JsonNode delta = node.get("delta");
    if (delta == null || !delta.isTextual()) {
      return false;
    }
    Item item = item(node);
    StringBuilder sb =
        switch (kind) {
          case TEXT -> item.text;
          case REFUSAL -> item.refusal;
          case REASONING -> item.reasoning;
          default -> item.arguments;
        };
    sb.append(delta.asText());
    return !delta.asText().isEmpty();
  }

  private Item item(JsonNode node) {
    int index = node.path("output_index").asInt(0);
    return items.computeIfAbsent(index, k -> new Item());
  }

  public String id() {
    return id;
  }

  public String model() {
    return model;
  }

  /** The usage object of the terminal event, or null. */
  public JsonNode usage() {
    JsonNode usage = finalResponse == null ? null : finalResponse.get("usage");
    return usage != null && usage.isObject() ? usage : null;
  }

  /** The error reported by the stream ({@code error} event or failed response), or null. */
  public String errorMessage() {
    return errorMessage;
  }

  public long firstContentOffset() {
    return firstContentOffset;
  }

  /**
   * True when the stream reached a terminal event ({@code response.completed}, {@code
   * response.incomplete} or {@code response.failed}).
   */
  public boolean terminal() {
    return terminal;
  }

  /** True when at least one event named a response. */
  public boolean sawResponse() {
    return id != null || finalResponse != null || !items.isEmpty() || errorMessage != null;
  }

  /** The final status, with the reason when incomplete; empty while unknown. */
  public List<String> finishReasons() {
    List<String> reasons = new ArrayList<>(1);
    if (finalResponse != null) {
      String reason = Json.textField(finalResponse.path("incomplete_details"), "reason");
      String status = Json.textField(finalResponse, "status");
      if (reason != null) {
        reasons.add(reason);
      } else if (status != null) {
        reasons.add(status);
      }
    }
    return reasons;
  }

  /** All generated text, for local token counting. */
  public List<String> outputTexts() {
    List<String> texts = new ArrayList<>();
    for (Item item : items.values()) {
      texts.add(item.text.toString());
      texts.add(item.refusal.toString());
      texts.add(item.reasoning.toString());
      texts.add(item.arguments.toString());
      String name = item.node == null ? null : Json.textField(item.node, "name");
      if (name != null) {
        texts.add(name);
      }
    }
    return texts;
  }

  /** The response as the non-streamed API would have returned it, as far as it arrived. */
  public JsonNode toResponseBody() {
    if (finalResponse != null) {
      return finalResponse;
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (id != null) {
      root.put("id", id);
    }
    root.put("object", "response");
    if (model != null) {
      root.put("model", model);
    }
    root.put("status", "in_progress");
    ArrayNode output = root.putArray("output");
    for (Item item : items.values()) {
      output.add(item.toNode());
    }
    return root;
  }

  private static final class Item {
    ObjectNode node;
    boolean done;
    final StringBuilder text = new StringBuilder();
    final StringBuilder refusal = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();
    final StringBuilder arguments = new StringBuilder();

    JsonNode toNode() {
      if (done && node != null) {
        return node;
      }
      ObjectNode out = node != null ? node.deepCopy() : Json.MAPPER.createObjectNode();
      String type = Json.textField(out, "type");
      if (type == null) {
        type = arguments.length() > 0 ? "function_call" : "message";
        out.put("type", type);
      }
      if ("function_call".equals(type)) {
        out.put("arguments", arguments.toString());
      } else if ("reasoning".equals(type)) {
        ArrayNode summary = out.putArray("summary");
        if (reasoning.length() > 0) {
          summary.addObject().put("type", "summary_text").put("text", reasoning.toString());
        }
      } else {
        if (!out.has("role")) {
          out.put("role", "assistant");
        }
        ArrayNode parts = out.putArray("content");
        if (text.length() > 0) {
          ObjectNode part =
              parts.addObject().put("type", "output_text").put("text", text.toString());
          part.putArray("annotations");
        }
        if (refusal.length() > 0) {
          parts.addObject().put("type", "refusal").put("refusal", refusal.toString());
        }
      }
      return out;
    }
  }
}
