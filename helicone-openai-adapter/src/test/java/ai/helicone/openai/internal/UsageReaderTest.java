package ai.helicone.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.record.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Every count lands in its own field: each one below has a distinct value. */
class UsageReaderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Usage read(String json) throws Exception {
    return UsageReader.read(MAPPER.readTree(json));
  }

  @Test
  void chatCompletionsUsageWithEveryDetail() throws Exception {
    assertThat(
            read(
                "{\"prompt_tokens\":1200,\"completion_tokens\":300,\"total_tokens\":1500,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":1000,\"audio_tokens\":7,"
                    + "\"cache_write_tokens\":11},"
                    + "\"completion_tokens_details\":{\"reasoning_tokens\":120,\"audio_tokens\":13}}"))
        .isEqualTo(
            Usage.builder()
                .inputTokens(1200L)
                .outputTokens(300L)
                .totalTokens(1500L)
                .cachedInputTokens(1000L)
                .cacheWriteTokens(11L)
                .inputAudioTokens(7L)
                .reasoningTokens(120L)
                .outputAudioTokens(13L)
                .build());
  }

  @Test
  void responsesUsage() throws Exception {
    assertThat(
            read(
                "{\"input_tokens\":36,\"input_tokens_details\":{\"cached_tokens\":12},"
                    + "\"output_tokens\":287,\"output_tokens_details\":{\"reasoning_tokens\":192},"
                    + "\"total_tokens\":323}"))
        .isEqualTo(
            Usage.builder()
                .inputTokens(36L)
                .cachedInputTokens(12L)
                .outputTokens(287L)
                .reasoningTokens(192L)
                .totalTokens(323L)
                .build());
  }

  @Test
  void cacheWritesUnderTheirOtherNames() throws Exception {
    assertThat(
            read("{\"prompt_tokens\":50,\"completion_tokens\":1,"
                    + "\"prompt_tokens_details\":{\"cache_creation_tokens\":20}}")
                .cacheWriteTokens())
        .isEqualTo(20);
    assertThat(
            read("{\"prompt_tokens\":50,\"completion_tokens\":1,\"cache_creation_input_tokens\":30}")
                .cacheWriteTokens())
        .isEqualTo(30);
  }

  @Test
  void deepSeekCacheHitAndMissCounts() throws Exception {
    Usage usage =
        read(
            "{\"completion_tokens\":5,\"prompt_cache_hit_tokens\":64,"
                + "\"prompt_cache_miss_tokens\":36}");
    assertThat(usage.inputTokens()).isEqualTo(100);
    assertThat(usage.cachedInputTokens()).isEqualTo(64);
  }

  @Test
  void noCountsNoUsage() throws Exception {
    assertThat(read("{\"cost\":0.1}")).isNull();
    assertThat(UsageReader.read((JsonNode) null)).isNull();
    assertThat(read("[]")).isNull();
  }

  @Test
  void reportedCostOnlyWhenANumber() throws Exception {
    assertThat(UsageReader.reportedCost(MAPPER.readTree("{\"cost\":0.000372}")))
        .isEqualByComparingTo("0.000372");
    assertThat(UsageReader.reportedCost(MAPPER.readTree("{\"cost\":{\"total_cost\":1}}"))).isNull();
    assertThat(UsageReader.reportedCost(null)).isNull();
  }

  @Test
  void valuesOfTheWrongShapeAreSkippedWithoutLosingTheRest() throws Exception {
    Usage usage =
        read(
            "{\"prompt_tokens\":{\"text\":12},\"input_tokens\":9,\"completion_tokens\":[3],"
                + "\"prompt_tokens_details\":[{\"cached_tokens\":5}],"
                + "\"input_tokens_details\":{\"cached_tokens\":4},"
                + "\"output_tokens\":2,\"total_tokens\":\"11\"}");
    assertThat(usage)
        .isEqualTo(Usage.builder().inputTokens(9L).outputTokens(2L).cachedInputTokens(4L).build());
  }
}
