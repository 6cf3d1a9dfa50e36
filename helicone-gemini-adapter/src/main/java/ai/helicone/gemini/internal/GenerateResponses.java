package ai.helicone.gemini.internal;

import ai.helicone.openai.internal.Json;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates Gemini {@code GenerateContentResponse} objects: one for a plain answer, one per chunk
 * for a stream (server-sent events or a streamed JSON array). Keeps the model version, response id,
 * the last usage metadata, finish reasons by candidate, an error object, where the first content
 * arrived and, when asked to, the generated parts for a reassembled response. Objects are read with
 * the streaming parser; only usage, errors and non-text parts become trees. Not thread-safe.
 */
public final class GenerateResponses {
  private final boolean keepParts;
  private String modelVersion;
  private String responseId;
  private String createTime;
  private JsonNode usageMetadata;
  private JsonNode error;
  private String blockReason;
  private final List<Candidate> candidates = new ArrayList<>(1);
  private long firstContentOffset = -1;
  private boolean sawObject;
  private int objects;

  // Per object: whether it carried content.
  private boolean objectHasContent;

  /**
   * @param keepParts true to keep the generated text and parts for {@link #toResponseBody()}
   */
  public GenerateResponses(boolean keepParts) {
    this.keepParts = keepParts;
  }

  /**
   * Reads one response object from {@code data[off, off + len)}.
   *
   * @param endOffset where the object ended in the body, for time to first token
   * @param complete false for an object cut short: its text counts, its finish reasons and usage do
   *     not
   */
  public void read(byte[] data, int off, int len, long endOffset, boolean complete) {
    try (JsonParser p = Json.FACTORY.createParser(data, off, len)) {
      read(p, endOffset, complete);
    } catch (IOException e) {
      // Not JSON at all: nothing to keep.
    }
  }

