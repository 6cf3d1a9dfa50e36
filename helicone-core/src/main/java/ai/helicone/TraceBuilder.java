package ai.helicone;

import ai.helicone.internal.context.MetadataRules;
import ai.helicone.internal.record.TraceValues;
import ai.helicone.record.CapturedBody;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Describes a custom trace: a tool call, a vector search, a database query, or any other step worth
 * recording next to the LLM calls. The trace inherits the session, path, user and properties in
 * effect on the thread that starts it.
 *
 * <pre>{@code
 * String weather = helicone.trace("get-weather").kind(TraceKind.TOOL).input(city)
 *     .call(() -> weatherService.lookup(city));
 * }</pre>
 *
 * Not thread-safe.
 */
public final class TraceBuilder {
  private final Helicone helicone;
  private final String name;
  private TraceKind kind = TraceKind.CUSTOM;
  private CapturedBody input;
  private final Map<String, String> properties = new LinkedHashMap<>();

  TraceBuilder(Helicone helicone, String name) {
    this.helicone = helicone;
    this.name = MetadataRules.requireText("trace name", name);
  }

  /** What the trace measures; {@link TraceKind#CUSTOM} when not set. */
  public TraceBuilder kind(TraceKind kind) {
    this.kind = Objects.requireNonNull(kind, "kind");
    return this;
  }

  /**
   * The trace's input. A string is recorded as text, any other object as JSON (with Jackson), both
   * taken now: changing the object later does not change the record. An object that cannot be
   * serialized is recorded as its {@code toString()}.
   */
  public TraceBuilder input(Object input) {
    this.input = TraceValues.of(input);
    return this;
  }

  /** A custom property of this trace, added to the inherited ones. */
  public TraceBuilder property(String name, String value) {
    MetadataRules.requireProperty(name, value);
    properties.put(name, value);
    return this;
  }

  /** Starts the trace; its clock runs until {@link HeliconeTrace#close()}. */
  public HeliconeTrace start() {
    return new HeliconeTrace(helicone, name, kind, input, properties);
  }

  /**
   * Runs {@code body} as this trace: its result is recorded as the output and returned; an
   * exception is recorded as the error and rethrown unchanged. A {@link Supplier} cannot throw
   * checked exceptions: for such code use {@link #start()} with try-with-resources.
   */
  public <T> T call(Supplier<T> body) {
    Objects.requireNonNull(body, "body");
    try (HeliconeTrace trace = start()) {
      T result;
      try {
        result = body.get();
      } catch (Throwable t) {
        trace.error(t);
        throw t;
      }
      trace.output(result);
      return result;
    }
  }

  /** Runs {@code body} as this trace; an exception is recorded as the error and rethrown. */
  public void run(Runnable body) {
    Objects.requireNonNull(body, "body");
    try (HeliconeTrace trace = start()) {
      try {
        body.run();
      } catch (Throwable t) {
        trace.error(t);
        throw t;
      }
    }
  }
}
