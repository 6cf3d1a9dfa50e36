package ai.helicone.gemini.internal;

import ai.helicone.internal.parse.Bytes;
import ai.helicone.internal.parse.Json;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accumulates Gemini {@code GenerateContentResponse} objects: one for a plain answer, one per chunk
 * for a stream (server-sent events or a streamed JSON array). Keeps the model version, response id,
 * the last usage metadata, finish reasons by candidate, an error object, where the first content
 * arrived and, when asked to, the generated parts for a reassembled response. Objects are read with
 * the streaming parser; only usage, errors and non-text parts become trees. Not thread-safe.
 */
public final class GenerateResponses {
  // What the summary looks for: a chunk naming any of the first three is always parsed.
  private static final byte[][] SUMMARY_KEYS = {
    key("finishReason"), key("error"), key("promptFeedback"), key("usageMetadata")
  };
  private static final int MUST_PARSE = 0b0111;
  private static final int USAGE_METADATA = 0b1000;

  private final boolean keepParts;
  private final boolean summaryOnly;
  // A skipped chunk carried usage after the last parsed one: the summary's usage is not the last.
  private boolean usageSkipped;
  private String modelVersion;
  private String responseId;
  private String createTime;
  // The last complete object's usage, and the current object's until it is complete.
  private final UsageMetadata usage = new UsageMetadata();
  private final UsageMetadata pendingUsage = new UsageMetadata();
  // Finish reasons of the current object, applied once it is complete.
  private int[] finishedIndexes = new int[2];
  private String[] finishedReasons = new String[2];
  private int finishedCount;
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
    this(keepParts, false);
  }

  /**
   * @param keepParts true to keep the generated text and parts for {@link #toResponseBody()}
   * @param summaryOnly true to skip, without parsing, the complete chunks that certainly carry no
   *     finish reason, error or prompt feedback once the model version and the first content are
   *     known; their usage is superseded by the final chunk's, and {@link #usageSkipped()} says
   *     when it was not (a stream cut short), so that the caller can read everything
   */
  public GenerateResponses(boolean keepParts, boolean summaryOnly) {
    this.keepParts = keepParts;
    this.summaryOnly = summaryOnly;
  }

  private static byte[] key(String name) {
    return ("\"" + name + "\"").getBytes(StandardCharsets.US_ASCII);
  }

  /** True when a chunk skipped in summary mode carried usage after the last parsed usage. */
  public boolean usageSkipped() {
    return usageSkipped;
  }

  // A byte scan, much cheaper than parsing; a false positive is merely parsed.
  private boolean skippable(byte[] data, int off, int len, boolean complete) {
    if (!summaryOnly || !complete || modelVersion == null || firstContentOffset < 0) {
      return false;
    }
    int keys = Bytes.quotedKeysIn(data, off, off + len, SUMMARY_KEYS);
    if ((keys & MUST_PARSE) != 0) {
      return false;
    }
    if ((keys & USAGE_METADATA) != 0) {
      usageSkipped = true;
    }
    return true;
  }

  /**
   * Reads one response object from {@code data[off, off + len)}.
   *
   * @param endOffset where the object ended in the body, for time to first token
   * @param complete false for an object cut short: its text counts, its finish reasons and usage do
   *     not
   */
  public void read(byte[] data, int off, int len, long endOffset, boolean complete) {
    if (skippable(data, off, len, complete)) {
      objects++;
      return;
    }
    objectHasContent = false;
    pendingUsage.clear();
    finishedCount = 0;
    boolean parsed = false;
    try (JsonParser p = Json.FACTORY.createParser(data, off, len)) {
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
                readCandidate(p, position++);
              }
            } else {
              p.skipChildren();
            }
          }
          case "usageMetadata" -> pendingUsage.read(p);
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
      // An object cut short by a cancelled stream, or not JSON: keep the text it carried.
    }
    objects++;
    if (objectHasContent && firstContentOffset < 0) {
      firstContentOffset = endOffset;
    }
    if (parsed && complete) {
      if (pendingUsage.present()) {
        usage.copyFrom(pendingUsage);
        usageSkipped = false;
      }
      for (int i = 0; i < finishedCount; i++) {
        candidate(finishedIndexes[i]).finishReason = finishedReasons[i];
      }
    }
  }

  private void finished(int index, String reason) {
    if (finishedCount == finishedIndexes.length) {
      finishedIndexes = Arrays.copyOf(finishedIndexes, finishedCount * 2);
      finishedReasons = Arrays.copyOf(finishedReasons, finishedCount * 2);
    }
    finishedIndexes[finishedCount] = index;
    finishedReasons[finishedCount] = reason;
    finishedCount++;
  }

  private void readCandidate(JsonParser p, int position) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    // "index" usually follows "content" (and is absent for a lone candidate). Content is read into
    // the candidate at this position; should the index name another one, what was added moves.
    int index = -1;
    Candidate target = null;
    int markParts = -1;
    int markTextLength = -1;
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
          if (t == JsonToken.START_OBJECT) {
            target = candidate(index >= 0 ? index : position);
            markParts = target.parts.size();
            markTextLength = target.lastTextLength();
            readContent(p, target);
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
    if (target != null && target.index != index) {
      target.moveSince(markParts, markTextLength, candidate(index));
      if (target.isEmpty()) {
        candidates.remove(target);
      }
    } else if (target == null) {
      candidate(index);
    }
    if (finishReason != null && !finishReason.isEmpty()) {
      finished(index, finishReason);
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

  /** The usage of the last complete {@code usageMetadata} object, or null. */
  public Usage usage() {
    return usage.toUsage();
  }

  /** The last complete {@code usageMetadata} object's counts (for tests and logs). */
  public String usageMetadata() {
    return usage.toString();
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
    if (usage.present()) {
      root.set("usageMetadata", usage.toJson());
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

    /** The length of the last part's text, or -1 when the last part is not text. */
    int lastTextLength() {
      Part last = parts.isEmpty() ? null : parts.get(parts.size() - 1);
      return last != null && last.text != null ? last.text.length() : -1;
    }

    /**
     * Moves to {@code other} what was added since this candidate had {@code partCount} parts, the
     * last one's text {@code textLength} long.
     */
    void moveSince(int partCount, int textLength, Candidate other) {
      if (partCount > 0 && textLength >= 0) {
        Part grown = parts.get(partCount - 1);
        if (grown.text.length() > textLength) {
          other.appendText(grown.text.substring(textLength), grown.thought);
          grown.text.setLength(textLength);
        }
      }
      List<Part> added = parts.subList(partCount, parts.size());
      for (Part part : added) {
        if (part.text != null) {
          other.appendText(part.text, part.thought);
        } else {
          other.parts.add(part);
        }
      }
      added.clear();
      if (other.role == null) {
        other.role = role;
      }
      if (thoughtSignature != null && other.thoughtSignature == null) {
        other.thoughtSignature = thoughtSignature;
      }
    }

    boolean isEmpty() {
      return parts.isEmpty() && finishReason == null;
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
