package ai.helicone.otlp.internal;

import ai.helicone.export.ExportResult;
import ai.helicone.internal.RetryAfter;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Posts OTLP/HTTP protobuf requests with the JDK's HTTP client and classifies the answer itself, so
 * callers get what OpenTelemetry's own exporters hide: 2xx is success; 408, 429 and 5xx are
 * retryable, with the server's {@code Retry-After} (capped at five minutes); any other 4xx (a 413,
 * a wrong key) is final, so the data is not sent again. Failures are returned, never logged here
 * (the exporter reports them through the SDK's diagnostics), so nothing reaches java.util.logging.
 * The protobuf encoding is OpenTelemetry's own marshaler. Thread-safe.
 */
public final class OtlpHttpSender {
  private static final int MESSAGE_LIMIT = 300;

  private final URI url;
  private final Map<String, String> headers;
  private final boolean gzip;
  private final Duration timeout;
  private final HttpClient client;

  /**
   * @param url the full traces URL
   * @param headers sent with every request (values never appear in messages)
   * @param compression {@code gzip} or {@code none}
   * @param timeout of one request, connecting included
   */
  public OtlpHttpSender(
      String url, Map<String, String> headers, String compression, Duration timeout) {
    this.url = URI.create(url);
    this.headers = Map.copyOf(headers);
    this.gzip = "gzip".equals(compression);
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Spans, as one {@code ExportTraceServiceRequest}. */
  public ExportResult sendSpans(Collection<SpanData> spans) {
    return spans.isEmpty() ? ExportResult.success() : post(TraceRequestMarshaler.create(spans));
  }

  /** Metrics, as one {@code ExportMetricsServiceRequest}. */
  public ExportResult sendMetrics(Collection<MetricData> metrics) {
    return metrics.isEmpty()
        ? ExportResult.success()
        : post(MetricsRequestMarshaler.create(metrics));
  }

  private ExportResult post(Marshaler payload) {
    byte[] body;
    try {
      body = encode(payload);
    } catch (IOException | RuntimeException e) {
      return ExportResult.failure("cannot encode OTLP data: " + e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    headers.forEach(request::header);
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return ExportResult.retryable(
          "cannot reach the OTLP endpoint "
              + displayUrl()
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() != null ? " " + e.getMessage() : ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExportResult.retryable("interrupted while sending spans");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return ExportResult.success();
    }
    String message =
        "the OTLP endpoint " + displayUrl() + " answered " + status + excerpt(response.body());
    if (status == 408 || status == 429 || status >= 500) {
      Duration retryAfter =
          RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null));
      return retryAfter != null
          ? ExportResult.retryable(message, retryAfter)
          : ExportResult.retryable(message);
    }
    return ExportResult.failure(message);
  }

  private byte[] encode(Marshaler message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes) {
      message.writeBinaryTo(out);
    }
    return bytes.toByteArray();
  }

  /** A short, printable excerpt of an error body (OTLP errors are protobuf Status messages). */
  private static String excerpt(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text =
        new String(body, 0, Math.min(body.length, MESSAGE_LIMIT), StandardCharsets.UTF_8)
            .replaceAll("[^\\x20-\\x7E]+", " ")
            .trim();
    return text.isEmpty() ? "" : ": " + text;
  }

  private String displayUrl() {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() >= 0 ? ":" + url.getPort() : "")
        + (url.getPath() == null ? "" : url.getPath());
  }
}
