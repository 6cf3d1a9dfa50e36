package ai.helicone.benchmarks;

import ai.helicone.Helicone;
import ai.helicone.export.JsonLinesExporter;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.instrumentation.okhttp.v3_0.OkHttpTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * One way of making the calls: bare OkHttp, helicone-java exporting JSON Lines, or OpenTelemetry's
 * OkHttp library instrumentation with its spans written as JSON Lines by a batch processor.
 */
final class Variant implements AutoCloseable {
  final String name;
  final Call.Factory calls;
  private final Helicone helicone;
  private final SdkTracerProvider tracing;
  private final JsonLinesSpans spans;
  private final Path dir;

  private Variant(
      String name,
      Call.Factory calls,
      Helicone helicone,
      SdkTracerProvider tracing,
      JsonLinesSpans spans,
      Path dir) {
    this.name = name;
    this.calls = calls;
    this.helicone = helicone;
    this.tracing = tracing;
    this.spans = spans;
    this.dir = dir;
  }

  static Variant create(String name) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(64);
    dispatcher.setMaxRequestsPerHost(64);
    OkHttpClient base =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
            .build();
    try {
      Path dir = Files.createTempDirectory("helicone-bench");
      return switch (name) {
        case "bare" -> new Variant(name, base, null, null, null, dir);
        case "helicone" -> {
          Helicone helicone =
              Helicone.builder()
                  .addExporter(
                      JsonLinesExporter.builder().file(dir.resolve("helicone.jsonl")).build())
                  .build();
          yield new Variant(name, helicone.instrument(base), helicone, null, null, dir);
        }
        case "otel" -> {
          JsonLinesSpans spans = new JsonLinesSpans(dir.resolve("spans.jsonl"));
          SdkTracerProvider tracing =
              SdkTracerProvider.builder()
                  .addSpanProcessor(BatchSpanProcessor.builder(spans).build())
                  .build();
          OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracing).build();
          yield new Variant(
              name,
              OkHttpTelemetry.builder(sdk).build().createCallFactory(base),
              null,
              tracing,
              spans,
              dir);
        }
        default -> throw new IllegalArgumentException(name);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until everything recorded so far is written. */
  void flush() {
    if (helicone != null) {
      helicone.flush(Duration.ofSeconds(60));
    }
    if (tracing != null) {
      tracing.forceFlush().join(60, TimeUnit.SECONDS);
    }
  }

  /** True when the variant writes a record or a span of each call. */
  boolean records() {
    return helicone != null || spans != null;
  }

  /**
   * Records (helicone) or spans (OpenTelemetry) written so far. What a call did not get written was
   * dropped: helicone counts its drops itself, OpenTelemetry's batch processor does not tell.
   */
  long written() {
    return helicone != null ? helicone.stats().exported() : spans != null ? spans.written() : 0;
  }

  /**
   * Of helicone's drops, those of the memory budget: records it refused and calls left uncaptured
   * while it refused (the rest were refused by a full export queue); 0 for the other variants.
   */
  long droppedOverBudget() {
    return helicone != null ? helicone.stats().droppedOverBudget() : 0;
  }

  /** The name prefix of the variant's export thread, or null. */
  String workerPrefix() {
    return helicone != null ? "helicone-export-" : tracing != null ? "BatchSpanProcessor" : null;
  }

  @Override
  public void close() {
    if (helicone != null) {
      helicone.close();
    }
    if (tracing != null) {
      tracing.close();
    }
    deleteTree(dir);
  }

  /** Deletes {@code dir} and what it holds: a full run writes gigabytes of lines, never read. */
  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(Variant::deleteQuietly);
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      System.err.println("could not delete " + path + ": " + e);
    }
  }

  @Override
  public String toString() {
    return name + " in " + dir;
  }

  /** Spans as JSON Lines: what an application logging each call's span would write. */
  private static final class JsonLinesSpans implements SpanExporter {
    private static final JsonFactory JSON = new JsonFactory();
    private final OutputStream out;
    private final AtomicLong written = new AtomicLong();

    JsonLinesSpans(Path file) throws IOException {
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
      try {
        for (SpanData span : spans) {
          try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("traceId", span.getTraceId());
            g.writeStringField("spanId", span.getSpanId());
            g.writeStringField("name", span.getName());
            g.writeNumberField("start", span.getStartEpochNanos());
            g.writeNumberField("end", span.getEndEpochNanos());
            g.writeStringField("status", span.getStatus().getStatusCode().name());
            g.writeObjectFieldStart("attributes");
            for (Map.Entry<AttributeKey<?>, Object> e : span.getAttributes().asMap().entrySet()) {
              g.writeStringField(e.getKey().getKey(), String.valueOf(e.getValue()));
            }
            g.writeEndObject();
            g.writeEndObject();
          }
          out.write('\n');
          written.incrementAndGet();
        }
        out.flush();
        return CompletableResultCode.ofSuccess();
      } catch (IOException e) {
        return CompletableResultCode.ofFailure();
      }
    }

    long written() {
      return written.get();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public synchronized CompletableResultCode shutdown() {
      try {
        out.close();
      } catch (IOException e) {
        return CompletableResultCode.ofFailure();
      }
      return CompletableResultCode.ofSuccess();
    }
  }
}
