package ai.helicone.cost;

import ai.helicone.record.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Prices of one model in USD per one million tokens. Cached input and cache writes default to the
 * input price when the provider publishes no separate price. A model whose price depends on the
 * length of the prompt (Gemini's long-context prices, say) has tiers: {@link #withTierAbove} adds
 * the prices for prompts of more than a number of input tokens. Immutable and thread-safe.
 */
public final class ModelPrice {

  private final BigDecimal input;
  private final BigDecimal output;
  private final BigDecimal cachedInput;
  private final BigDecimal cacheWrite;
  private final BigDecimal cacheWrite1h;
  // Prices for longer prompts, by the input-token count they apply above; empty for most models.
  private final NavigableMap<Long, ModelPrice> tiers;

  private ModelPrice(
      BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite) {
    this(input, output, cachedInput, cacheWrite, null);
  }

  private ModelPrice(
      BigDecimal input,
      BigDecimal output,
      BigDecimal cachedInput,
      BigDecimal cacheWrite,
      BigDecimal cacheWrite1h) {
    this(input, output, cachedInput, cacheWrite, cacheWrite1h, Collections.emptyNavigableMap());
  }

  private ModelPrice(
      BigDecimal input,
      BigDecimal output,
      BigDecimal cachedInput,
      BigDecimal cacheWrite,
      BigDecimal cacheWrite1h,
      NavigableMap<Long, ModelPrice> tiers) {
    this.input = requireNonNegative(input, "input");
    this.output = requireNonNegative(output, "output");
    this.cachedInput = cachedInput == null ? null : requireNonNegative(cachedInput, "cachedInput");
    this.cacheWrite = cacheWrite == null ? null : requireNonNegative(cacheWrite, "cacheWrite");
    this.cacheWrite1h =
        cacheWrite1h == null ? null : requireNonNegative(cacheWrite1h, "cacheWrite1h");
    this.tiers = Collections.unmodifiableNavigableMap(tiers);
  }

  private static BigDecimal requireNonNegative(BigDecimal v, String name) {
    Objects.requireNonNull(v, name);
    if (v.signum() < 0) {
      throw new IllegalArgumentException(name + " price must not be negative: " + v);
    }
    return v;
  }

  /** Input and output prices in USD per 1M tokens. */
  public static ModelPrice of(double inputPerMillion, double outputPerMillion) {
    return of(inputPerMillion, outputPerMillion, null, null);
  }

  /**
   * All prices in USD per 1M tokens; {@code cachedInput} and {@code cacheWrite} may be null (then
   * the input price applies).
   */
  public static ModelPrice of(
      double inputPerMillion, double outputPerMillion, Double cachedInput, Double cacheWrite) {
    return new ModelPrice(
        BigDecimal.valueOf(inputPerMillion),
        BigDecimal.valueOf(outputPerMillion),
        cachedInput == null ? null : BigDecimal.valueOf(cachedInput),
        cacheWrite == null ? null : BigDecimal.valueOf(cacheWrite));
  }

  /** All prices in USD per 1M tokens, as decimals; the last two may be null. */
  public static ModelPrice of(
      BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite) {
    return new ModelPrice(input, output, cachedInput, cacheWrite);
  }

  /**
   * This price with a separate price, in USD per 1M tokens, for cache writes with a one-hour
   * lifetime ({@link Usage#cacheWrite1hTokens()}); without it they cost the cache-write price.
   */
  public ModelPrice withCacheWrite1h(BigDecimal perMillion) {
    return new ModelPrice(
        input,
        output,
        cachedInput,
        cacheWrite,
        Objects.requireNonNull(perMillion, "perMillion"),
        new TreeMap<>(tiers));
  }

  public BigDecimal inputPerMillion() {
    return input;
  }

  public BigDecimal outputPerMillion() {
    return output;
  }

  /** The cached-input price, or null when the input price applies. */
  public BigDecimal cachedInputPerMillion() {
    return cachedInput;
  }

  /** The cache-write price, or null when the input price applies. */
  public BigDecimal cacheWritePerMillion() {
    return cacheWrite;
  }

  /** The price of one-hour cache writes, or null when the cache-write price applies. */
  public BigDecimal cacheWrite1hPerMillion() {
    return cacheWrite1h;
  }

  /**
   * A copy of this price in which prompts of more than {@code inputTokens} input tokens (cached
   * input included) are billed at {@code price} for all their tokens, input and output. Several
   * tiers may be added; the one with the highest threshold below the prompt's size applies.
   *
   * @throws IllegalArgumentException when {@code inputTokens} is negative or {@code price} has
   *     tiers itself
   */
  public ModelPrice withTierAbove(long inputTokens, ModelPrice price) {
    Objects.requireNonNull(price, "price");
    if (inputTokens < 0) {
      throw new IllegalArgumentException("tier threshold must not be negative: " + inputTokens);
    }
    if (!price.tiers.isEmpty()) {
      throw new IllegalArgumentException("a tier's price cannot have tiers itself");
    }
    NavigableMap<Long, ModelPrice> copy = new TreeMap<>(tiers);
    copy.put(inputTokens, price);
    return new ModelPrice(input, output, cachedInput, cacheWrite, cacheWrite1h, copy);
  }

  /**
   * The tiers added with {@link #withTierAbove}: prices by the input-token count above which they
   * apply; empty when the price does not depend on the prompt's size.
   */
  public NavigableMap<Long, ModelPrice> tiers() {
    return tiers;
  }

  /** The price that applies to a prompt of {@code inputTokens} input tokens. */
  public ModelPrice forInputTokens(long inputTokens) {
    var tier = tiers.lowerEntry(inputTokens);
    return tier == null ? this : tier.getValue();
  }

  /**
   * The cost of {@code usage} in USD, or null when the usage has neither input nor output counts.
   * Input tokens include cached reads and cache writes, which are billed at their own prices (the
   * one-hour part of the cache writes at the one-hour price); reasoning tokens are part of the
   * output. With tiers, the tier of the prompt's input tokens prices the whole call.
   */
  public BigDecimal cost(Usage usage) {
    if (usage == null || (usage.inputTokens() == null && usage.outputTokens() == null)) {
      return null;
    }
    var tier = tiers.lowerEntry(orZero(usage.inputTokens()));
    if (tier != null) {
      return tier.getValue().cost(usage);
    }
    long in = orZero(usage.inputTokens());
    long cached = orZero(usage.cachedInputTokens());
    long written = orZero(usage.cacheWriteTokens());
    long uncached = Math.max(0, in - cached - written);
    long writtenFor1h = Math.min(written, orZero(usage.cacheWrite1hTokens()));
    BigDecimal writePrice = orInput(cacheWrite);
    BigDecimal perMillion =
        input
            .multiply(BigDecimal.valueOf(uncached))
            .add(orInput(cachedInput).multiply(BigDecimal.valueOf(cached)))
            .add(writePrice.multiply(BigDecimal.valueOf(written - writtenFor1h)))
            .add(
                (cacheWrite1h != null ? cacheWrite1h : writePrice)
                    .multiply(BigDecimal.valueOf(writtenFor1h)))
            .add(output.multiply(BigDecimal.valueOf(orZero(usage.outputTokens()))));
    // Exact division by a million, rounded to 12 decimals only when it has more.
    BigDecimal cost = perMillion.movePointLeft(6);
    if (cost.scale() > 12) {
      cost = cost.setScale(12, RoundingMode.HALF_UP);
    }
    return cost.stripTrailingZeros();
  }

  private BigDecimal orInput(BigDecimal price) {
    return price == null ? input : price;
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModelPrice p)) {
      return false;
    }
    return input.compareTo(p.input) == 0
        && output.compareTo(p.output) == 0
        && compare(cachedInput, p.cachedInput)
        && compare(cacheWrite, p.cacheWrite)
        && compare(cacheWrite1h, p.cacheWrite1h)
        && tiers.equals(p.tiers);
  }

  private static boolean compare(BigDecimal a, BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        input.stripTrailingZeros(),
        output.stripTrailingZeros(),
        cachedInput == null ? null : cachedInput.stripTrailingZeros(),
        cacheWrite == null ? null : cacheWrite.stripTrailingZeros(),
        cacheWrite1h == null ? null : cacheWrite1h.stripTrailingZeros(),
        tiers);
  }

  @Override
  public String toString() {
    return "ModelPrice{in="
        + input.toPlainString()
        + ", out="
        + output.toPlainString()
        + (cachedInput != null ? ", cachedIn=" + cachedInput.toPlainString() : "")
        + (cacheWrite != null ? ", cacheWrite=" + cacheWrite.toPlainString() : "")
        + (cacheWrite1h != null ? ", cacheWrite1h=" + cacheWrite1h.toPlainString() : "")
        + (tiers.isEmpty() ? "" : ", tiers=" + tiers)
        + " USD/1M}";
  }
}
