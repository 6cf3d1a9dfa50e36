package ai.helicone.gemini.internal;

import ai.helicone.openai.internal.Json;
import ai.helicone.record.Usage;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads Gemini's {@code usageMetadata} into the core's {@link Usage}, whose input includes cached
 * input and whose output includes reasoning.
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
 */
public final class UsageMetadata {
  private UsageMetadata() {}

  /** The usage, or null when the object has neither prompt nor candidate counts. */
  public static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    Long prompt = Json.longField(usage, "promptTokenCount");
    Long toolUse = Json.longField(usage, "toolUsePromptTokenCount");
    Long candidates = Json.longField(usage, "candidatesTokenCount");
    Long thoughts = Json.longField(usage, "thoughtsTokenCount");
    if (prompt == null && candidates == null && thoughts == null) {
      return null;
    }
    Long input = prompt == null && toolUse == null ? null : orZero(prompt) + orZero(toolUse);
    Long output =
        candidates == null && thoughts == null ? null : orZero(candidates) + orZero(thoughts);
    return Usage.builder()
        .inputTokens(input)
        .outputTokens(output)
        .cachedInputTokens(Json.longField(usage, "cachedContentTokenCount"))
        .reasoningTokens(thoughts)
        .inputAudioTokens(modality(usage.get("promptTokensDetails"), "AUDIO"))
        .outputAudioTokens(modality(usage.get("candidatesTokensDetails"), "AUDIO"))
        .totalTokens(Json.longField(usage, "totalTokenCount"))
        .build();
  }

  /** The token count of one modality in a {@code [{modality, tokenCount}]} list, or null. */
  static Long modality(JsonNode details, String modality) {
    if (details == null || !details.isArray()) {
      return null;
    }
    Long sum = null;
    for (JsonNode entry : details) {
      if (modality.equals(Json.textField(entry, "modality"))) {
        Long count = Json.longField(entry, "tokenCount");
        sum = orZero(sum) + orZero(count);
      }
    }
    return sum;
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
