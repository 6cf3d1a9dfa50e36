package ai.helicone.openai.internal;

import ai.helicone.internal.parse.Json;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-level facts of a non-streamed OpenAI-format response (chat, legacy completion, Responses,
 * embeddings), read with the streaming parser: large values such as {@code data}, {@code output}
 * and message texts are skipped without building a tree. Not thread-safe.
 */
public final class ResponseSummary {
  private String id;
  private String model;
  private String status;
  private UsageReader.Reading usage = UsageReader.Reading.NONE;
  // Set by a top-level usage object, which wins over Groq's.
  private boolean topLevelUsage;
  private JsonNode error;
  private JsonNode incompleteDetails;
  private String topLevelMessage;
  private final List<String> finishReasons = new ArrayList<>(1);
  private boolean vllmFields;
  private boolean json;
  private boolean valid;

  private ResponseSummary() {}

  /** Reads a response body; never throws. A body that is not JSON gives an empty summary. */
  public static ResponseSummary read(InputStream body) {
    ResponseSummary s = new ResponseSummary();
    try (JsonParser p = Json.parser(body)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        // An array or a scalar is valid JSON, if unusual; an empty body has nothing to parse.
        p.skipChildren();
        s.valid = true;
        if (first != null) {
          Json.noteWholeValue(p, body);
        }
        return s;
      }
      s.json = true;
      String field;
      while ((field = p.nextFieldName()) != null) {
        p.nextToken();
        s.readField(field, p);
      }
      s.valid = true;
      Json.noteWholeValue(p, body);
    } catch (IOException | RuntimeException e) {
      // Truncated or malformed: keep what was read.
    }
    return s;
  }

  private void readField(String field, JsonParser p) throws IOException {
    switch (field) {
      case "id" -> id = Json.text(p);
      case "model" -> model = Json.text(p);
      case "status" -> status = Json.text(p);
      case "message", "detail" -> {
        if (topLevelMessage == null) {
          topLevelMessage = Json.text(p);
        }
        p.skipChildren();
      }
      case "usage" -> {
        if (p.currentToken() == JsonToken.START_OBJECT) {
          usage = UsageReader.read(p);
          topLevelUsage = true;
        } else {
          p.skipChildren();
        }
      }
      case "x_groq" -> {
        JsonNode groq = Json.tree(p);
        if (!topLevelUsage && groq != null && groq.path("usage").isObject()) {
          usage = UsageReader.readTree(groq.get("usage"));
        }
      }
      case "error" -> {
        error = Json.tree(p);
        if (error == null && p.currentToken() == JsonToken.VALUE_STRING) {
          error = Json.MAPPER.getNodeFactory().textNode(p.getText());
        }
      }
      case "incomplete_details" -> incompleteDetails = Json.tree(p);
      case "choices" -> readChoices(p);
      case "prompt_logprobs", "kv_transfer_params" -> {
        // Fields only vLLM adds to OpenAI-format responses.
        vllmFields = true;
        p.skipChildren();
      }
      default -> p.skipChildren();
    }
  }

  private void readChoices(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        if ("finish_reason".equals(field) && t == JsonToken.VALUE_STRING) {
          finishReasons.add(p.getText());
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /** True when the body parsed as JSON to its end (or was empty). */
  public boolean isValidJson() {
    return valid;
  }

  /** True when the body began as a JSON object. */
  public boolean isJson() {
    return json;
  }

  public String id() {
    return id;
  }

  public String model() {
    return model;
  }

  /** The Responses API status ({@code completed}, {@code incomplete}, {@code failed}), or null. */
  public String status() {
    return status;
  }

  /** The usage's token counts, or null. */
  public Usage usage() {
    return usage.usage();
  }

  /** The cost the provider reported in its usage, or null. */
  public BigDecimal reportedCost() {
    return usage.reportedCost();
  }

  public JsonNode error() {
    return error;
  }

  public JsonNode incompleteDetails() {
    return incompleteDetails;
  }

  /** A top-level {@code message} or {@code detail} string (some error bodies), or null. */
  public String topLevelMessage() {
    return topLevelMessage;
  }

  public List<String> finishReasons() {
    return finishReasons;
  }

  /** True when the body has fields only vLLM sends. */
  public boolean vllmFields() {
    return vllmFields;
  }
}
