package ai.helicone.openai.internal;

import ai.helicone.internal.parse.Json;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * Reads an OpenAI-style {@code usage} object: Chat Completions and legacy Completions ({@code
 * prompt_tokens}, {@code completion_tokens}), the Responses API ({@code input_tokens}, {@code
 * output_tokens}) and the variants of compatible providers (DeepSeek cache hit and miss counts,
 * OpenRouter {@code cost}). Read with the streaming parser, so a response's usage costs no tree.
 */
public final class UsageReader {
  private UsageReader() {}

  /**
   * What a usage object says.
   *
   * @param usage the token counts, or null when the object has neither input nor output counts
   * @param reportedCost the cost the provider reported in USD ({@code usage.cost}), or null
   */
  public record Reading(Usage usage, BigDecimal reportedCost) {
    static final Reading NONE = new Reading(null, null);
  }

  /** The usage of a tree, or null when it is not an object with input or output counts. */
  public static Usage read(JsonNode usage) {
    return readTree(usage).usage();
  }

  /** The cost the provider reported in USD ({@code usage.cost}, OpenRouter), or null. */
  public static BigDecimal reportedCost(JsonNode usage) {
    return readTree(usage).reportedCost();
  }

  static Reading readTree(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Reading.NONE;
    }
    try (JsonParser p = usage.traverse()) {
      p.nextToken();
      return read(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a tree in memory reads without I/O
    }
  }

  /**
   * Reads the value at the parser's current token, which is skipped whole; anything but an object
   * says nothing.
   */
  public static Reading read(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return Reading.NONE;
    }
    Counts top = new Counts();
    Counts promptDetails = null;
    Counts inputDetails = null;
    Counts completionDetails = null;
    Counts outputDetails = null;
    BigDecimal cost = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (field) {
        case "prompt_tokens_details" -> promptDetails = Counts.readObject(p);
        case "input_tokens_details" -> inputDetails = Counts.readObject(p);
        case "completion_tokens_details" -> completionDetails = Counts.readObject(p);
        case "output_tokens_details" -> outputDetails = Counts.readObject(p);
        case "cost" ->
            cost =
                t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                    ? p.getDecimalValue()
                    : skip(p);
        default -> top.read(field, p);
      }
    }
    return new Reading(
        usage(
            top,
            promptDetails != null ? promptDetails : inputDetails,
            completionDetails != null ? completionDetails : outputDetails),
        cost);
  }

  private static BigDecimal skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static Usage usage(Counts top, Counts in, Counts out) {
    Long input = top.promptTokens != null ? top.promptTokens : top.inputTokens;
    Long output = top.completionTokens != null ? top.completionTokens : top.outputTokens;
    if (input == null && top.cacheHit != null && top.cacheMiss != null) {
      input = top.cacheHit + top.cacheMiss;
    }
    if (input == null && output == null) {
      return null;
    }
    Long cached = in == null ? null : in.cached;
    if (cached == null) {
      cached = top.cacheHit;
    }
    Long cacheWrite = in == null ? null : in.cacheWrite;
    if (cacheWrite == null && in != null) {
      cacheWrite = in.cacheCreation;
    }
    if (cacheWrite == null) {
      cacheWrite = top.cacheCreationInput;
    }
    return Usage.builder()
        .inputTokens(input)
        .outputTokens(output)
        .totalTokens(top.totalTokens)
        .cachedInputTokens(cached)
        .cacheWriteTokens(cacheWrite)
        .inputAudioTokens(in == null ? null : in.audio)
        .reasoningTokens(out == null ? null : out.reasoning)
        .outputAudioTokens(out == null ? null : out.audio)
        .build();
  }

  /** The counts of one object: the usage itself or one of its details; a later duplicate wins. */
  private static final class Counts {
    Long promptTokens;
    Long inputTokens;
    Long completionTokens;
    Long outputTokens;
    Long totalTokens;
    Long cacheHit;
    Long cacheMiss;
    Long cacheCreationInput;
    Long cached;
    Long cacheWrite;
    Long cacheCreation;
    Long audio;
    Long reasoning;

    /** The counts of the object at the current token, or null (skipped) when it is none. */
    static Counts readObject(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        return null;
      }
      Counts counts = new Counts();
      String field;
      while ((field = p.nextFieldName()) != null) {
        p.nextToken();
        counts.read(field, p);
      }
      return counts;
    }

    void read(String field, JsonParser p) throws IOException {
      Long value = Json.longValue(p);
      if (value == null) {
        p.skipChildren();
      }
      switch (field) {
        case "prompt_tokens" -> promptTokens = value;
        case "input_tokens" -> inputTokens = value;
        case "completion_tokens" -> completionTokens = value;
        case "output_tokens" -> outputTokens = value;
        case "total_tokens" -> totalTokens = value;
        case "prompt_cache_hit_tokens" -> cacheHit = value;
        case "prompt_cache_miss_tokens" -> cacheMiss = value;
        case "cache_creation_input_tokens" -> cacheCreationInput = value;
        case "cached_tokens" -> cached = value;
        case "cache_write_tokens" -> cacheWrite = value;
        case "cache_creation_tokens" -> cacheCreation = value;
        case "audio_tokens" -> audio = value;
        case "reasoning_tokens" -> reasoning = value;
        default -> {
          // Not a count this reader knows.
        }
      }
    }
  }
}
