package ai.helicone.cost;

import ai.helicone.record.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Prices of one model in USD per one million tokens. Cached input and cache writes default to the
 * input price when the provider publishes no separate price. Immutable and thread-safe.
 */
public final class ModelPrice {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final BigDecimal input;
  private final BigDecimal output;
  private final BigDecimal cachedInput;
  private final BigDecimal cacheWrite;
  private final BigDecimal cacheWrite1h;

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
    this.input = requireNonNegative(input, "input");
    this.output = requireNonNegative(output, "output");
    this.cachedInput = cachedInput == null ? null : requireNonNegative(cachedInput, "cachedInput");
    this.cacheWrite = cacheWrite == null ? null : requireNonNegative(cacheWrite, "cacheWrite");
    this.cacheWrite1h =
        cacheWrite1h == null ? null : requireNonNegative(cacheWrite1h, "cacheWrite1h");
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
        input, output, cachedInput, cacheWrite, Objects.requireNonNull(perMillion, "perMillion"));
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
   * The cost of {@code usage} in USD, or null when the usage has neither input nor output counts.
   * Input tokens include cached reads and cache writes, which are billed at their own prices (the
   * one-hour part of the cache writes at the one-hour price); reasoning tokens are part of the
   * output.
   */
  public BigDecimal cost(Usage usage) {
    if (usage == null || (usage.inputTokens() == null && usage.outputTokens() == null)) {
      return null;
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
    return perMillion.divide(MILLION, 12, RoundingMode.HALF_UP).stripTrailingZeros();
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
        && compare(cacheWrite1h, p.cacheWrite1h);
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
        cacheWrite1h == null ? null : cacheWrite1h.stripTrailingZeros());
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
        + " USD/1M}";
  }
}
