package ai.helicone.export.http;

import ai.helicone.export.ExportResult;
import ai.helicone.export.HeliconeExporter;
import ai.helicone.export.RecordJson;
import ai.helicone.export.http.internal.HeaderRules;
import ai.helicone.export.http.internal.HttpDelivery;
import ai.helicone.export.http.internal.HttpDelivery.Outgoing;
import ai.helicone.internal.Diagnostics;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.spi.SdkDiagnostics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * POSTs batches of records to any HTTP endpoint as JSON Lines: one {@link RecordJson} object per
 * line, {@code Content-Type: application/x-ndjson}, gzip-compressed ({@code Content-Encoding:
 * gzip}), with the headers you configure (for example an {@code Authorization} header). A batch
 * larger than {@link Builder#maxRequestBytes} is split into several requests.
 *
 * <p>Concurrency, timeouts and retries work as in {@link HeliconeHttpExporter}: 408, 429, 5xx,
 * timeouts and connection errors are retried with backoff; other statuses fail the export with the
 * server's message and are not retried; records already delivered are not sent again when the
 * pipeline retries a batch. A single record larger than the limit is sent on its own, whole.
 *
 * <p>Thread-safe; {@link #export} is meant to be called by one worker thread at a time.
 */
public final class CollectorHttpExporter implements HeliconeExporter {
  /** The default limit of one request body before compression. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 5 * 1024 * 1024;

  private static final MediaType NDJSON = MediaType.get("application/x-ndjson");

  private final String url;
  private final Map<String, String> headers;
  private final int maxRequestBytes;
  // Replaced by the Helicone instance's diagnostics when it is built; standalone use logs here.
  private volatile SdkDiagnostics diagnostics = new Diagnostics();
  private final HttpDelivery delivery;

  private CollectorHttpExporter(Builder b) {
    this.url = b.url;
    this.headers = Map.copyOf(b.headers);
    this.maxRequestBytes = b.maxRequestBytes;
    String target = "collector at " + HeaderRules.displayUrl(url);
    this.delivery =
        new HttpDelivery(
            b.settings,
            target,
            (status, message) -> "The " + target + " rejected a batch (" + status + "): " + message,
            diagnostics,
            "helicone-collector-exporter");
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void attach(SdkDiagnostics diagnostics) {
    this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
    delivery.attach(diagnostics);
  }

  @Override
  public ExportResult export(List<HeliconeRecord> records) {
    List<Outgoing> requests = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    int unconvertible = 0;
    for (HeliconeRecord record : records) {
      if (delivery.isFinished(record.id())) {
        continue;
      }
      byte[] line;
      try {
        line = (RecordJson.toJson(record) + '\n').getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        unconvertible++;
        diagnostics.error(
            "collector-export-convert", "cannot write record " + record.id() + " as JSON", e);
        continue;
      }
      if (lines.size() > 0 && lines.size() + line.length > maxRequestBytes) {
        requests.add(new Outgoing(List.copyOf(ids), toRequest(lines.toByteArray())));
        ids.clear();
        lines.reset();
      }
      lines.write(line, 0, line.length);
      ids.add(record.id());
    }
    if (!ids.isEmpty()) {
      requests.add(new Outgoing(List.copyOf(ids), toRequest(lines.toByteArray())));
    }
    ExportResult result = delivery.deliver(requests);
    if (unconvertible > 0 && result.kind() != ExportResult.Kind.RETRYABLE) {
      int failed = unconvertible + result.failedRecords(records.size() - unconvertible);
      return ExportResult.failure(
          unconvertible
              + " records could not be written as JSON"
              + (result.isSuccess() ? "" : "; " + result.message()),
          failed);
    }
    return result;
  }

  private Request toRequest(byte[] ndjson) {
    Request.Builder request = new Request.Builder().url(url);
    headers.forEach(request::header);
    return request
        .header("Content-Encoding", "gzip")
        .post(RequestBody.create(gzip(ndjson), NDJSON))
        .build();
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Stops the exporter's threads and closes its connections. */
  @Override
  public void close() {
    delivery.close();
  }

  /** Shows the URL without credentials or query, and header names without their values. */
  @Override
  public String toString() {
    return "CollectorHttpExporter{"
        + HeaderRules.displayUrl(url)
        + (headers.isEmpty() ? "" : ", headers=" + headers.keySet())
        + '}';
  }

  /** Builds a {@link CollectorHttpExporter}. Not thread-safe. */
  public static final class Builder extends HttpExporterBuilder<Builder> {
    private String url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The endpoint that receives the batches (required). */
    public Builder url(String url) {
      Objects.requireNonNull(url, "url");
      if (HttpUrl.parse(url) == null) {
        throw new IllegalArgumentException("url is not an http(s) URL");
      }
      this.url = url;
      return this;
    }

    /**
     * A header sent with every request, such as {@code Authorization}. Its value is never shown by
     * {@link #toString()}.
     *
     * @throws IllegalArgumentException when the name or value cannot be sent in a header
     */
    public Builder header(String name, String value) {
      if (!HeaderRules.isValidName(name)) {
        throw new IllegalArgumentException("invalid header name: " + name);
      }
      if (value == null || !value.equals(HeaderRules.sendableValue(value))) {
        throw new IllegalArgumentException("the value of header " + name + " cannot be sent");
      }
      headers.put(name, value);
      return this;
    }

    /** The largest request body before compression; larger batches are split (default 5 MiB). */
    public Builder maxRequestBytes(int maxRequestBytes) {
      if (maxRequestBytes < 1024) {
        throw new IllegalArgumentException("maxRequestBytes must be at least 1024");
      }
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    /**
     * Builds the exporter.
     *
     * @throws IllegalStateException when no URL was set
     */
    public CollectorHttpExporter build() {
      if (url == null) {
        throw new IllegalStateException("url is required");
      }
      return new CollectorHttpExporter(this);
    }
  }
}
