package ai.helicone.otlp.internal;

import ai.helicone.export.ExportResult;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** Where finished spans go: an OTLP span exporter, or the application's own tracer. */
public interface SpanSink {
  /** Delivers the spans, waiting for the outcome when the destination reports one. */
  ExportResult export(List<SpanData> spans);

  /** Releases what the sink owns; never the application's SDK. */
  void close();
}
