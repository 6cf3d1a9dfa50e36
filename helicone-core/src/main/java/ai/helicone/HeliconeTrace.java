package ai.helicone;

import ai.helicone.internal.capture.Redaction;
import ai.helicone.internal.context.ContextSnapshot;
import ai.helicone.internal.context.ContextStorage;
import ai.helicone.internal.record.TraceValues;
import ai.helicone.record.CapturedBody;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A running custom trace. Set its {@link #output(Object)} or {@link #error(Throwable)}, then {@link
 * #close()} it: the record is exported when it closes. Session, path, user, properties and privacy
 * flags are those in effect when the trace started. Thread-safe.
 */
public final class HeliconeTrace implements AutoCloseable {
  private final Helicone helicone;
  private final String id = UUID.randomUUID().toString();
  private final String name;
  private final TraceKind kind;
  private final ContextSnapshot context;
  private final Map<String, String> properties;
  private final Map<String, String> attributes;
  private final boolean omitInput;
  private final boolean omitOutput;
  private final CapturedBody input;
  private final Instant startTime;
  private final long startNanos;
  private CapturedBody output;
  private String error;
  private boolean closed;

  HeliconeTrace(
      Helicone helicone,
      String name,
      TraceKind kind,
      CapturedBody input,
      Map<String, String> ownProperties) {
    this.helicone = helicone;
    this.name = name;
    this.kind = kind;
    this.context = ContextStorage.current();
    Map<String, String> merged = new LinkedHashMap<>(context.properties());
    merged.putAll(ownProperties);
    this.properties = merged;
    this.attributes = helicone.captureAttributes();
    this.omitInput = context.omitRequest() || helicone.omitRequestBodies();
    this.omitOutput = context.omitResponse() || helicone.omitResponseBodies();
    this.input = omitInput ? null : input;
    this.startTime = Instant.now();
    this.startNanos = System.nanoTime();
  }

  /** The trace's id, a random UUID (the record id). */
  public String id() {
    return id;
  }

  /** The trace's name, as given to {@link Helicone#trace(String)}. */
  public String name() {
    return name;
  }

  /** What the trace measures. */
  public TraceKind kind() {
    return kind;
  }

  /**
   * The trace's result, taken now: a string as text, any other object as JSON. Ignored after {@link
   * #close()}.
   */
  public HeliconeTrace output(Object value) {
    CapturedBody body = omitOutput ? null : TraceValues.of(value);
    synchronized (this) {
      if (!closed) {
        output = body;
      }
    }
    return this;
  }

  /** Marks the trace as failed with {@code failure}'s class and message. */
  public HeliconeTrace error(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    String description = Redaction.describeFailure(failure);
    synchronized (this) {
      if (!closed) {
        error = description;
      }
    }
    return this;
  }

  /** Ends the trace and queues its record. Later calls do nothing. */
  @Override
  public void close() {
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    CapturedBody out;
    String err;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      out = output;
      err = error;
    }
    HeliconeRecord record =
        HeliconeRecord.builder()
            .type(RecordType.TRACE)
            .id(id)
            .name(name)
            .kind(kind)
            .sessionId(context.sessionId())
            .sessionPath(context.sessionPath())
            .sessionName(context.sessionName())
            .userId(context.userId())
            .properties(properties)
            .contextAttributes(attributes)
            .startTime(startTime)
            .endTime(startTime.plus(duration))
            .duration(duration)
            .status(err == null ? RecordStatus.SUCCESS : RecordStatus.ERROR)
            .error(err)
            .input(input)
            .output(out)
            .build();
    helicone.submit(record);
  }

  @Override
  public String toString() {
    return "HeliconeTrace{" + name + ' ' + kind + ' ' + id + '}';
  }
}
