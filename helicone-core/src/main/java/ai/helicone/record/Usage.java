package ai.helicone.record;

import java.util.Objects;

/**
 * Token counts of one LLM call. A count the provider did not report is {@code null}, never 0.
 *
 * <p>{@code inputTokens} includes cached input, as OpenAI reports it; {@code outputTokens} includes
 * reasoning tokens. {@link #estimated()} is true when the counts were computed locally because the
 * provider reported none. Immutable and thread-safe.
 */
public final class Usage {
  private final Long inputTokens;
  private final Long outputTokens;
  private final Long cachedInputTokens;
  private final Long cacheWriteTokens;
  private final Long cacheWrite1hTokens;
  private final Long reasoningTokens;
  private final Long inputAudioTokens;
  private final Long outputAudioTokens;
  private final Long totalTokens;
  private final boolean estimated;

  private Usage(Builder b) {
    this.inputTokens = b.inputTokens;
    this.outputTokens = b.outputTokens;
    this.cachedInputTokens = b.cachedInputTokens;
    this.cacheWriteTokens = b.cacheWriteTokens;
    this.cacheWrite1hTokens = b.cacheWrite1hTokens;
    this.reasoningTokens = b.reasoningTokens;
    this.inputAudioTokens = b.inputAudioTokens;
    this.outputAudioTokens = b.outputAudioTokens;
    this.totalTokens =
        b.totalTokens != null
            ? b.totalTokens
            : (b.inputTokens != null || b.outputTokens != null)
                ? Long.valueOf(orZero(b.inputTokens) + orZero(b.outputTokens))
                : null;
    this.estimated = b.estimated;
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this usage's values. */
  public Builder toBuilder() {
    return new Builder()
        .inputTokens(inputTokens)
        .outputTokens(outputTokens)
        .cachedInputTokens(cachedInputTokens)
        .cacheWriteTokens(cacheWriteTokens)
        .cacheWrite1hTokens(cacheWrite1hTokens)
        .reasoningTokens(reasoningTokens)
        .inputAudioTokens(inputAudioTokens)
        .outputAudioTokens(outputAudioTokens)
        .totalTokens(totalTokens)
        .estimated(estimated);
  }

  /** Prompt tokens, cached ones included; null when unknown. */
  public Long inputTokens() {
    return inputTokens;
  }

  /** Completion tokens, reasoning included; null when unknown. */
  public Long outputTokens() {
    return outputTokens;
  }

  /** Input tokens served from the provider's prompt cache; null when unknown. */
  public Long cachedInputTokens() {
    return cachedInputTokens;
  }

  /** Input tokens written to the provider's prompt cache; null when unknown. */
  public Long cacheWriteTokens() {
    return cacheWriteTokens;
  }

  /**
   * The part of {@link #cacheWriteTokens()} written to a one-hour cache (Anthropic's extended cache
   * lifetime, billed at its own price); the rest used the default lifetime. Null when unknown.
   */
  public Long cacheWrite1hTokens() {
    return cacheWrite1hTokens;
  }

  /** Reasoning tokens (part of the output); null when unknown. */
  public Long reasoningTokens() {
    return reasoningTokens;
  }

  /** Audio input tokens (part of the input); null when unknown. */
  public Long inputAudioTokens() {
    return inputAudioTokens;
  }

  /** Audio output tokens (part of the output); null when unknown. */
  public Long outputAudioTokens() {
    return outputAudioTokens;
  }

  /** Total tokens as reported, else input plus output; null when both are unknown. */
  public Long totalTokens() {
    return totalTokens;
  }

  /** True when the counts were estimated locally rather than reported by the provider. */
  public boolean estimated() {
    return estimated;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Usage u)) {
      return false;
    }
    return estimated == u.estimated
        && Objects.equals(inputTokens, u.inputTokens)
        && Objects.equals(outputTokens, u.outputTokens)
        && Objects.equals(cachedInputTokens, u.cachedInputTokens)
        && Objects.equals(cacheWriteTokens, u.cacheWriteTokens)
        && Objects.equals(cacheWrite1hTokens, u.cacheWrite1hTokens)
        && Objects.equals(reasoningTokens, u.reasoningTokens)
        && Objects.equals(inputAudioTokens, u.inputAudioTokens)
        && Objects.equals(outputAudioTokens, u.outputAudioTokens)
        && Objects.equals(totalTokens, u.totalTokens);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        inputTokens,
        outputTokens,
        cachedInputTokens,
        cacheWriteTokens,
        cacheWrite1hTokens,
        reasoningTokens,
        inputAudioTokens,
        outputAudioTokens,
        totalTokens,
        estimated);
  }

  @Override
  public String toString() {
    return "Usage{input="
        + inputTokens
        + ", output="
        + outputTokens
        + ", cachedInput="
        + cachedInputTokens
        + ", cacheWrite="
        + cacheWriteTokens
        + (cacheWrite1hTokens != null ? ", cacheWrite1h=" + cacheWrite1hTokens : "")
        + ", reasoning="
        + reasoningTokens
        + ", total="
        + totalTokens
        + (estimated ? ", estimated" : "")
        + '}';
  }

  /** Builds a {@link Usage}. Not thread-safe. */
  public static final class Builder {
    private Long inputTokens;
    private Long outputTokens;
    private Long cachedInputTokens;
    private Long cacheWriteTokens;
    private Long cacheWrite1hTokens;
    private Long reasoningTokens;
    private Long inputAudioTokens;
    private Long outputAudioTokens;
    private Long totalTokens;
    private boolean estimated;

    private Builder() {}

    public Builder inputTokens(Long v) {
      this.inputTokens = v;
      return this;
    }

    public Builder outputTokens(Long v) {
      this.outputTokens = v;
      return this;
    }

    public Builder cachedInputTokens(Long v) {
      this.cachedInputTokens = v;
      return this;
    }

    public Builder cacheWriteTokens(Long v) {
      this.cacheWriteTokens = v;
      return this;
    }

    /** The part of the cache writes that used the one-hour lifetime. */
    public Builder cacheWrite1hTokens(Long v) {
      this.cacheWrite1hTokens = v;
      return this;
    }

    public Builder reasoningTokens(Long v) {
      this.reasoningTokens = v;
      return this;
    }

    public Builder inputAudioTokens(Long v) {
      this.inputAudioTokens = v;
      return this;
    }

    public Builder outputAudioTokens(Long v) {
      this.outputAudioTokens = v;
      return this;
    }

    /** The total as reported; when left unset it is input plus output. */
    public Builder totalTokens(Long v) {
      this.totalTokens = v;
      return this;
    }

    public Builder estimated(boolean v) {
      this.estimated = v;
      return this;
    }

    public Usage build() {
      return new Usage(this);
    }
  }
}
