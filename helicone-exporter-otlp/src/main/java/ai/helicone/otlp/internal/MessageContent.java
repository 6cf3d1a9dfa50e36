package ai.helicone.otlp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts OpenAI-shaped request and response bodies (Chat Completions, Responses, legacy
 * completions) into the GenAI conventions' message shape: {@code {role, parts:[{type:"text",
 * content}], finish_reason}}. Anything it does not recognise is left out rather than guessed.
 */
final class MessageContent {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One message: a role, its parts (maps ready for JSON) and, for output, a finish reason. */
  static final class Message {
    final String role;
    final List<Map<String, Object>> parts;
    final String finishReason;

    Message(String role, List<Map<String, Object>> parts, String finishReason) {
      this.role = role;
      this.parts = parts;
      this.finishReason = finishReason;
    }

    /** The text parts joined, for attribute formats that only hold one string per message. */
    String text() {
      StringBuilder sb = new StringBuilder();
      for (Map<String, Object> part : parts) {
        Object content = part.get("content");
        if ("text".equals(part.get("type")) && content != null) {
          sb.append(content);
        } else if ("tool_call".equals(part.get("type"))) {
          sb.append(toJson(part));
        } else if ("tool_call_response".equals(part.get("type"))) {
          Object response = part.get("response");
          sb.append(response instanceof String ? response : toJson(response));
        }
      }
      return sb.toString();
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("role", role);
      m.put("parts", parts);
      if (finishReason != null) {
        m.put("finish_reason", finishReason);
      }
      return m;
    }
  }

  private MessageContent() {}

  /** Parses a JSON body; null when it is not valid JSON. */
  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * The chat history sent: {@code messages} (Chat Completions), {@code input} or {@code prompt}.
   */
  static List<Message> inputMessages(JsonNode request) {
    List<Message> out = new ArrayList<>();
    if (request == null || !request.isObject()) {
      return out;
    }
    JsonNode messages = request.get("messages");
    if (messages != null && messages.isArray()) {
      for (JsonNode m : messages) {
        Message msg = chatMessage(m, null);
        if (msg != null) {
          out.add(msg);
        }
      }
      return out;
    }
    JsonNode input = request.get("input");
    if (input != null && input.isTextual()) {
      out.add(new Message("user", List.of(textPart(input.asText())), null));
    } else if (input != null && input.isArray()) {
      for (JsonNode item : input) {
        Message msg = responsesInputItem(item);
        if (msg != null) {
          out.add(msg);
        }
      }
    }
    JsonNode prompt = request.get("prompt");
    if (out.isEmpty() && prompt != null && prompt.isTextual()) {
      out.add(new Message("user", List.of(textPart(prompt.asText())), null));
    }
    return out;
  }

  /**
   * Instructions given apart from the chat history: the Responses API's {@code instructions} or a
   * top-level {@code system}. System messages inside {@code messages} stay in the input messages,
   * as the conventions ask.
   */
  static List<Map<String, Object>> systemInstructions(JsonNode request) {
    List<Map<String, Object>> parts = new ArrayList<>();
    if (request == null || !request.isObject()) {
      return parts;
    }
    JsonNode instructions =
        request.has("instructions") ? request.get("instructions") : request.get("system");
    if (instructions != null) {
      contentParts(instructions, parts);
    }
    return parts;
  }

