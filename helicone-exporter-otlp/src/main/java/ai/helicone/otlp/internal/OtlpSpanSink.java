package ai.helicone.otlp.internal;

import ai.helicone.export.ExportResult;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hands spans straight to an OTLP {@link SpanExporter} and waits for its own result code, so a
 * failed request is reported as a failure (a span processor's {@code forceFlush()} would report
 * success anyway).
 */
public final class OtlpSpanSink implements SpanSink {
  private final SpanExporter exporter;
  private final Duration wait;

  /**
   * @param exporter the exporter, owned by this sink from now on
   * @param wait how long to wait for one export; a little more than the exporter's own timeout
   */
  public OtlpSpanSink(SpanExporter exporter, Duration wait) {
    this.exporter = exporter;
    this.wait = wait;
  }

  @Override
  public ExportResult export(List<SpanData> spans) {
    if (spans.isEmpty()) {
      return ExportResult.success();
    }
    CompletableResultCode result =
        exporter.export(spans).join(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (!result.isDone()) {
      return ExportResult.retryable("OTLP span export timed out after " + wait.toMillis() + " ms");
    }
    if (result.isSuccess()) {
      return ExportResult.success();
    }
    Throwable t = result.getFailureThrowable();
    return ExportResult.retryable(
        "OTLP span export failed" + (t != null ? ": " + t.getMessage() : ""));
  }

  @Override
  public void close() {
    exporter.shutdown().join(wait.toMillis(), TimeUnit.MILLISECONDS);
  }
}
