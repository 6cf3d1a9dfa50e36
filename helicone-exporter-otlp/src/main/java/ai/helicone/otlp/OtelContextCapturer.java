package ai.helicone.otlp;

import ai.helicone.otlp.internal.Ids;
import ai.helicone.spi.ContextCapturer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Map;

/**
 * Captures the application's active OpenTelemetry span, as a W3C {@code traceparent}, when an LLM
 * call or trace starts, so that {@link OtlpExporter} can make the call's span a child of it.
 * Registered through {@code META-INF/services}; uses only the OpenTelemetry API. Thread-safe.
 */
public final class OtelContextCapturer implements ContextCapturer {
  /** The key of the captured value in {@code HeliconeRecord.contextAttributes()}. */
  public static final String TRACEPARENT = "traceparent";

  /** Used by {@link java.util.ServiceLoader}. */
  public OtelContextCapturer() {}

  @Override
  public Map<String, String> capture() {
    SpanContext ctx = Span.current().getSpanContext();
    return ctx.isValid() ? Map.of(TRACEPARENT, Ids.formatTraceparent(ctx)) : Map.of();
  }
}
