package ai.helicone.otlp.internal;

import ai.helicone.export.ExportResult;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** Sends spans straight to an OTLP endpoint and returns the classified outcome. */
public final class OtlpHttpSpanSink implements SpanSink {
  private final OtlpHttpSender sender;

  public OtlpHttpSpanSink(OtlpHttpSender sender) {
    this.sender = sender;
  }

  @Override
  public ExportResult export(List<SpanData> spans) {
    return sender.sendSpans(spans);
  }

  @Override
  public void close() {
    // The JDK client frees its connections once it is no longer referenced.
  }
}
