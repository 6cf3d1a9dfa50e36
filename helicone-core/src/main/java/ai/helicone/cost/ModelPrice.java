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

  private ModelPrice(
      BigDecimal input, BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite) {
    this.input = requireNonNegative(input, "input");
    this.output = requireNonNegative(output, "output");
    this.cachedInput = cachedInput == null ? null : requireNonNegative(cachedInput, "cachedInput");
    this.cacheWrite = cacheWrite == null ? null : requireNonNegative(cacheWrite, "cacheWrite");
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

  /**
   * The cost of {@code usage} in USD, or null when the usage has neither input nor output counts.
   * Input tokens include cached reads and cache writes, which are billed at their own prices;
   * reasoning tokens are part of the output.
   */
  public BigDecimal cost(Usage usage) {
    if (usage == null || (usage.inputTokens() == null && usage.outputTokens() == null)) {
      return null;
    }
    long in = orZero(usage.inputTokens());
    long cached = orZero(usage.cachedInputTokens());
    long written = orZero(usage.cacheWriteTokens());
    long uncached = Math.max(0, in - cached - written);
    BigDecimal perMillion =
        input
            .multiply(BigDecimal.valueOf(uncached))
            .add(orInput(cachedInput).multiply(BigDecimal.valueOf(cached)))
            .add(orInput(cacheWrite).multiply(BigDecimal.valueOf(written)))
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
        && compare(cacheWrite, p.cacheWrite);
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
        cacheWrite == null ? null : cacheWrite.stripTrailingZeros());
  }

  @Override
  public String toString() {
    return "ModelPrice{in="
        + input.toPlainString()
        + ", out="
        + output.toPlainString()
        + (cachedInput != null ? ", cachedIn=" + cachedInput.toPlainString() : "")
        + (cacheWrite != null ? ", cacheWrite=" + cacheWrite.toPlainString() : "")
        + " USD/1M}";
  }
}
