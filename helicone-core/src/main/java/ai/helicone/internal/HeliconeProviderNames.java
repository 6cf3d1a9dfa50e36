package ai.helicone.internal;

import java.util.Locale;
import java.util.Map;

/**
 * Helicone's own name for each provider id of the records ({@code openai} → {@code OPENAI}, {@code
 * xai} → {@code X}), as its logging routes and cost tables spell them. Shared by the exporters that
 * write to Helicone, so both tell it the same provider. Stateless and thread-safe.
 */
public final class HeliconeProviderNames {
  /** Helicone's name for a call it has no provider (hence no price table) for. */
  public static final String CUSTOM = "CUSTOM";

  /** Helicone's name for self-hosted model servers. */
  public static final String LOCAL = "LOCAL";

  // Keys are record provider ids (lower case), values Helicone's provider names: the
  // providersNames list of its cost package (providers/mappings.ts).
  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("openai", "OPENAI"),
          // Any other OpenAI-format host is priced with OpenAI's table, as our own registry does.
          Map.entry("openai-compatible", "OPENAI"),
          Map.entry("azure", "AZURE"),
          Map.entry("anthropic", "ANTHROPIC"),
          Map.entry("gemini", "GOOGLE"),
          Map.entry("vertex_ai", "GOOGLE"),
          Map.entry("google", "GOOGLE"),
          Map.entry("groq", "GROQ"),
          Map.entry("deepseek", "DEEPSEEK"),
          Map.entry("openrouter", "OPENROUTER"),
          Map.entry("xai", "X"),
          Map.entry("together", "TOGETHER"),
          Map.entry("fireworks", "FIREWORKS"),
          Map.entry("mistral", "MISTRAL"),
          Map.entry("perplexity", "PERPLEXITY"),
          Map.entry("cerebras", "CEREBRAS"),
          Map.entry("nebius", "NEBIUS"),
          Map.entry("novita", "NOVITA"),
          Map.entry("deepinfra", "DEEPINFRA"),
          Map.entry("cohere", "COHERE"),
          Map.entry("bedrock", "BEDROCK"),
          Map.entry("ollama", LOCAL),
          Map.entry("vllm", LOCAL),
          Map.entry("lmstudio", LOCAL));

  private HeliconeProviderNames() {}

  /**
   * Helicone's name for a record's provider id: the table above, {@link #CUSTOM} for null or an id
   * Helicone does not know (an unknown name could be refused by its API).
   */
  public static String of(String provider) {
    if (provider == null) {
      return CUSTOM;
    }
    return NAMES.getOrDefault(provider.trim().toLowerCase(Locale.ROOT), CUSTOM);
  }

  /** Whether Helicone knows this provider id by a name of its own. */
  public static boolean isKnown(String provider) {
    return provider != null && NAMES.containsKey(provider.trim().toLowerCase(Locale.ROOT));
  }
}
