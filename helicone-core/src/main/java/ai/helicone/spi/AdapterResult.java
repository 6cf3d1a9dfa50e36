package ai.helicone.spi;

import ai.helicone.internal.record.FrozenMap;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.Usage;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a {@link ProviderAdapter} learned from an exchange. Every field is optional: null means
 * unknown, and the core then keeps its own value. Cost is computed by the core from {@link
 * #usage()} and its price registry, unless the provider reported the cost itself ({@link
 * #reportedCostUsd()}). Immutable and thread-safe.
 */
public final class AdapterResult {
  private final String provider;
  private final String model;
  private final String requestModel;
  private final String operation;
  private final Boolean stream;
  private final Usage usage;
  private final BigDecimal reportedCostUsd;
  private final Duration timeToFirstToken;
  private final String responseId;
  private final List<String> finishReasons;
  private final Map<String, Object> requestParameters;
  private final String error;
  private final CapturedBody responseBody;
  private final Function<InputStream, CapturedBody> responseBodyRebuilder;
  private final Boolean streamCompleted;
  private final String unparsedBody;

  private AdapterResult(Builder b) {
    this.provider = b.provider;
    this.model = b.model;
    this.requestModel = b.requestModel;
    this.operation = b.operation;
    this.stream = b.stream;
    this.usage = b.usage;
    this.reportedCostUsd = b.reportedCostUsd;
    this.timeToFirstToken = b.timeToFirstToken;
    this.responseId = b.responseId;
    this.finishReasons = b.finishReasons == null ? null : List.copyOf(b.finishReasons);
    this.requestParameters =
        b.requestParameters == null ? null : FrozenMap.copyOf(b.requestParameters);
    this.error = b.error;
    this.responseBody = b.responseBody;
    this.responseBodyRebuilder = b.responseBodyRebuilder;
    this.streamCompleted = b.streamCompleted;
    this.unparsedBody = b.unparsedBody;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Provider id, lower case, such as {@code openai}, {@code azure}, {@code groq}. */
  public String provider() {
    return provider;
  }

  /** The model that answered, from the response when it says. */
  public String model() {
    return model;
  }

  /** The requested model, or the Azure deployment name. */
  public String requestModel() {
    return requestModel;
  }

  /** {@code chat}, {@code responses}, {@code embeddings}, {@code text_completion}, ... */
  public String operation() {
    return operation;
  }

  public Boolean stream() {
    return stream;
  }

  public Usage usage() {
    return usage;
  }

  /** A cost the provider reported (OpenRouter); it wins over the price registry. */
  public BigDecimal reportedCostUsd() {
    return reportedCostUsd;
  }

  public Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  public String responseId() {
    return responseId;
  }

  public List<String> finishReasons() {
    return finishReasons;
  }

  /** See {@link ai.helicone.record.HeliconeRecord#requestParameters()} for keys and value types. */
  public Map<String, Object> requestParameters() {
    return requestParameters;
  }

  /** An error the provider reported in the body (error body, or an error inside a stream). */
  public String error() {
    return error;
  }

  /** A readable form of the response to record instead of the raw body (reconstructed streams). */
  public CapturedBody responseBody() {
    return responseBody;
  }

  /**
   * For streams: rebuilds the readable response from the raw stream when an exporter asks for it
   * (see {@link Builder#responseBodyRebuilder}); null when the adapter has none.
   */
  public Function<InputStream, CapturedBody> responseBodyRebuilder() {
    return responseBodyRebuilder;
  }

  /**
   * True when the captured stream reached its protocol's terminal event ({@code data: [DONE]},
   * {@code response.completed}, {@code message_stop}, a final chunk with a finish reason). Clients
   * such as the official SDKs close the body at that event, before the end of the HTTP body: the
   * core then records the call as a success rather than as cancelled. Null or false leaves a body
   * closed early recorded as cancelled.
   */
  public Boolean streamCompleted() {
    return streamCompleted;
  }

  /**
   * Why the response body could not be parsed, when it could not (a short cause shared by all such
   * calls, such as {@code "HTML instead of JSON"} or {@code "invalid JSON"}); null when it was read
   * or there was nothing to read. The core counts such calls ({@code
   * HeliconeStats.unparsedBodies()}), logs each cause at most once a minute, and records the cause
   * in the record's {@code parseError}; the record's status still comes from the HTTP status.
   */
  public String unparsedBody() {
    return unparsedBody;
  }

  /** Builds an {@link AdapterResult}. Not thread-safe. */
  public static final class Builder {
    private String provider;
    private String model;
    private String requestModel;
    private String operation;
    private Boolean stream;
    private Usage usage;
    private BigDecimal reportedCostUsd;
    private Duration timeToFirstToken;
    private String responseId;
    private List<String> finishReasons;
    private Map<String, Object> requestParameters;
    private String error;
    private CapturedBody responseBody;
    private Function<InputStream, CapturedBody> responseBodyRebuilder;
    private Boolean streamCompleted;
    private String unparsedBody;

    private Builder() {}

    public Builder provider(String v) {
      this.provider = v;
      return this;
    }

    public Builder model(String v) {
      this.model = v;
      return this;
    }

    public Builder requestModel(String v) {
      this.requestModel = v;
      return this;
    }

    public Builder operation(String v) {
      this.operation = v;
      return this;
    }

    public Builder stream(Boolean v) {
      this.stream = v;
      return this;
    }

    public Builder usage(Usage v) {
      this.usage = v;
      return this;
    }

    public Builder reportedCostUsd(BigDecimal v) {
      this.reportedCostUsd = v;
      return this;
    }

    public Builder timeToFirstToken(Duration v) {
      this.timeToFirstToken = v;
      return this;
    }

    public Builder responseId(String v) {
      this.responseId = v;
      return this;
    }

    public Builder finishReasons(List<String> v) {
      this.finishReasons = v;
      return this;
    }

    public Builder requestParameters(Map<String, Object> v) {
      this.requestParameters = v;
      return this;
    }

    public Builder error(String v) {
      this.error = v;
      return this;
    }

    public Builder responseBody(CapturedBody v) {
      this.responseBody = v;
      return this;
    }

    /**
     * For streams, instead of {@link #responseBody(CapturedBody)}: a function that rebuilds the
     * readable response from the raw stream bytes it is given, or returns null. The record then
     * holds the raw stream only, and exporters that show the readable form rebuild it when they
     * write, so a streamed body is never held twice. The function runs on export threads, possibly
     * several times and concurrently, must be stateless, and must not hold the exchange (which
     * would keep its bytes alive). When both are set, the eager body wins.
     */
    public Builder responseBodyRebuilder(Function<InputStream, CapturedBody> v) {
      this.responseBodyRebuilder = v;
      return this;
    }

    /** See {@link AdapterResult#streamCompleted()}. */
    public Builder streamCompleted(Boolean v) {
      this.streamCompleted = v;
      return this;
    }

    /** See {@link AdapterResult#unparsedBody()}. */
    public Builder unparsedBody(String cause) {
      this.unparsedBody = cause;
      return this;
    }

    public AdapterResult build() {
      return new AdapterResult(this);
    }
  }
}
