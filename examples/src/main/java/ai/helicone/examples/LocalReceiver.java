package ai.helicone.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A loopback HTTP server that keeps every request it receives and answers each with a fixed reply:
 * a stand-in for Helicone's logging API, an OTLP collector or Helicone's gateway, so the exporter
 * examples run offline.
 */
public final class LocalReceiver implements AutoCloseable {
  /** One received request; the body is decompressed when it was sent gzip'd. */
  public static final class Received {
    private final String method;
    private final String path;
    private final Map<String, String> headers;
    private final byte[] body;

    Received(String method, String path, Map<String, String> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.headers = Collections.unmodifiableMap(headers);
      this.body = body.clone();
    }

    public String method() {
      return method;
    }

    public String path() {
      return path;
    }

    /** The request headers, names in lower case. */
    public Map<String, String> headers() {
      return headers;
    }

    /** A copy of the body. */
    public byte[] body() {
      return body.clone();
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();

  private LocalReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver that answers every request with {@code status} and {@code body}. */
  public static LocalReceiver start(int status, String contentType, String body) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LocalReceiver receiver = new LocalReceiver(server);
      byte[] reply = body.getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/",
          exchange -> {
            receiver.keep(exchange);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(reply);
            }
          });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local receiver", e);
    }
  }

  /** The base URL, such as {@code http://127.0.0.1:54321}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** What was received so far, in order. */
  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  private void keep(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(headers.get("content-encoding"))) {
      in = new GZIPInputStream(in);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    in.transferTo(body);
    synchronized (this) {
      received.add(
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              headers,
              body.toByteArray()));
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
