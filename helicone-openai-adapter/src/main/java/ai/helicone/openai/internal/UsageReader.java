package ai.helicone.openai.internal;

import ai.helicone.internal.parse.Json;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Reads an OpenAI-style {@code usage} object: Chat Completions and legacy Completions ({@code
 * prompt_tokens}, {@code completion_tokens}), the Responses API ({@code input_tokens}, {@code
 * output_tokens}) and the variants of compatible providers (DeepSeek cache hit and miss counts,
 * OpenRouter {@code cost}).
 */
public final class UsageReader {
  private UsageReader() {}

  /** The usage, or null when the object has neither input nor output counts. */
  public static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    Long input = first(usage, "prompt_tokens", "input_tokens");
    Long output = first(usage, "completion_tokens", "output_tokens");
    Long cacheHit = Json.longField(usage, "prompt_cache_hit_tokens");
    Long cacheMiss = Json.longField(usage, "prompt_cache_miss_tokens");
    if (input == null && cacheHit != null && cacheMiss != null) {
      input = cacheHit + cacheMiss;
    }
    if (input == null && output == null) {
      return null;
    }
    JsonNode inputDetails = firstNode(usage, "prompt_tokens_details", "input_tokens_details");
    JsonNode outputDetails = firstNode(usage, "completion_tokens_details", "output_tokens_details");
    Long cached = Json.longField(inputDetails, "cached_tokens");
    if (cached == null) {
      cached = cacheHit;
    }
    Long cacheWrite = Json.longField(inputDetails, "cache_write_tokens");
    if (cacheWrite == null) {
      cacheWrite = Json.longField(inputDetails, "cache_creation_tokens");
    }
    if (cacheWrite == null) {
      cacheWrite = Json.longField(usage, "cache_creation_input_tokens");
    }
    return Usage.builder()
        .inputTokens(input)
        .outputTokens(output)
        .totalTokens(Json.longField(usage, "total_tokens"))
        .cachedInputTokens(cached)
        .cacheWriteTokens(cacheWrite)
        .inputAudioTokens(Json.longField(inputDetails, "audio_tokens"))
        .reasoningTokens(Json.longField(outputDetails, "reasoning_tokens"))
        .outputAudioTokens(Json.longField(outputDetails, "audio_tokens"))
        .build();
  }

  /** The cost the provider reported in USD ({@code usage.cost}, OpenRouter), or null. */
  public static BigDecimal reportedCost(JsonNode usage) {
    JsonNode cost = usage == null ? null : usage.get("cost");
    return cost != null && cost.isNumber() ? cost.decimalValue() : null;
  }

  private static Long first(JsonNode node, String a, String b) {
    Long v = Json.longField(node, a);
    return v != null ? v : Json.longField(node, b);
  }

  private static JsonNode firstNode(JsonNode node, String a, String b) {
    JsonNode v = node.get(a);
    if (v != null && v.isObject()) {
      return v;
    }
    v = node.get(b);
    return v != null && v.isObject() ? v : null;
  }
}
