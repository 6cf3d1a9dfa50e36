package ai.helicone.otlp.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/**
 * Remembers whether the last metric export failed, because a reader's {@code forceFlush()} does not
 * reliably say so (and reports success to the reader, which would otherwise log the failure again);
 * and can drop exports that would only repeat what was delivered.
 */
public final class OutcomeTrackingMetricExporter implements MetricExporter {
  private final MetricExporter delegate;
  private volatile CompletableResultCode last;
  private volatile boolean skipExports;

  public OutcomeTrackingMetricExporter(MetricExporter delegate) {
    this.delegate = delegate;
  }

  /** Forgets earlier outcomes, before a flush whose outcome is wanted. */
  public void reset() {
    last = null;
  }

  /** True when the most recent export since {@link #reset()} completed unsuccessfully. */
  public boolean lastExportFailed() {
    CompletableResultCode r = last;
    return r != null && r.isDone() && !r.isSuccess();
  }

  /** From now on reports exports as done without sending them. */
  public void skipLaterExports() {
    skipExports = true;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    if (skipExports) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode r = delegate.export(metrics);
    last = r;
    // The delegate reports failures through the SDK's diagnostics; told of one, the metric reader
    // would log it once more through java.util.logging, on every interval.
    CompletableResultCode quiet = new CompletableResultCode();
    r.whenComplete(quiet::succeed);
    return quiet;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
  }
}
