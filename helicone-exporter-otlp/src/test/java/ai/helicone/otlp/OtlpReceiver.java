package ai.helicone.otlp;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver on loopback that decodes what it gets with the official protobuf classes.
 */
final class OtlpReceiver implements AutoCloseable {
  /** One request as received. */
  static final class Received {
    final String path;
    final Map<String, String> headers;
    final byte[] body;
    final int status;

    Received(String path, Map<String, String> headers, byte[] body, int status) {
      this.path = path;
      this.headers = headers;
      this.body = body;
      this.status = status;
    }

    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  private boolean stopped;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Integer> statuses = new ConcurrentLinkedDeque<>();
  private final ConcurrentLinkedDeque<String> retryAfters = new ConcurrentLinkedDeque<>();

  OtlpReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          Map<String, String> headers = new LinkedHashMap<>();
          exchange
              .getRequestHeaders()
              .forEach(
                  (k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
          byte[] raw = exchange.getRequestBody().readAllBytes();
          Integer next = statuses.pollFirst();
          int status = next == null ? 200 : next;
          byte[] body = "gzip".equals(headers.get("content-encoding")) ? gunzip(raw) : raw;
          received.add(new Received(exchange.getRequestURI().getPath(), headers, body, status));
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          String retryAfter = retryAfters.pollFirst();
          if (retryAfter != null && !retryAfter.isEmpty()) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  /** The base URL, as for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers the next request with this status instead of 200. */
  void respondNextWith(int status) {
    respondNextWith(status, "");
  }

  /** Answers the next request with this status and {@code Retry-After} header. */
  void respondNextWith(int status, String retryAfter) {
    statuses.addLast(status);
    retryAfters.addLast(retryAfter);
  }

  List<Received> requests() {
    return List.copyOf(received);
  }

  List<Received> requests(String path) {
    List<Received> out = new ArrayList<>();
    for (Received r : received) {
      if (r.path.equals(path)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Every span of every successfully answered trace request. */
  List<Span> spans() {
    List<Span> out = new ArrayList<>();
    for (ExportTraceServiceRequest req : traceRequests()) {
      req.getResourceSpansList()
          .forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
    }
    return out;
  }

  List<ExportTraceServiceRequest> traceRequests() {
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    for (Received r : requests("/v1/traces")) {
      if (r.status == 200) {
        out.add(parseTraces(r.body));
      }
    }
    return out;
  }

  /** Every metric of every successfully answered metric request. */
  List<Metric> metrics() {
    List<Metric> out = new ArrayList<>();
    for (Received r : requests("/v1/metrics")) {
      if (r.status == 200) {
        ExportMetricsServiceRequest req = parseMetrics(r.body);
        req.getResourceMetricsList()
            .forEach(rm -> rm.getScopeMetricsList().forEach(sm -> out.addAll(sm.getMetricsList())));
      }
    }
    return out;
  }

  Span span(String name) {
    return spans().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span named " + name + " in " + names()));
  }

  List<String> names() {
    List<String> out = new ArrayList<>();
    spans().forEach(s -> out.add(s.getName()));
    return out;
  }

  static ExportTraceServiceRequest parseTraces(byte[] body) {
    try {
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ExportMetricsServiceRequest parseMetrics(byte[] body) {
    try {
      return ExportMetricsServiceRequest.parseFrom(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Attributes as plain Java values: String, Long, Double, Boolean or List. */
  static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  static Map<String, Object> attributes(Span span) {
    return attributes(span.getAttributesList());
  }

  private static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case ARRAY_VALUE:
        List<Object> list = new ArrayList<>();
        v.getArrayValue().getValuesList().forEach(e -> list.add(value(e)));
        return list;
      default:
        return v.toString();
    }
  }

  static String hex(com.google.protobuf.ByteString bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  private static byte[] gunzip(byte[] raw) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (!stopped) {
      stopped = true;
      server.stop(0);
    }
  }
}