  /** Reads one response object from a parser positioned before it. */
  public void read(JsonParser p, long endOffset, boolean complete) {
    objectHasContent = false;
    JsonNode objectUsage = null;
    List<String[]> reasons = new ArrayList<>(0);
    boolean parsed = false;
    try {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      sawObject = true;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (field) {
          case "candidates" -> {
            if (t == JsonToken.START_ARRAY) {
              int position = 0;
              while (p.nextToken() != JsonToken.END_ARRAY) {
                readCandidate(p, position++, reasons);
              }
            } else {
              p.skipChildren();
            }
          }
          case "usageMetadata" -> objectUsage = Json.tree(p);
          case "modelVersion" -> {
            if (modelVersion == null && t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
              modelVersion = p.getText();
            }
          }
          case "responseId" -> {
            if (responseId == null && t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
              responseId = p.getText();
            }
          }
          case "createTime" -> {
            if (createTime == null && t == JsonToken.VALUE_STRING) {
              createTime = p.getText();
            }
          }
          case "promptFeedback" -> {
            JsonNode feedback = Json.tree(p);
            String reason = Json.textField(feedback, "blockReason");
            if (reason != null) {
              blockReason = reason;
            }
          }
          case "error" -> {
            JsonNode e = Json.tree(p);
            if (e == null && t == JsonToken.VALUE_STRING) {
              e = Json.MAPPER.getNodeFactory().textNode(p.getText());
            }
            if (error == null) {
              error = e;
            }
          }
          default -> p.skipChildren();
        }
      }
      parsed = true;
    } catch (IOException | RuntimeException e) {
      // An object cut short by a cancelled stream: keep the text it carried.
    }
    objects++;
    if (objectHasContent && firstContentOffset < 0) {
      firstContentOffset = endOffset;
    }
    if (parsed && complete) {
      if (objectUsage != null && objectUsage.isObject()) {
        usageMetadata = objectUsage;
      }
      for (String[] r : reasons) {
        candidate(Integer.parseInt(r[0])).finishReason = r[1];
      }
    }
  }

  private void readCandidate(JsonParser p, int position, List<String[]> reasons)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    // "index" usually follows "content" (and is absent for a lone candidate): the parts are read
    // into a scratch candidate and moved to the right one at the end.
    int index = -1;
    Candidate scratch = null;
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
        case "content" -> {
          if (t == JsonToken.START_OBJECT && index >= 0) {
            readContent(p, candidate(index));
          } else if (t == JsonToken.START_OBJECT) {
            scratch = scratch == null ? new Candidate(-1) : scratch;
            readContent(p, scratch);
          } else {
            p.skipChildren();
          }
        }
        case "finishReason" -> finishReason = Json.text(p);
        default -> p.skipChildren();
      }
    }
    if (index < 0) {
      index = position;
    }
    Candidate candidate = candidate(index);
    if (scratch != null) {
      candidate.take(scratch);
    }
    if (finishReason != null && !finishReason.isEmpty()) {
      reasons.add(new String[] {Integer.toString(index), finishReason});
    }
  }

  private void readContent(JsonParser p, Candidate candidate) throws IOException {
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if ("parts".equals(field) && t == JsonToken.START_ARRAY) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          readPart(p, candidate);
        }
      } else if ("role".equals(field) && t == JsonToken.VALUE_STRING) {
        if (candidate.role == null && keepParts) {
          candidate.role = p.getText();
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private void readPart(JsonParser p, Candidate candidate) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    // The common part is {"text": "..."}, sometimes with "thought": true (before or after it) and a
    // "thoughtSignature". Anything else (functionCall, inlineData, executableCode, ...) is kept
    // whole.
    String text = null;
    boolean thought = false;
    ObjectNode other = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if ("text".equals(field) && t == JsonToken.VALUE_STRING) {
        if (p.getTextLength() > 0) {
          objectHasContent = true;
          if (keepParts) {
            text = p.getText();
          }
        }
      } else if ("thought".equals(field) && t == JsonToken.VALUE_TRUE) {
        thought = true;
      } else if ("thoughtSignature".equals(field) && t == JsonToken.VALUE_STRING) {
        if (keepParts) {
          candidate.thoughtSignature = p.getText();
        }
      } else if (t.isStructStart()) {
        objectHasContent = true;
        if (keepParts) {
          other = other == null ? Json.MAPPER.createObjectNode() : other;
          other.set(field, Json.tree(p));
        } else {
          p.skipChildren();
        }
      }
    }
    if (text != null) {
      candidate.appendText(text, thought);
    }
    if (other != null) {
      candidate.parts.add(new Part(null, false, other));
    }
  }

  private Candidate candidate(int index) {
    for (Candidate c : candidates) {
      if (c.index == index) {
        return c;
      }
    }
    Candidate c = new Candidate(index);
    candidates.add(c);
    return c;
  }

  /** The {@code modelVersion} of the answer, such as {@code gemini-2.5-flash-preview-05-20}. */
  public String modelVersion() {
    return modelVersion;
  }

  public String responseId() {
    return responseId;
  }

  /** The last complete {@code usageMetadata} object, or null. */
  public JsonNode usageMetadata() {
    return usageMetadata;
  }

  /** The {@code error} object (or string) of the body or of a chunk, or null. */
  public JsonNode error() {
    return error;
  }

  /** The offset at which the first object with content was complete, or -1. */
  public long firstContentOffset() {
    return firstContentOffset;
  }

  /** True when at least one JSON object was read. */
  public boolean sawObject() {
    return sawObject;
  }

  /** The number of objects read. */
  public int objects() {
    return objects;
  }

  /**
   * Finish reasons by candidate index, nulls left out; the prompt's block reason when no candidate
   * finished.
   */
  public List<String> finishReasons() {
    List<String> reasons = new ArrayList<>(candidates.size());
    for (Candidate c : sortedCandidates()) {
      if (c.finishReason != null) {
        reasons.add(c.finishReason);
      }
    }
    if (reasons.isEmpty() && blockReason != null) {
      reasons.add(blockReason);
    }
    return reasons;
  }

  /**
   * True when the answer reached its end: every candidate has its finish reason, the prompt was
   * blocked, or an error was reported.
   */
  public boolean completed() {
    if (error != null || blockReason != null) {
      return true;
    }
    if (candidates.isEmpty()) {
      return false;
    }
    for (Candidate c : candidates) {
      if (c.finishReason == null) {
        return false;
      }
    }
    return true;
  }

  private List<Candidate> sortedCandidates() {
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort((a, b) -> Integer.compare(a.index, b.index));
    return sorted;
  }

  /** The answer as one non-streamed {@code GenerateContentResponse} would have carried it. */
  public ObjectNode toResponseBody() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode out = root.putArray("candidates");
    for (Candidate c : sortedCandidates()) {
      ObjectNode candidate = out.addObject();
      ObjectNode content = candidate.putObject("content");
      ArrayNode parts = content.putArray("parts");
      for (Part part : c.parts) {
        if (part.other != null) {
          parts.add(part.other);
        } else {
          ObjectNode text = parts.addObject().put("text", part.text.toString());
          if (part.thought) {
            text.put("thought", true);
          }
        }
      }
      if (c.thoughtSignature != null && !c.parts.isEmpty()) {
        JsonNode last = parts.get(parts.size() - 1);
        ((ObjectNode) last).put("thoughtSignature", c.thoughtSignature);
      }
      content.put("role", c.role != null ? c.role : "model");
      if (c.finishReason != null) {
        candidate.put("finishReason", c.finishReason);
      }
      candidate.put("index", c.index);
    }
    if (blockReason != null) {
      root.putObject("promptFeedback").put("blockReason", blockReason);
    }
    if (usageMetadata != null) {
      root.set("usageMetadata", usageMetadata);
    }
    if (modelVersion != null) {
      root.put("modelVersion", modelVersion);
    }
    if (createTime != null) {
      root.put("createTime", createTime);
    }
    if (responseId != null) {
      root.put("responseId", responseId);
    }
    if (error != null) {
      root.set("error", error);
    }
    return root;
  }

  private static final class Candidate {
    final int index;
    String role;
    final List<Part> parts = new ArrayList<>(1);
    String finishReason;
    String thoughtSignature;

    Candidate(int index) {
      this.index = index;
    }

    void appendText(CharSequence text, boolean thought) {
      Part last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
      if (last != null && last.text != null && last.thought == thought) {
        last.text.append(text);
      } else {
        parts.add(new Part(new StringBuilder(text), thought, null));
      }
    }

    /** Moves the parts read into a scratch candidate here. */
    void take(Candidate scratch) {
      if (role == null) {
        role = scratch.role;
      }
      for (Part part : scratch.parts) {
        if (part.text != null) {
          appendText(part.text, part.thought);
        } else {
          parts.add(part);
        }
      }
      if (scratch.thoughtSignature != null) {
        thoughtSignature = scratch.thoughtSignature;
      }
    }
  }

  private static final class Part {
    final StringBuilder text;
    final boolean thought;
    final ObjectNode other;

    Part(StringBuilder text, boolean thought, ObjectNode other) {
      this.text = text;
      this.thought = thought;
      this.other = other;
    }
  }
}
