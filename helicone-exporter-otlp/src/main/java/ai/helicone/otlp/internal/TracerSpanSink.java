package ai.helicone.otlp.internal;

import ai.helicone.export.ExportResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Re-creates spans through the application's tracer. A tracer chooses its own span ids, so each
 * call keeps a map from the ids we planned to the ids the tracer gave, and a span whose parent was
 * emitted earlier in the same call is attached to it. Spans must therefore come parents first.
 * Delivery is up to the application's span processors, so this always reports success.
 */
public final class TracerSpanSink implements SpanSink {
  private final Tracer tracer;

  public TracerSpanSink(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public ExportResult export(List<SpanData> spans) {
    Map<String, SpanContext> emitted = new HashMap<>();
    for (SpanData s : spans) {
      SpanContext planned = s.getParentSpanContext();
      Context parent = Context.root();
      if (planned.isValid()) {
        SpanContext actual = planned.isRemote() ? null : emitted.get(planned.getSpanId());
        parent = parent.with(Span.wrap(actual != null ? actual : planned));
      }
      SpanBuilder b =
          tracer
              .spanBuilder(s.getName())
              .setSpanKind(s.getKind())
              .setParent(parent)
              .setStartTimestamp(s.getStartEpochNanos(), TimeUnit.NANOSECONDS)
              .setAllAttributes(s.getAttributes());
      Span span = b.startSpan();
      if (s.getStatus().getStatusCode() == StatusCode.ERROR) {
        span.setStatus(StatusCode.ERROR, s.getStatus().getDescription());
      }
      span.end(s.getEndEpochNanos(), TimeUnit.NANOSECONDS);
      emitted.put(s.getSpanContext().getSpanId(), span.getSpanContext());
    }
    return ExportResult.success();
  }

  @Override
  public void close() {}
}
