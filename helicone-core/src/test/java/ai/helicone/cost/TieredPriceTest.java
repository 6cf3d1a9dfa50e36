package ai.helicone.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.record.Usage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Prices that depend on the size of the prompt, and the bundled Gemini rows. */
class TieredPriceTest {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private final PriceRegistry defaults = PriceRegistry.defaults();

  /** tokens × USD per 1M. */
  private static BigDecimal usd(long tokens, String perMillion) {
    return new BigDecimal(perMillion).multiply(BigDecimal.valueOf(tokens)).divide(MILLION);
  }

  private static void assertUsd(BigDecimal actual, BigDecimal expected) {
    assertThat(actual).isNotNull();
    assertThat(actual.subtract(expected).abs()).isLessThanOrEqualTo(new BigDecimal("1e-9"));
  }

  @Test
  void theTierOfThePromptPricesTheWholeCall() {
    ModelPrice price =
        ModelPrice.of(1.25, 10.0, 0.125, null)
            .withTierAbove(200_000, ModelPrice.of(2.50, 15.0, 0.25, null));

    // 200 000 input tokens is still the lower tier ("over 200k" costs more).
    Usage atLimit =
        Usage.builder()
            .inputTokens(200_000L)
            .cachedInputTokens(50_000L)
            .outputTokens(1_000L)
            .build();
    assertUsd(
        price.cost(atLimit), usd(150_000, "1.25").add(usd(50_000, "0.125")).add(usd(1_000, "10")));

    Usage above =
        Usage.builder()
            .inputTokens(200_001L)
            .cachedInputTokens(50_000L)
            .outputTokens(1_000L)
            .build();
    assertUsd(
        price.cost(above), usd(150_001, "2.50").add(usd(50_000, "0.25")).add(usd(1_000, "15")));
    assertThat(price.forInputTokens(200_000)).isSameAs(price);
    assertThat(price.forInputTokens(200_001)).isEqualTo(ModelPrice.of(2.50, 15.0, 0.25, null));
    assertThat(price.tiers()).containsOnlyKeys(200_000L);
  }

  @Test
  void severalTiersPickTheHighestThresholdBelowThePrompt() {
    ModelPrice price =
        ModelPrice.of(1, 1)
            .withTierAbove(1_000_000, ModelPrice.of(3, 3))
            .withTierAbove(100_000, ModelPrice.of(2, 2));
    assertThat(price.forInputTokens(50_000)).isSameAs(price);
    assertThat(price.forInputTokens(500_000)).isEqualTo(ModelPrice.of(2, 2));
    assertThat(price.forInputTokens(2_000_000)).isEqualTo(ModelPrice.of(3, 3));
    assertThat(price).isNotEqualTo(ModelPrice.of(1, 1));
    assertThat(price.toString()).contains("tiers=");
    assertThatThrownBy(() -> ModelPrice.of(1, 1).withTierAbove(-1, ModelPrice.of(1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelPrice.of(1, 1).withTierAbove(10, price))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tiersLoadFromJson() {
    PriceRegistry r =
        load(
            "{\"providers\":{\"p\":{\"m\":{\"input\":1,\"output\":2,"
                + "\"tiers\":[{\"above\":1000,\"input\":3,\"output\":4,\"cachedInput\":0.5}]}}}}");
    assertThat(r.find("p", "m"))
        .contains(ModelPrice.of(1, 2).withTierAbove(1000, ModelPrice.of(3.0, 4.0, 0.5, null)));
    assertThatThrownBy(
            () -> load("{\"providers\":{\"p\":{\"m\":{\"input\":1,\"output\":2,\"tiers\":{}}}}}"))
        .hasMessageContaining("p/m")
        .hasMessageContaining("tiers");
    assertThatThrownBy(
            () ->
                load(
                    "{\"providers\":{\"p\":{\"m\":{\"input\":1,\"output\":2,"
                        + "\"tiers\":[{\"input\":3,\"output\":4}]}}}}"))
        .hasMessageContaining("above");
  }

  @Test
  void bundledGeminiPricesByTier() {
    // gemini-2.5-pro: 1.25 / 10 / cached 0.125 up to 200k prompt tokens, 2.50 / 15 / 0.25 above.
    Usage small =
        Usage.builder()
            .inputTokens(10_000L)
            .cachedInputTokens(4_000L)
            .outputTokens(1_500L)
            .reasoningTokens(1_000L)
            .build();
    assertUsd(
        defaults.cost("gemini", "gemini-2.5-pro", small),
        usd(6_000, "1.25").add(usd(4_000, "0.125")).add(usd(1_500, "10")));
    Usage large =
        Usage.builder()
            .inputTokens(250_000L)
            .cachedInputTokens(100_000L)
            .outputTokens(2_000L)
            .build();
    assertUsd(
        defaults.cost("gemini", "gemini-2.5-pro", large),
        usd(150_000, "2.50").add(usd(100_000, "0.25")).add(usd(2_000, "15")));
    // Vertex AI uses the same rows; dated and preview ids resolve to their family.
    assertThat(defaults.find("vertex_ai", "gemini-2.5-pro"))
        .isEqualTo(defaults.find("gemini", "gemini-2.5-pro"));
    assertThat(defaults.find("gemini", "gemini-2.5-flash-preview-09-2025"))
        .isEqualTo(defaults.find("gemini", "gemini-2.5-flash"));
    assertThat(defaults.find("gemini", "gemini-2.5-flash-lite-preview-09-2025"))
        .contains(ModelPrice.of(0.10, 0.40, 0.01, null));
    assertThat(defaults.find("vertex_ai", "gemini-2.0-flash-001"))
        .contains(ModelPrice.of(0.10, 0.40, 0.025, null));
    assertThat(defaults.find("gemini", "gemini-embedding-001")).isPresent();
    assertThat(defaults.find("gemini", "gemini-3-pro-preview").orElseThrow().tiers())
        .containsOnlyKeys(200_000L);
    // A model the table does not list has no cost, not zero.
    assertThat(defaults.cost("gemini", "gemini-9-ultra", small)).isNull();
    assertThat(defaults.cost("gemini", "gemini-3-pro-image-preview", small)).isNull();
  }

  private static PriceRegistry load(String json) {
    return PriceRegistry.builder()
        .load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
        .build();
  }
}
