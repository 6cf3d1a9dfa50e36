package ai.helicone.cost;

import ai.helicone.record.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model prices by provider, in USD per one million tokens, and the cost of a call from its usage.
 *
 * <p>Lookup lower-cases provider and model, then tries the exact model, then the longest listed
 * model that is a prefix of it ending at a separator ({@code -}, {@code :}, {@code @}, {@code /},
 * {@code .}), so that a dated id such as {@code gpt-4o-2024-08-06} resolves to {@code gpt-4o}
 * unless it is listed itself, while {@code gpt-4} never matches {@code gpt-4o}. A provider also
 * uses the prices of the provider it is an alias of ({@code azure} to {@code openai}, for example);
 * the longest match wins, the provider's own on a tie. A model the provider does not list, named
 * {@code vendor/model} as routers such as OpenRouter name them, is priced as {@code vendor} lists
 * {@code model}. An unknown model has no price and no cost (null, not zero).
 *
 * <p>The bundled table ({@link #defaults()}) names the date its prices were taken ({@link
 * #pricesDate()}). Users add or override prices with the {@link Builder}, from code or from JSON
 * files of the same layout as the bundled {@code ai/helicone/cost/prices.json}:
 *
 * <pre>{@code
 * {"date": "2026-11-01",
 *  "aliases": {"azure": "openai"},
 *  "providers": {"openai": {"gpt-4o": {"input": 2.5, "output": 10, "cachedInput": 1.25}}}}
 * }</pre>
 *
 * Each model has {@code input} and {@code output}; {@code cachedInput}, {@code cacheWrite} and
 * {@code cacheWrite1h} (one-hour cache writes) are optional. A model priced by the size of its
 * prompt lists its higher tiers, each applying to prompts of more than {@code above} input tokens:
 * {@code "gemini-2.5-pro": {"input": 1.25, "output": 10, "tiers": [{"above": 200000, "input": 2.5,
 * "output": 15}]}}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PriceRegistry {
  private static final String BUNDLED = "/ai/helicone/cost/prices.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static volatile PriceRegistry defaults;

  private final Map<String, Map<String, ModelPrice>> byProvider;
  private final Map<String, String> aliases;
  private final String pricesDate;
  // Calls repeat a few names: each provider and model is looked up once, not along prefixes and
  // aliases on every call. Bounded, so that endless distinct names cannot grow it.
  private final Map<String, Map<String, Optional<ModelPrice>>> found = new ConcurrentHashMap<>();

  private static final int MAX_REMEMBERED = 1000;

  private PriceRegistry(Builder b) {
    Map<String, Map<String, ModelPrice>> copy = new HashMap<>();
    b.byProvider.forEach((p, models) -> copy.put(p, Map.copyOf(models)));
    this.byProvider = Collections.unmodifiableMap(copy);
    this.aliases = Map.copyOf(b.aliases);
    this.pricesDate = b.pricesDate;
  }

  /** The bundled price table, loaded once. */
  public static PriceRegistry defaults() {
    PriceRegistry d = defaults;
    if (d == null) {
      synchronized (PriceRegistry.class) {
        d = defaults;
        if (d == null) {
          d = builder().addDefaults().build();
          defaults = d;
        }
      }
    }
    return d;
  }

  /** An empty builder; call {@link Builder#addDefaults()} to start from the bundled table. */
  public static Builder builder() {
    return new Builder();
  }

  /** The date the newest loaded table says its prices were taken, or null. */
  public String pricesDate() {
    return pricesDate;
  }

  /** The price of a model, if known. */
  public Optional<ModelPrice> find(String provider, String model) {
    if (provider == null || model == null) {
      return Optional.empty();
    }
    Map<String, Optional<ModelPrice>> byModel = found.get(provider);
    if (byModel == null) {
      if (found.size() >= MAX_REMEMBERED) {
        return lookUp(provider, model);
      }
      byModel = found.computeIfAbsent(provider, k -> new ConcurrentHashMap<>());
    }
    Optional<ModelPrice> price = byModel.get(model);
    if (price == null) {
      price = lookUp(provider, model);
      if (byModel.size() < MAX_REMEMBERED) {
        byModel.put(model, price);
      }
    }
    return price;
  }

  private Optional<ModelPrice> lookUp(String provider, String model) {
    String p = provider.toLowerCase(Locale.ROOT);
    String m = model.toLowerCase(Locale.ROOT);
    Optional<ModelPrice> own = findAlongAliases(p, m);
    if (own.isPresent()) {
      return own;
    }
    // Routers such as OpenRouter name models "vendor/model": price them as the vendor does.
    int slash = m.indexOf('/');
    if (slash > 0 && slash < m.length() - 1) {
      String vendor = m.substring(0, slash);
      if (!vendor.equals(p) && byProvider.containsKey(vendor)) {
        return findAlongAliases(vendor, m.substring(slash + 1));
      }
    }
    return Optional.empty();
  }

  private Optional<ModelPrice> findAlongAliases(String provider, String model) {
    String p = provider;
    String m = model;
    // The longest match along the alias chain wins, the provider itself on a tie: an override of
    // azure/gpt-4o must not price gpt-4o-mini, which openai lists exactly.
    ModelPrice best = null;
    int bestLength = 0;
    for (int hops = 0; p != null && hops < 4 && bestLength < m.length(); hops++) {
      Map<String, ModelPrice> models = byProvider.get(p);
      int length = matchLength(models, m);
      if (length > bestLength) {
        best = models.get(m.substring(0, length));
        bestLength = length;
      }
      p = aliases.get(p);
    }
    return Optional.ofNullable(best);
  }

  /** The length of the longest listed model that is {@code model} or its prefix, or 0. */
  private static int matchLength(Map<String, ModelPrice> models, String model) {
    if (models == null) {
      return 0;
    }
    if (models.containsKey(model)) {
      return model.length();
    }
    for (int i = model.length() - 1; i > 0; i--) {
      if (isSeparator(model.charAt(i)) && models.containsKey(model.substring(0, i))) {
        return i;
      }
    }
    return 0;
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == ':' || c == '@' || c == '/' || c == '.';
  }

  /** The cost of a call in USD, or null when the model's price or the usage is unknown. */
  public BigDecimal cost(String provider, String model, Usage usage) {
    return find(provider, model).map(price -> price.cost(usage)).orElse(null);
  }

  @Override
  public String toString() {
    int models = byProvider.values().stream().mapToInt(Map::size).sum();
    return "PriceRegistry{providers="
        + byProvider.size()
        + ", models="
        + models
        + ", date="
        + pricesDate
        + '}';
  }

  /** Builds a {@link PriceRegistry}; later entries override earlier ones. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Map<String, ModelPrice>> byProvider = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private String pricesDate;

    private Builder() {}

    /** Adds the bundled table. */
    public Builder addDefaults() {
      try (InputStream in = PriceRegistry.class.getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException("bundled price table " + BUNDLED + " is missing");
        }
        return load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read bundled price table", e);
      }
    }

    /** Adds or replaces the price of one model. */
    public Builder price(String provider, String model, ModelPrice price) {
      requireName(provider, "provider");
      requireName(model, "model");
      Objects.requireNonNull(price, "price");
      byProvider
          .computeIfAbsent(provider.toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>())
          .put(model.toLowerCase(Locale.ROOT), price);
      return this;
    }

    /** Makes lookups for {@code provider} fall back to {@code target}'s prices. */
    public Builder alias(String provider, String target) {
      requireName(provider, "provider");
      requireName(target, "target");
      aliases.put(provider.toLowerCase(Locale.ROOT), target.toLowerCase(Locale.ROOT));
      return this;
    }

    /** Adds the prices of a JSON file. */
    public Builder load(Path file) {
      Objects.requireNonNull(file, "file");
      try (InputStream in = Files.newInputStream(file)) {
        return load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read price file " + file, e);
      }
    }

    /** Adds the prices of a JSON document; the stream is read but not closed. */
    public Builder load(InputStream json) {
      Objects.requireNonNull(json, "json");
      JsonNode root;
      try {
        root = MAPPER.readTree(json);
      } catch (IOException e) {
        throw new IllegalArgumentException("price table is not valid JSON: " + e.getMessage(), e);
      }
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("price table must be a JSON object");
      }
      if (root.hasNonNull("date")) {
        // ISO dates compare as strings; an older override file must not hide the newer date.
        String date = root.get("date").asText();
        if (pricesDate == null || date.compareTo(pricesDate) > 0) {
          pricesDate = date;
        }
      }
      for (Map.Entry<String, JsonNode> a : root.path("aliases").properties()) {
        alias(a.getKey(), a.getValue().asText());
      }
      for (Map.Entry<String, JsonNode> provider : root.path("providers").properties()) {
        for (Map.Entry<String, JsonNode> model : provider.getValue().properties()) {
          price(provider.getKey(), model.getKey(), parsePrice(provider.getKey(), model));
        }
      }
      return this;
    }

    private static ModelPrice parsePrice(String provider, Map.Entry<String, JsonNode> entry) {
      JsonNode n = entry.getValue();
      String where = provider + "/" + entry.getKey();
      ModelPrice price = priceOf(n, where);
      JsonNode tiers = n.get("tiers");
      if (tiers != null && !tiers.isNull()) {
        if (!tiers.isArray()) {
          throw new IllegalArgumentException("price of " + where + ": \"tiers\" must be an array");
        }
        for (JsonNode tier : tiers) {
          JsonNode above = tier.get("above");
          if (above == null || !above.canConvertToLong() || above.asLong() < 0) {
            throw new IllegalArgumentException(
                "price of " + where + ": each tier needs \"above\", a token count");
          }
          price = price.withTierAbove(above.asLong(), priceOf(tier, where + " above " + above));
        }
      }
      return price;
    }

    private static ModelPrice priceOf(JsonNode n, String where) {
      ModelPrice price =
          ModelPrice.of(
              decimal(n, "input", where, true),
              decimal(n, "output", where, true),
              decimal(n, "cachedInput", where, false),
              decimal(n, "cacheWrite", where, false));
      BigDecimal cacheWrite1h = decimal(n, "cacheWrite1h", where, false);
      return cacheWrite1h == null ? price : price.withCacheWrite1h(cacheWrite1h);
    }

    private static BigDecimal decimal(JsonNode n, String field, String where, boolean required) {
      JsonNode v = n.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          throw new IllegalArgumentException("price of " + where + " lacks \"" + field + "\"");
        }
        return null;
      }
      if (!v.isNumber()) {
        throw new IllegalArgumentException(
            "price of " + where + ": \"" + field + "\" must be a number");
      }
      return v.decimalValue();
    }

    private static void requireName(String s, String what) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
    }

    public PriceRegistry build() {
      return new PriceRegistry(this);
    }
  }
}
