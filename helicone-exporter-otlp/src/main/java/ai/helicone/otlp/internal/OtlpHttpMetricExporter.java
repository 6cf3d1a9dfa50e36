package ai.helicone.otlp.internal;

import ai.helicone.export.ExportResult;
import ai.helicone.spi.SdkDiagnostics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The metric reader's exporter: posts cumulative metrics through {@link OtlpHttpSender}, trying a
 * retryable failure up to three times (nothing else retries metrics), and reports a failure through
 * the SDK's diagnostics rather than java.util.logging. Called by one reader thread at a time.
 */
public final class OtlpHttpMetricExporter implements MetricExporter {
  private static final int ATTEMPTS = 3;
  private static final Duration MAX_WAIT = Duration.ofSeconds(2);

  private final OtlpHttpSender sender;
  private final Supplier<SdkDiagnostics> diagnostics;
  private volatile boolean shutDown;

  public OtlpHttpMetricExporter(OtlpHttpSender sender, Supplier<SdkDiagnostics> diagnostics) {
    this.sender = sender;
    this.diagnostics = diagnostics;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    ExportResult result = ExportResult.success();
    long wait = 500;
    for (int attempt = 1; attempt <= ATTEMPTS && !shutDown; attempt++) {
      result = sender.sendMetrics(metrics);
      if (result.kind() != ExportResult.Kind.RETRYABLE || attempt == ATTEMPTS) {
        break;
      }
      Duration pause = result.retryAfter() != null ? result.retryAfter() : Duration.ofMillis(wait);
      if (pause.compareTo(MAX_WAIT) > 0) {
        break; // the next periodic export tries again
      }
      try {
        Thread.sleep(pause.toMillis()); // backoff between attempts on the reader's own thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      wait *= 2;
    }
    if (result.isSuccess()) {
      return CompletableResultCode.ofSuccess();
    }
    diagnostics
        .get()
        .warn(
            OtlpFailures.kind("otlp.metrics", result),
            "OTLP metric export failed: " + result.message());
    return CompletableResultCode.ofFailure();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutDown = true;
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }
}
