package ai.helicone.metrics;

import java.math.BigDecimal;

/**
 * Aggregates of a group of LLM calls: counts, tokens, cost and latency percentiles. Custom traces
 * are not counted. Immutable and thread-safe.
 *
 * <p>A call answered with HTTP 429 counts as {@link #rateLimited()}, not as an error; {@link
 * #errors()} counts every other call that ended in error, and {@link #cancelled()} the calls whose
 * body the caller closed early. Token counts are sums over the calls that reported (or estimated)
 * usage; {@link #estimatedRequests()} says how many of those were local estimates. {@link
 * #costUsd()} sums the calls that could be priced; {@link #unpricedRequests()} counts those that
 * could not.
 */
public final class Aggregate {
  private final long requests;
  private final long errors;
  private final long rateLimited;
  private final long cancelled;
  private final long estimatedRequests;
  private final long unpricedRequests;
  private final BigDecimal costUsd;
  private final long inputTokens;
  private final long outputTokens;
  private final long cachedInputTokens;
  private final long cacheWriteTokens;
  private final long reasoningTokens;
  private final Percentiles latency;
  private final Percentiles timeToFirstToken;

  private Aggregate(Builder b) {
    this.requests = b.requests;
    this.errors = b.errors;
    this.rateLimited = b.rateLimited;
    this.cancelled = b.cancelled;
    this.estimatedRequests = b.estimatedRequests;
    this.unpricedRequests = b.unpricedRequests;
    this.costUsd = b.costUsd;
    this.inputTokens = b.inputTokens;
    this.outputTokens = b.outputTokens;
    this.cachedInputTokens = b.cachedInputTokens;
    this.cacheWriteTokens = b.cacheWriteTokens;
    this.reasoningTokens = b.reasoningTokens;
    this.latency = b.latency;
    this.timeToFirstToken = b.timeToFirstToken;
  }

  /** A new builder; for the SDK's own aggregation and for tests. */
  public static Builder builder() {
    return new Builder();
  }

  public long requests() {
    return requests;
  }

  /** Calls that ended in error, rate limits apart. */
  public long errors() {
    return errors;
  }

  /** Calls answered with HTTP 429. */
  public long rateLimited() {
    return rateLimited;
  }

  public long cancelled() {
    return cancelled;
  }

  /** {@link #errors()} divided by {@link #requests()}; 0 without requests. */
  public double errorRate() {
    return requests == 0 ? 0 : (double) errors / requests;
  }

  /** Calls whose token counts were estimated locally. */
  public long estimatedRequests() {
    return estimatedRequests;
  }

  /** Calls with usage whose model has no known price. */
  public long unpricedRequests() {
    return unpricedRequests;
  }

  /** Summed cost in USD of the priced calls. */
  public BigDecimal costUsd() {
    return costUsd;
  }

  /** Summed input tokens, cached input included (as {@code Usage.inputTokens()}). */
  public long inputTokens() {
    return inputTokens;
  }

  /** Summed output tokens, reasoning included. */
  public long outputTokens() {
    return outputTokens;
  }

  public long cachedInputTokens() {
    return cachedInputTokens;
  }

  public long cacheWriteTokens() {
    return cacheWriteTokens;
  }

  public long reasoningTokens() {
    return reasoningTokens;
  }

  /** The share of input tokens served from the provider's prompt cache; 0 without input. */
  public double cacheHitRate() {
    return inputTokens == 0 ? 0 : (double) cachedInputTokens / inputTokens;
  }

  /** Durations of the calls, from request start to the end of the response. */
  public Percentiles latency() {
    return latency;
  }

  /** Times to first token of the calls that reported one (streams). */
  public Percentiles timeToFirstToken() {
    return timeToFirstToken;
  }

  @Override
  public String toString() {
    return "Aggregate{requests="
        + requests
        + ", errors="
        + errors
        + ", rateLimited="
        + rateLimited
        + ", cancelled="
        + cancelled
        + ", costUsd="
        + costUsd.toPlainString()
        + ", inputTokens="
        + inputTokens
        + ", outputTokens="
        + outputTokens
        + ", cachedInputTokens="
        + cachedInputTokens
        + ", latency="
        + latency
        + ", timeToFirstToken="
        + timeToFirstToken
        + '}';
  }

  /** Builds an {@link Aggregate}. Not thread-safe. */
  public static final class Builder {
    private long requests;
    private long errors;
    private long rateLimited;
    private long cancelled;
    private long estimatedRequests;
    private long unpricedRequests;
    private BigDecimal costUsd = BigDecimal.ZERO;
    private long inputTokens;
    private long outputTokens;
    private long cachedInputTokens;
    private long cacheWriteTokens;
    private long reasoningTokens;
    private Percentiles latency = Percentiles.EMPTY;
    private Percentiles timeToFirstToken = Percentiles.EMPTY;

    private Builder() {}

    public Builder requests(long v) {
      this.requests = v;
      return this;
    }

    public Builder errors(long v) {
      this.errors = v;
      return this;
    }

    public Builder rateLimited(long v) {
      this.rateLimited = v;
      return this;
    }

    public Builder cancelled(long v) {
      this.cancelled = v;
      return this;
    }

    public Builder estimatedRequests(long v) {
      this.estimatedRequests = v;
      return this;
    }

    public Builder unpricedRequests(long v) {
      this.unpricedRequests = v;
      return this;
    }

    public Builder costUsd(BigDecimal v) {
      this.costUsd = v == null ? BigDecimal.ZERO : v;
      return this;
    }

    public Builder inputTokens(long v) {
      this.inputTokens = v;
      return this;
    }

    public Builder outputTokens(long v) {
      this.outputTokens = v;
      return this;
    }

    public Builder cachedInputTokens(long v) {
      this.cachedInputTokens = v;
      return this;
    }

    public Builder cacheWriteTokens(long v) {
      this.cacheWriteTokens = v;
      return this;
    }

    public Builder reasoningTokens(long v) {
      this.reasoningTokens = v;
      return this;
    }

    public Builder latency(Percentiles v) {
      this.latency = v == null ? Percentiles.EMPTY : v;
      return this;
    }

    public Builder timeToFirstToken(Percentiles v) {
      this.timeToFirstToken = v == null ? Percentiles.EMPTY : v;
      return this;
    }

    public Aggregate build() {
      return new Aggregate(this);
    }
  }
}