  /** The generated messages: {@code choices} (Chat Completions, completions) or {@code output}. */
  static List<Message> outputMessages(JsonNode response, List<String> finishReasons) {
    List<Message> out = new ArrayList<>();
    if (response == null || !response.isObject()) {
      return out;
    }
    JsonNode choices = response.get("choices");
    if (choices != null && choices.isArray()) {
      for (JsonNode choice : choices) {
        String finish = textOrNull(choice.get("finish_reason"));
        if (finish == null) {
          finish = finishReasons.size() > out.size() ? finishReasons.get(out.size()) : "stop";
        }
        JsonNode message = choice.get("message");
        if (message != null && message.isObject()) {
          Message msg = chatMessage(message, finish);
          if (msg != null) {
            out.add(msg);
          }
        } else if (choice.has("text")) {
          out.add(new Message("assistant", List.of(textPart(choice.get("text").asText())), finish));
        }
      }
      return out;
    }
    JsonNode output = response.get("output");
    if (output != null && output.isArray()) {
      List<Map<String, Object>> parts = new ArrayList<>();
      for (JsonNode item : output) {
        String type = textOrNull(item.get("type"));
        if ("message".equals(type)) {
          contentParts(item.get("content"), parts);
        } else if ("function_call".equals(type)) {
          parts.add(
              toolCallPart(
                  textOrNull(item.get("call_id")),
                  textOrNull(item.get("name")),
                  item.get("arguments")));
        } else if ("reasoning".equals(type)) {
          List<Map<String, Object>> summary = new ArrayList<>();
          contentParts(item.get("summary"), summary);
          for (Map<String, Object> s : summary) {
            Map<String, Object> reasoning = new LinkedHashMap<>();
            reasoning.put("type", "reasoning");
            reasoning.put("content", s.get("content"));
            parts.add(reasoning);
          }
        }
      }
      if (!parts.isEmpty()) {
        out.add(
            new Message(
                "assistant", parts, finishReasons.isEmpty() ? "stop" : finishReasons.get(0)));
      }
    }
    return out;
  }

  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // Only maps, lists, strings and JSON trees are written here; they always serialise.
      throw new IllegalStateException(e);
    }
  }

  static String messagesJson(List<Message> messages) {
    List<Map<String, Object>> list = new ArrayList<>(messages.size());
    for (Message m : messages) {
      list.add(m.toMap());
    }
    return toJson(list);
  }

  private static Message chatMessage(JsonNode m, String finishReason) {
    if (m == null || !m.isObject()) {
      return null;
    }
    String role = textOrNull(m.get("role"));
    if (role == null) {
      role = finishReason != null ? "assistant" : "user";
    }
    List<Map<String, Object>> parts = new ArrayList<>();
    if ("tool".equals(role) || "function".equals(role)) {
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("type", "tool_call_response");
      part.put("id", textOrNull(m.get("tool_call_id")));
      JsonNode content = m.get("content");
      part.put(
          "response", content == null ? null : content.isTextual() ? content.asText() : content);
      parts.add(part);
      return new Message(role, parts, finishReason);
    }
    contentParts(m.get("content"), parts);
    if (m.hasNonNull("refusal")) {
      parts.add(textPart(m.get("refusal").asText()));
    }
    JsonNode toolCalls = m.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode call : toolCalls) {
        JsonNode function = call.path("function");
        parts.add(
            toolCallPart(
                textOrNull(call.get("id")),
                textOrNull(function.get("name")),
                function.get("arguments")));
      }
    }
    return new Message(role, parts, finishReason);
  }

  private static Message responsesInputItem(JsonNode item) {
    if (item == null) {
      return null;
    }
    if (item.isTextual()) {
      return new Message("user", List.of(textPart(item.asText())), null);
    }
    String type = textOrNull(item.get("type"));
    if ("function_call".equals(type)) {
      List<Map<String, Object>> parts = new ArrayList<>();
      parts.add(
          toolCallPart(
              textOrNull(item.get("call_id")),
              textOrNull(item.get("name")),
              item.get("arguments")));
      return new Message("assistant", parts, null);
    }
    if ("function_call_output".equals(type)) {
      Map<String, Object> part = new LinkedHashMap<>();
      part.put("type", "tool_call_response");
      part.put("id", textOrNull(item.get("call_id")));
      JsonNode output = item.get("output");
      part.put("response", output == null ? null : output.isTextual() ? output.asText() : output);
      List<Map<String, Object>> parts = new ArrayList<>();
      parts.add(part);
      return new Message("tool", parts, null);
    }
    if (item.has("role")) {
      List<Map<String, Object>> parts = new ArrayList<>();
      contentParts(item.get("content"), parts);
      return new Message(textOrNull(item.get("role")), parts, null);
    }
    return null;
  }

  /** Text from a string, or from an array of {@code {type, text}} blocks. */
  private static void contentParts(JsonNode content, List<Map<String, Object>> parts) {
    if (content == null || content.isNull()) {
      return;
    }
    if (content.isTextual()) {
      parts.add(textPart(content.asText()));
      return;
    }
    if (!content.isArray()) {
      return;
    }
    for (JsonNode block : content) {
      if (block.isTextual()) {
        parts.add(textPart(block.asText()));
        continue;
      }
      String type = textOrNull(block.get("type"));
      if (block.hasNonNull("text")) {
        parts.add(textPart(block.get("text").asText()));
      } else if ("refusal".equals(type) && block.hasNonNull("refusal")) {
        parts.add(textPart(block.get("refusal").asText()));
      } else if (type != null) {
        // Images, audio and files: record that they were there without their data.
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", type);
        parts.add(part);
      }
    }
  }

  private static Map<String, Object> textPart(String text) {
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("type", "text");
    part.put("content", text);
    return part;
  }

  private static Map<String, Object> toolCallPart(String id, String name, JsonNode arguments) {
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("type", "tool_call");
    part.put("id", id);
    part.put("name", name);
    Object args = arguments;
    if (arguments != null && arguments.isTextual()) {
      JsonNode parsed = parse(arguments.asText());
      args = parsed != null ? parsed : arguments.asText();
    }
    part.put("arguments", args);
    return part;
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
