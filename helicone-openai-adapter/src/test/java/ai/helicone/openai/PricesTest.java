package ai.helicone.openai;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.cost.ModelPrice;
import ai.helicone.cost.PriceRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bundled price table as the models this adapter reads resolve in it. */
class PricesTest {
  private static final PriceRegistry PRICES = PriceRegistry.defaults();

  private static Optional<ModelPrice> price(String provider, String model) {
    return PRICES.find(provider, model);
  }

  @Test
  void theTableIsDated() {
    assertThat(PRICES.pricesDate()).matches("\\d{4}-\\d{2}-\\d{2}");
  }

  @Test
  void datedIdsResolveToTheirFamilyUnlessListed() {
    assertThat(price("openai", "gpt-4o-2024-08-06")).isEqualTo(price("openai", "gpt-4o"));
    assertThat(price("openai", "gpt-4o-mini-2024-07-18")).isEqualTo(price("openai", "gpt-4o-mini"));
    assertThat(price("openai", "gpt-4o-2024-05-13").orElseThrow())
        .isEqualTo(ModelPrice.of(5.00, 15.00));
    assertThat(price("openai", "o4-mini-2025-04-16")).isEqualTo(price("openai", "o4-mini"));
    assertThat(price("openai", "gpt-4.1-2025-04-14")).isEqualTo(price("openai", "gpt-4.1"));
  }

  @Test
  void deepResearchModelsAreNotPricedAsTheirBaseModel() {
    assertThat(price("openai", "o3-deep-research-2025-06-26").orElseThrow())
        .isEqualTo(ModelPrice.of(10.00, 40.00, 2.50, null));
    assertThat(price("openai", "o4-mini-deep-research").orElseThrow())
        .isEqualTo(ModelPrice.of(2.00, 8.00, 0.50, null));
  }

  @Test
  void azureNamesGpt35WithoutTheDot() {
    // Azure responses name the model "gpt-35-turbo"; OpenAI's own id is "gpt-3.5-turbo".
    assertThat(price("azure", "gpt-35-turbo")).isEqualTo(price("openai", "gpt-3.5-turbo"));
    assertThat(price("azure", "gpt-35-turbo-0125")).isEqualTo(price("openai", "gpt-3.5-turbo"));
    assertThat(price("azure", "gpt-4o-2024-11-20")).isEqualTo(price("openai", "gpt-4o"));
  }

  @Test
  void modelsOfTheProviderFixturesArePricedAndSelfHostedOnesAreNot() {
    assertThat(price("groq", "llama-3.3-70b-versatile")).isPresent();
    assertThat(price("deepseek", "deepseek-reasoner")).isPresent();
    assertThat(price("xai", "grok-4-0709")).isPresent();
    assertThat(price("mistral", "mistral-large-latest")).isPresent();
    assertThat(price("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")).isPresent();
    assertThat(price("fireworks", "accounts/fireworks/models/deepseek-v3")).isPresent();
    assertThat(price("openai-compatible", "gpt-4o-mini")).isPresent();
    assertThat(price("ollama", "llama3.2")).isEmpty();
    assertThat(price("vllm", "meta-llama/Llama-3.1-8B-Instruct")).isEmpty();
    assertThat(price("openai", "my-fine-model")).isEmpty();
  }
}
