package ai.helicone.record;

import ai.helicone.TraceKind;
import ai.helicone.internal.capture.Redaction;
import ai.helicone.internal.record.FrozenMap;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One finished LLM call or custom trace, as handed to exporters.
 *
 * <p>LLM records carry provider, model, usage, cost and the captured HTTP exchange; trace records
 * carry {@link #name()}, {@link #kind()}, {@link #input()} and {@link #output()}. Fields that do
 * not apply, or that are unknown, are null. Secrets are redacted before a record is built.
 * Immutable and thread-safe.
 */
public final class HeliconeRecord {
  /** The version of the exported record layout; written as the {@code schema} field. */
  public static final int SCHEMA_VERSION = 1;

  private final RecordType type;
  private final String id;
  private final String sessionId;
  private final String sessionPath;
  private final String sessionName;
  private final String userId;
  private final Map<String, String> properties;
  private final String name;
  private final TraceKind kind;
  private final Instant startTime;
  private final Instant endTime;
  private final Duration duration;
  private final Duration timeToFirstToken;
  private final String provider;
  private final String model;
  private final String requestModel;
  private final String operation;
  private final boolean stream;
  private final RecordStatus status;
  private final String error;
  private final String parseError;
  private final Usage usage;
  private final BigDecimal costUsd;
  private final String responseId;
  private final List<String> finishReasons;
  private final Map<String, Object> requestParameters;
  private final CapturedRequest request;
  private final CapturedResponse response;
  private final CapturedBody input;
  private final CapturedBody output;
  private final Map<String, String> contextAttributes;

  private HeliconeRecord(Builder b) {
    this.type = Objects.requireNonNull(b.type, "type");
    this.id = Objects.requireNonNull(b.id, "id");
    this.sessionId = b.sessionId;
    this.sessionPath = b.sessionPath;
    this.sessionName = b.sessionName;
    this.userId = b.userId;
    this.properties = frozen(b.properties);
    this.name = b.name;
    this.kind = b.kind;
    this.startTime = Objects.requireNonNull(b.startTime, "startTime");
    this.endTime = Objects.requireNonNull(b.endTime, "endTime");
    this.duration = b.duration != null ? b.duration : Duration.between(b.startTime, b.endTime);
    this.timeToFirstToken = b.timeToFirstToken;
    this.provider = b.provider;
    this.model = b.model;
    this.requestModel = b.requestModel;
    this.operation = b.operation;
    this.stream = b.stream;
    this.status = Objects.requireNonNull(b.status, "status");
    this.error = b.error;
    this.parseError = b.parseError;
    this.usage = b.usage;
    this.costUsd = b.costUsd;
    this.responseId = b.responseId;
    this.finishReasons = b.finishReasons == null ? List.of() : List.copyOf(b.finishReasons);
    this.requestParameters = frozen(b.requestParameters);
    this.request = b.request;
    this.response = b.response;
    this.input = b.input;
    this.output = b.output;
    this.contextAttributes = frozen(b.contextAttributes);
  }

  // Maps frozen already (a call's properties) are shared; an empty map is never copied.
  private static <V> Map<String, V> frozen(Map<String, V> map) {
    return FrozenMap.copyOf(map);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this record's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.type = type;
    b.id = id;
    b.sessionId = sessionId;
    b.sessionPath = sessionPath;
    b.sessionName = sessionName;
    b.userId = userId;
    b.properties = properties;
    b.name = name;
    b.kind = kind;
    b.startTime = startTime;
    b.endTime = endTime;
    b.duration = duration;
    b.timeToFirstToken = timeToFirstToken;
    b.provider = provider;
    b.model = model;
    b.requestModel = requestModel;
    b.operation = operation;
    b.stream = stream;
    b.status = status;
    b.error = error;
    b.parseError = parseError;
    b.usage = usage;
    b.costUsd = costUsd;
    b.responseId = responseId;
    b.finishReasons = finishReasons;
    b.requestParameters = requestParameters;
    b.request = request;
    b.response = response;
    b.input = input;
    b.output = output;
    b.contextAttributes = contextAttributes;
    return b;
  }

  public RecordType type() {
    return type;
  }

  /** The record id: for LLM calls, the Helicone request id (a UUID). */
  public String id() {
    return id;
  }

  public String sessionId() {
    return sessionId;
  }

  /** The session path, such as {@code /analyze/summary}; null outside a path. */
  public String sessionPath() {
    return sessionPath;
  }

  public String sessionName() {
    return sessionName;
  }

  public String userId() {
    return userId;
  }

  /** Custom properties, in the order they were set. */
  public Map<String, String> properties() {
    return properties;
  }

  /** The trace name; null for LLM calls. */
  public String name() {
    return name;
  }

  /** The trace kind; null for LLM calls. */
  public TraceKind kind() {
    return kind;
  }

  public Instant startTime() {
    return startTime;
  }

  public Instant endTime() {
    return endTime;
  }

  /** Measured with the monotonic clock; may differ slightly from {@code endTime - startTime}. */
  public Duration duration() {
    return duration;
  }

  /** From the start of the call to the first generated content; null when unknown. */
  public Duration timeToFirstToken() {
    return timeToFirstToken;
  }

  /** Provider id such as {@code openai} or {@code azure}; null when unknown. */
  public String provider() {
    return provider;
  }

  /** The model that answered (the response's model when reported, else the requested one). */
  public String model() {
    return model;
  }

  /** The model (or Azure deployment) the request asked for. */
  public String requestModel() {
    return requestModel;
  }

  /**
   * Operation such as {@code chat}, {@code embeddings}, {@code responses}, {@code text_completion}.
   */
  public String operation() {
    return operation;
  }

  public boolean stream() {
    return stream;
  }

  public RecordStatus status() {
    return status;
  }

  /** A description of the failure; null on success. */
  public String error() {
    return error;
  }

  /** Token counts; null when nothing is known. */
  /**
   * Why the provider's response body could not be parsed (for example {@code "HTML instead of
   * JSON"}), which is why usage, cost and perhaps the model are missing; null when it was parsed.
   * The status still follows the HTTP status.
   */
  public String parseError() {
    return parseError;
  }

  public Usage usage() {
    return usage;
  }

  /** Cost in USD; null when the price is unknown (never a made-up 0). */
  public BigDecimal costUsd() {
    return costUsd;
  }

  /** The provider's id for the response, such as {@code chatcmpl-...}; null when unknown. */
  public String responseId() {
    return responseId;
  }

  /** Finish reasons of the returned choices, in order; empty when unknown. */
  public List<String> finishReasons() {
    return finishReasons;
  }

  /**
   * Sampling parameters of the request, keyed by their wire names ({@code temperature}, {@code
   * max_tokens}, {@code top_p}, {@code frequency_penalty}, {@code presence_penalty}, {@code stop},
   * {@code seed}). Values are {@link String}, {@link Long}, {@link Double}, {@link Boolean} or a
   * {@link List} of strings.
   */
  public Map<String, Object> requestParameters() {
    return requestParameters;
  }

  /** The captured request of an LLM call; null for traces. */
  public CapturedRequest request() {
    return request;
  }

  /** The captured response of an LLM call; null for traces and before any response arrived. */
  public CapturedResponse response() {
    return response;
  }

  /** A trace's input; null when none was given or it was omitted. */
  public CapturedBody input() {
    return input;
  }

  /** A trace's output; null when none was given or it was omitted. */
  public CapturedBody output() {
    return output;
  }

  /**
   * Values captured from the caller's thread when the call or trace started, by {@link
   * ai.helicone.spi.ContextCapturer}s, such as the W3C {@code traceparent} of an active
   * OpenTelemetry span.
   */
  public Map<String, String> contextAttributes() {
    return contextAttributes;
  }

  @Override
  public String toString() {
    return "HeliconeRecord{"
        + type.wireName()
        + ' '
        + id
        + (name != null ? " name=" + name : "")
        + (provider != null ? " provider=" + provider : "")
        + (model != null ? " model=" + model : "")
        + " status="
        + status.wireName()
        + (sessionId != null ? " session=" + sessionId : "")
        + '}';
  }

  /** Builds a {@link HeliconeRecord}. Not thread-safe. */
  public static final class Builder {
    private RecordType type;
    private String id;
    private String sessionId;
    private String sessionPath;
    private String sessionName;
    private String userId;
    // The maps given are copied once, when the record is built; property() copies first.
    private Map<String, String> properties = Map.of();
    private boolean ownProperties;
    private String name;
    private TraceKind kind;
    private Instant startTime;
    private Instant endTime;
    private Duration duration;
    private Duration timeToFirstToken;
    private String provider;
    private String model;
    private String requestModel;
    private String operation;
    private boolean stream;
    private RecordStatus status = RecordStatus.SUCCESS;
    private String error;
    private String parseError;
    private Usage usage;
    private BigDecimal costUsd;
    private String responseId;
    private List<String> finishReasons;
    private Map<String, Object> requestParameters = Map.of();
    private CapturedRequest request;
    private CapturedResponse response;
    private CapturedBody input;
    private CapturedBody output;
    private Map<String, String> contextAttributes = Map.of();

    private Builder() {}

    public Builder type(RecordType v) {
      this.type = v;
      return this;
    }

    public Builder id(String v) {
      this.id = v;
      return this;
    }

    public Builder sessionId(String v) {
      this.sessionId = v;
      return this;
    }

    public Builder sessionPath(String v) {
      this.sessionPath = v;
      return this;
    }

    public Builder sessionName(String v) {
      this.sessionName = v;
      return this;
    }

    public Builder userId(String v) {
      this.userId = v;
      return this;
    }

    /** Replaces all properties; the map is copied when the record is built. */
    public Builder properties(Map<String, String> v) {
      this.properties = Objects.requireNonNull(v, "properties");
      this.ownProperties = false;
      return this;
    }

    public Builder property(String key, String value) {
      if (!ownProperties) {
        properties = new LinkedHashMap<>(properties);
        ownProperties = true;
      }
      properties.put(key, value);
      return this;
    }

    public Builder name(String v) {
      this.name = v;
      return this;
    }

    public Builder kind(TraceKind v) {
      this.kind = v;
      return this;
    }

    public Builder startTime(Instant v) {
      this.startTime = v;
      return this;
    }

    public Builder endTime(Instant v) {
      this.endTime = v;
      return this;
    }

    /** The monotonic duration; defaults to {@code endTime - startTime}. */
    public Builder duration(Duration v) {
      this.duration = v;
      return this;
    }

    public Builder timeToFirstToken(Duration v) {
      this.timeToFirstToken = v;
      return this;
    }

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

    public Builder stream(boolean v) {
      this.stream = v;
      return this;
    }

    public Builder status(RecordStatus v) {
      this.status = v;
      return this;
    }

    /** What went wrong; redacted here, so no record carries a credential quoted in an error. */
    public Builder error(String v) {
      this.error = Redaction.redactText(v);
      return this;
    }

    public Builder parseError(String v) {
      this.parseError = v;
      return this;
    }

    public Builder usage(Usage v) {
      this.usage = v;
      return this;
    }

    public Builder costUsd(BigDecimal v) {
      this.costUsd = v;
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

    /** Replaces all request parameters; the map is copied when the record is built. */
    public Builder requestParameters(Map<String, Object> v) {
      this.requestParameters = Objects.requireNonNull(v, "requestParameters");
      return this;
    }

    public Builder request(CapturedRequest v) {
      this.request = v;
      return this;
    }

    public Builder response(CapturedResponse v) {
      this.response = v;
      return this;
    }

    public Builder input(CapturedBody v) {
      this.input = v;
      return this;
    }

    public Builder output(CapturedBody v) {
      this.output = v;
      return this;
    }

    /** Replaces all context attributes; the map is copied when the record is built. */
    public Builder contextAttributes(Map<String, String> v) {
      this.contextAttributes = Objects.requireNonNull(v, "contextAttributes");
      return this;
    }

    public HeliconeRecord build() {
      return new HeliconeRecord(this);
    }
  }
}
