package ai.helicone.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.record.Usage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceRegistryTest {
  private final PriceRegistry defaults = PriceRegistry.defaults();

  private static Usage usage(long in, long out) {
    return Usage.builder().inputTokens(in).outputTokens(out).build();
  }

  private static void assertCost(BigDecimal actual, String expected) {
    assertThat(actual).isNotNull();
    assertThat(actual).isEqualByComparingTo(expected);
  }

  @Test
  void bundledTableIsDatedAndHasTheDocumentedSamples() {
    assertThat(defaults.pricesDate()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(defaults.find("openai", "gpt-4o")).contains(ModelPrice.of(2.50, 10.00, 1.25, null));
    assertThat(defaults.find("openai", "gpt-4o-mini"))
        .contains(ModelPrice.of(0.15, 0.60, 0.075, null));
    assertThat(defaults.find("openai", "o1")).contains(ModelPrice.of(15.0, 60.0, 7.5, null));
    assertThat(defaults.find("anthropic", "claude-3-5-sonnet"))
        .contains(ModelPrice.of(3.0, 15.0, 0.30, 3.75).withCacheWrite1h(new BigDecimal("6")));
  }

  @Test
  void bundledTableCoversTheFamiliesWeRecognise() {
    for (String model :
        new String[] {
          "gpt-5",
          "gpt-5-mini",
          "gpt-5-nano",
          "gpt-4.1",
          "gpt-4.1-mini",
          "gpt-4.1-nano",
          "o3",
          "o3-mini",
          "o4-mini",
          "gpt-4-turbo",
          "gpt-3.5-turbo",
          "text-embedding-3-small",
          "text-embedding-3-large",
          "text-embedding-ada-002"
        }) {
      assertThat(defaults.find("openai", model)).as(model).isPresent();
    }
    for (String model :
        new String[] {
          "claude-opus-4-1-20250805",
          "claude-sonnet-4-20250514",
          "claude-haiku-4-5-20251001",
          "claude-3-7-sonnet-20250219",
          "claude-3-5-haiku-20241022",
          "claude-3-opus-20240229",
          "claude-3-haiku-20240307"
        }) {
      assertThat(defaults.find("anthropic", model))
          .as(model)
          .hasValueSatisfying(p -> assertThat(p.cacheWritePerMillion()).isNotNull());
    }
    assertThat(defaults.find("groq", "llama-3.3-70b-versatile")).isPresent();
    assertThat(defaults.find("deepseek", "deepseek-chat")).isPresent();
    assertThat(defaults.find("mistral", "mistral-large-latest")).isPresent();
    assertThat(defaults.find("xai", "grok-4-0709")).isPresent();
    assertThat(defaults.find("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")).isPresent();
    assertThat(defaults.find("fireworks", "accounts/fireworks/models/deepseek-v3")).isPresent();
  }

  @Test
  void lookupsGiveTheSameAnswersRepeatedAndPastTheNamesRemembered() {
    PriceRegistry registry = PriceRegistry.builder().addDefaults().build();
    ModelPrice gpt4o = defaults.find("openai", "gpt-4o").orElseThrow();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 1500; i++) {
        assertThat(registry.find("openai", "gpt-4o-2030-01-" + i)).contains(gpt4o);
        assertThat(registry.find("provider-" + i, "gpt-4o")).isEmpty();
      }
      assertThat(registry.find("azure", "GPT-4o")).contains(gpt4o);
      assertThat(registry.find("openai", "gpt-4")).isNotEqualTo(registry.find("openai", "gpt-4o"));
      assertThat(registry.find("openai", "no-such-model")).isEmpty();
    }
  }

  @Test
  void plainInputAndOutput() {
    // gpt-4o: 1000 x 2.50 / 1M + 500 x 10.00 / 1M = 0.0025 + 0.005
    assertCost(defaults.cost("openai", "gpt-4o", usage(1000, 500)), "0.0075");
    // gpt-4o-mini: 1M x 0.15 / 1M + 1M x 0.60 / 1M
    assertCost(defaults.cost("openai", "gpt-4o-mini", usage(1_000_000, 1_000_000)), "0.75");
  }

  @Test
  void cachedInputIsBilledAtTheCachedPrice() {
    // gpt-4o: 1200 input of which 1000 cached, 300 output:
    // 200 x 2.50 + 1000 x 1.25 + 300 x 10.00 = 500 + 1250 + 3000 = 4750 per 1M = 0.00475
    Usage u =
        Usage.builder().inputTokens(1200L).cachedInputTokens(1000L).outputTokens(300L).build();
    assertCost(defaults.cost("openai", "gpt-4o", u), "0.00475");
  }

  @Test
  void reasoningTokensAreAlreadyPartOfTheOutput() {
    // o1: 100 input, 1000 output of which 800 reasoning: 100 x 15 + 1000 x 60 = 61500 per 1M
    Usage u = Usage.builder().inputTokens(100L).outputTokens(1000L).reasoningTokens(800L).build();
    assertCost(defaults.cost("openai", "o1", u), "0.0615");
  }

  @Test
  void cacheReadsAndWritesUseTheirOwnPrices() {
    // claude-3-5-sonnet: 10000 input = 2000 plain + 5000 read + 3000 written, 1000 output:
    // 2000 x 3 + 5000 x 0.30 + 3000 x 3.75 + 1000 x 15 = 6000 + 1500 + 11250 + 15000 = 33750
    Usage u =
        Usage.builder()
            .inputTokens(10_000L)
            .cachedInputTokens(5000L)
            .cacheWriteTokens(3000L)
            .outputTokens(1000L)
            .build();
    assertCost(defaults.cost("anthropic", "claude-3-5-sonnet-20241022", u), "0.03375");
  }

  @Test
  void oneHourCacheWritesUseTheirOwnPrice() {
    // claude-sonnet-4-5: 10000 input = 1000 plain + 4000 read + 5000 written (2000 of them for
    // 1 h), 100 output: 1000 x 3 + 4000 x 0.30 + 3000 x 3.75 + 2000 x 6 + 100 x 15
    // = 3000 + 1200 + 11250 + 12000 + 1500 = 28950 per 1M
    Usage u =
        Usage.builder()
            .inputTokens(10_000L)
            .cachedInputTokens(4000L)
            .cacheWriteTokens(5000L)
            .cacheWrite1hTokens(2000L)
            .outputTokens(100L)
            .build();
    assertCost(defaults.cost("anthropic", "claude-sonnet-4-5-20250929", u), "0.02895");
    // Without a one-hour price, one-hour writes cost the cache-write price.
    PriceRegistry r =
        PriceRegistry.builder().price("p", "m", ModelPrice.of(3.0, 15.0, 0.3, 3.75)).build();
    assertCost(r.cost("p", "m", u), "0.02445");
    PriceRegistry fromJson =
        PriceRegistry.builder()
            .load(
                new ByteArrayInputStream(
                    ("{\"providers\": {\"p\": {\"m\": {\"input\": 3, \"output\": 15,"
                            + " \"cachedInput\": 0.3, \"cacheWrite\": 3.75, \"cacheWrite1h\": 6}}}}")
                        .getBytes(StandardCharsets.UTF_8)))
            .build();
    assertThat(fromJson.find("p", "m"))
        .contains(ModelPrice.of(3.0, 15.0, 0.3, 3.75).withCacheWrite1h(new BigDecimal("6")));
    assertCost(fromJson.cost("p", "m", u), "0.02895");
  }

  @Test
  void missingCachedPriceFallsBackToTheInputPrice() {
    PriceRegistry r = PriceRegistry.builder().price("p", "m", ModelPrice.of(2.0, 4.0)).build();
    Usage u = Usage.builder().inputTokens(1000L).cachedInputTokens(400L).outputTokens(0L).build();
    assertCost(r.cost("p", "m", u), "0.002");
  }

  @Test
  void datedIdsResolveToTheirFamilyUnlessListed() {
    assertThat(defaults.find("openai", "gpt-4o-2024-08-06"))
        .isEqualTo(defaults.find("openai", "gpt-4o"));
    assertThat(defaults.find("openai", "gpt-4o-2024-05-13"))
        .contains(ModelPrice.of(5.0, 15.0, null, null));
    assertThat(defaults.find("openai", "gpt-4o-mini-2024-07-18"))
        .isEqualTo(defaults.find("openai", "gpt-4o-mini"));
    assertThat(defaults.find("openai", "GPT-4.1-2025-04-14"))
        .isEqualTo(defaults.find("openai", "gpt-4.1"));
  }

  @Test
  void prefixesMatchOnlyAtSeparators() {
    PriceRegistry r =
        PriceRegistry.builder()
            .price("openai", "gpt-4", ModelPrice.of(30, 60))
            .price("openai", "o1", ModelPrice.of(15, 60))
            .build();
    assertThat(r.find("openai", "gpt-4o")).isEmpty();
    assertThat(r.find("openai", "gpt-4o-mini")).isEmpty();
    assertThat(r.find("openai", "gpt-4-0613")).contains(ModelPrice.of(30, 60));
    assertThat(r.find("openai", "gpt-4:ft")).contains(ModelPrice.of(30, 60));
    assertThat(r.find("openai", "o10")).isEmpty();
    // The longest listed prefix wins.
    assertThat(defaults.find("openai", "gpt-4o-mini-2024-07-18"))
        .contains(ModelPrice.of(0.15, 0.60, 0.075, null));
    assertThat(defaults.find("openai", "gpt-4-turbo-2024-04-09"))
        .contains(ModelPrice.of(10, 30, null, null));
  }

  @Test
  void unknownModelsAndProvidersHaveNoCostRatherThanZero() {
    assertThat(defaults.find("openai", "my-own-model")).isEmpty();
    assertThat(defaults.cost("openai", "my-own-model", usage(10, 10))).isNull();
    assertThat(defaults.cost("nobody", "gpt-4o", usage(10, 10))).isNull();
    assertThat(defaults.cost(null, "gpt-4o", usage(10, 10))).isNull();
    assertThat(defaults.cost("openai", null, usage(10, 10))).isNull();
    assertThat(defaults.cost("openai", "gpt-4o", null)).isNull();
    assertThat(defaults.cost("openai", "gpt-4o", Usage.builder().build())).isNull();
  }

  @Test
  void aliasesFallBackToTheTargetProvider() {
    assertThat(defaults.find("azure", "gpt-4o-2024-11-20"))
        .isEqualTo(defaults.find("openai", "gpt-4o"));
    assertCost(defaults.cost("AZURE", "gpt-4o", usage(1000, 500)), "0.0075");
    PriceRegistry r =
        PriceRegistry.builder()
            .addDefaults()
            .price("azure", "gpt-4o", ModelPrice.of(3.0, 11.0))
            .build();
    // A provider's own price wins over its alias.
    assertThat(r.find("azure", "gpt-4o")).contains(ModelPrice.of(3.0, 11.0));
    assertThat(r.find("azure", "gpt-4o-mini")).isEqualTo(r.find("openai", "gpt-4o-mini"));
  }

  @Test
  void aliasCyclesEnd() {
    PriceRegistry r = PriceRegistry.builder().alias("a", "b").alias("b", "a").build();
    assertThat(r.find("a", "x")).isEmpty();
  }

  @Test
  void overridesFromCodeReplaceBundledPrices() {
    PriceRegistry r =
        PriceRegistry.builder()
            .addDefaults()
            .price("OpenAI", "GPT-4o", ModelPrice.of(1.0, 2.0))
            .price(
                "acme",
                "acme-large",
                ModelPrice.of(new BigDecimal("0.5"), BigDecimal.ONE, null, null))
            .build();
    assertCost(r.cost("openai", "gpt-4o", usage(1_000_000, 1_000_000)), "3");
    assertCost(r.cost("acme", "acme-large-v2", usage(2_000_000, 1_000_000)), "2");
    // The shared defaults are unchanged.
    assertCost(defaults.cost("openai", "gpt-4o", usage(1_000_000, 0)), "2.5");
  }

  @Test
  void overridesFromAJsonFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(
        file,
        "{\"date\":\"2000-01-01\",\"aliases\":{\"my-proxy\":\"openai\"},"
            + "\"providers\":{\"openai\":{\"gpt-4o\":{\"input\":1,\"output\":2,\"cachedInput\":0.5}},"
            + "\"local\":{\"llama3\":{\"input\":0,\"output\":0}}}}");
    PriceRegistry r = PriceRegistry.builder().addDefaults().load(file).build();
    assertThat(r.find("openai", "gpt-4o")).contains(ModelPrice.of(1.0, 2.0, 0.5, null));
    assertThat(r.find("my-proxy", "gpt-4o-2024-08-06"))
        .contains(ModelPrice.of(1.0, 2.0, 0.5, null));
    assertThat(r.find("openai", "gpt-4o-mini")).isEqualTo(defaults.find("openai", "gpt-4o-mini"));
    assertThat(r.cost("local", "llama3:8b", usage(100, 100))).isEqualByComparingTo("0");
    // An older override file does not hide the date of the newer bundled table.
    assertThat(r.pricesDate()).isEqualTo(defaults.pricesDate());
    PriceRegistry newer =
        PriceRegistry.builder()
            .addDefaults()
            .load(
                new ByteArrayInputStream(
                    "{\"date\":\"2999-01-01\"}".getBytes(StandardCharsets.UTF_8)))
            .build();
    assertThat(newer.pricesDate()).isEqualTo("2999-01-01");
  }

  @Test
  void invalidTablesAreRejectedWithTheirLocation() {
    assertThatThrownBy(() -> load("not json")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> load("[]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> load("{\"providers\":{\"p\":{\"m\":{\"output\":1}}}}"))
        .hasMessageContaining("p/m")
        .hasMessageContaining("input");
    assertThatThrownBy(() -> load("{\"providers\":{\"p\":{\"m\":{\"input\":\"x\",\"output\":1}}}}"))
        .hasMessageContaining("must be a number");
    assertThatThrownBy(() -> load("{\"providers\":{\"p\":{\"m\":{\"input\":-1,\"output\":1}}}}"))
        .hasMessageContaining("negative");
  }

  private static PriceRegistry load(String json) {
    return PriceRegistry.builder()
        .load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  @Test
  void routerModelIdsArePricedAsTheirVendorListsThem() {
    PriceRegistry prices =
        PriceRegistry.builder()
            .price("openai", "gpt-4o-mini", ModelPrice.of(0.15, 0.60))
            .price("openrouter", "openai/gpt-4o-mini", ModelPrice.of(1, 1))
            .build();

    assertThat(prices.find("openrouter", "openai/gpt-4o-mini-2024-07-18"))
        .contains(ModelPrice.of(1, 1));
    assertThat(prices.find("openrouter", "OpenAI/GPT-4o-mini")).contains(ModelPrice.of(1, 1));
    assertThat(prices.find("together", "openai/gpt-4o-mini")).contains(ModelPrice.of(0.15, 0.60));
    assertThat(prices.find("openrouter", "meta-llama/llama-3-70b")).isEmpty();
    assertThat(prices.find("openrouter", "openai/")).isEmpty();
    assertThat(PriceRegistry.defaults().find("openrouter", "anthropic/claude-3-5-sonnet"))
        .isEqualTo(PriceRegistry.defaults().find("anthropic", "claude-3-5-sonnet"))
        .isPresent();
  }
}
