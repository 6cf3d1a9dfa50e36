package ai.helicone.anthropic.internal;

import ai.helicone.internal.parse.Json;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * The top-level facts of a non-streamed Messages response or error body, read with the streaming
 * parser: {@code content} is skipped without building a tree. Not thread-safe.
 */
public final class MessageSummary {
  private String id;
  private String model;
  private String stopReason;
  private final UsageCounts usage = new UsageCounts();
  private JsonNode error;
  private String topLevelMessage;
  private boolean json;

  private MessageSummary() {}

  /** Reads a response body; never throws. A body that is not JSON gives an empty summary. */
  public static MessageSummary read(InputStream body) {
    MessageSummary s = new MessageSummary();
    try (JsonParser p = Json.parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return s;
      }
      s.json = true;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (field) {
          case "id" -> s.id = Json.text(p);
          case "model" -> s.model = Json.text(p);
          case "stop_reason" -> s.stopReason = Json.text(p);
          case "usage" -> s.usage.read(p);
          case "error" -> {
            s.error = Json.tree(p);
            if (s.error == null && t == JsonToken.VALUE_STRING) {
              s.error = Json.MAPPER.getNodeFactory().textNode(p.getText());
            }
          }
          // Bedrock's errors: {"message": "..."} (some services spell it "Message").
          case "message", "Message" -> {
            if (s.topLevelMessage == null) {
              s.topLevelMessage = Json.text(p);
            }
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Truncated or malformed: keep what was read.
    }
    return s;
  }

  public boolean isJson() {
    return json;
  }

  public String id() {
    return id;
  }

  public String model() {
    return model;
  }

  public String stopReason() {
    return stopReason;
  }

  public Usage usage() {
    return usage.toUsage();
  }

  public JsonNode error() {
    return error;
  }

  public String topLevelMessage() {
    return topLevelMessage;
  }
}
