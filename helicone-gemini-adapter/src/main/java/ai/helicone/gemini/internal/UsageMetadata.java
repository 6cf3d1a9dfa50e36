package ai.helicone.gemini.internal;

import ai.helicone.internal.parse.Json;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The counts of one Gemini {@code usageMetadata} object, read with the streaming parser into
 * primitive fields (every chunk of a stream repeats the running counts, so this runs once per chunk
 * and allocates nothing), and their mapping to the core's {@link Usage}, whose input includes
 * cached input and whose output includes reasoning:
 *
 * <ul>
 *   <li>input = {@code promptTokenCount} (which includes {@code cachedContentTokenCount}) + {@code
 *       toolUsePromptTokenCount} (tool results fed back to the model, billed as input);
 *   <li>cached input = {@code cachedContentTokenCount};
 *   <li>output = {@code candidatesTokenCount} + {@code thoughtsTokenCount}: the candidates' count
 *       excludes thinking, and both are billed at the output price;
 *   <li>reasoning = {@code thoughtsTokenCount};
 *   <li>audio = the {@code AUDIO} entries of {@code promptTokensDetails} and {@code
 *       candidatesTokensDetails};
 *   <li>total = {@code totalTokenCount}.
 * </ul>
 *
 * Not thread-safe.
 */
public final class UsageMetadata {
  private static final char[] AUDIO = {'A', 'U', 'D', 'I', 'O'};
  // A count that was not reported.
  private static final long NONE = -1;

  private long prompt = NONE;
  private long candidates = NONE;
  private long total = NONE;
  private long cached = NONE;
  private long thoughts = NONE;
  private long toolUse = NONE;
  private long promptAudio = NONE;
  private long candidatesAudio = NONE;
  private boolean present;

  /** Forgets every count. */
  public void clear() {
    prompt =
        candidates = total = cached = thoughts = toolUse = promptAudio = candidatesAudio = NONE;
    present = false;
  }

  /** Takes the counts of {@code other}. */
  public void copyFrom(UsageMetadata other) {
    prompt = other.prompt;
    candidates = other.candidates;
    total = other.total;
    cached = other.cached;
    thoughts = other.thoughts;
    toolUse = other.toolUse;
    promptAudio = other.promptAudio;
    candidatesAudio = other.candidatesAudio;
    present = other.present;
  }

  /** True when an object was read. */
  public boolean present() {
    return present;
  }

  /** Reads the object the parser is at (its {@code START_OBJECT}); other values are skipped. */
  public void read(JsonParser p) throws IOException {
    clear();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    present = true;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (field) {
        case "promptTokenCount" -> prompt = count(p, t);
        case "candidatesTokenCount" -> candidates = count(p, t);
        case "totalTokenCount" -> total = count(p, t);
        case "cachedContentTokenCount" -> cached = count(p, t);
        case "thoughtsTokenCount" -> thoughts = count(p, t);
        case "toolUsePromptTokenCount" -> toolUse = count(p, t);
        case "promptTokensDetails" -> promptAudio = audio(p, t);
        case "candidatesTokensDetails" -> candidatesAudio = audio(p, t);
        default -> p.skipChildren();
      }
    }
  }

  private static long count(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      Long v = Json.longValue(p);
      return v == null ? NONE : v;
    }
    p.skipChildren();
    return NONE;
  }

  /** The tokens of the {@code AUDIO} entries of a {@code [{modality, tokenCount}]} list. */
  private static long audio(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return NONE;
    }
    long sum = NONE;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      boolean audio = false;
      long tokens = NONE;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        if ("modality".equals(field) && v == JsonToken.VALUE_STRING) {
          audio = isAudio(p);
        } else if ("tokenCount".equals(field)) {
          tokens = count(p, v);
        } else {
          p.skipChildren();
        }
      }
      if (audio) {
        sum = (sum == NONE ? 0 : sum) + (tokens == NONE ? 0 : tokens);
      }
    }
    return sum;
  }

  private static boolean isAudio(JsonParser p) throws IOException {
    if (p.getTextLength() != AUDIO.length) {
      return false;
    }
    char[] chars = p.getTextCharacters();
    int off = p.getTextOffset();
    for (int i = 0; i < AUDIO.length; i++) {
      if (chars[off + i] != AUDIO[i]) {
        return false;
      }
    }
    return true;
  }

  /** The usage, or null when no object was read or it has neither prompt nor output counts. */
  public Usage toUsage() {
    if (!present || (prompt == NONE && candidates == NONE && thoughts == NONE)) {
      return null;
    }
    Long input = prompt == NONE && toolUse == NONE ? null : orZero(prompt) + orZero(toolUse);
    Long output =
        candidates == NONE && thoughts == NONE ? null : orZero(candidates) + orZero(thoughts);
    return Usage.builder()
        .inputTokens(input)
        .outputTokens(output)
        .cachedInputTokens(boxed(cached))
        .reasoningTokens(boxed(thoughts))
        .inputAudioTokens(boxed(promptAudio))
        .outputAudioTokens(boxed(candidatesAudio))
        .totalTokens(boxed(total))
        .build();
  }

  /**
   * The counts as a {@code usageMetadata} object, for a reassembled response: the counts above
   * under their Gemini names; per-modality lists only for audio.
   */
  public ObjectNode toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    put(o, "promptTokenCount", prompt);
    put(o, "candidatesTokenCount", candidates);
    put(o, "totalTokenCount", total);
    put(o, "cachedContentTokenCount", cached);
    put(o, "thoughtsTokenCount", thoughts);
    put(o, "toolUsePromptTokenCount", toolUse);
    if (promptAudio != NONE) {
      o.putArray("promptTokensDetails")
          .addObject()
          .put("modality", "AUDIO")
          .put("tokenCount", promptAudio);
    }
    if (candidatesAudio != NONE) {
      o.putArray("candidatesTokensDetails")
          .addObject()
          .put("modality", "AUDIO")
          .put("tokenCount", candidatesAudio);
    }
    return o;
  }

  private static void put(ObjectNode o, String name, long v) {
    if (v != NONE) {
      o.put(name, v);
    }
  }

  private static Long boxed(long v) {
    return v == NONE ? null : Long.valueOf(v);
  }

  private static long orZero(long v) {
    return v == NONE ? 0 : v;
  }

  @Override
  public String toString() {
    return present ? toJson().toString() : "none";
  }
}
