package ai.helicone.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny Gemini-shaped server on loopback, so the google-genai example runs offline and without a
 * key. It answers {@code .../models/{model}:generateContent} with one response and {@code
 * :streamGenerateContent?alt=sse} with three server-sent events, with canned text and the usage
 * metadata Gemini reports (thinking tokens included).
 */
public final class FakeGeminiServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  private FakeGeminiServer(HttpServer server) {
    this.server = server;
  }

  /** Starts the server on a free loopback port. */
  public static FakeGeminiServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeGeminiServer fake = new FakeGeminiServer(server);
      server.createContext("/", fake::answer);
      server.setExecutor(fake.executor);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local server", e);
    }
  }

  /** The base URL, such as {@code http://127.0.0.1:54321/}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    String model = path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf(':'));
    if (path.endsWith(":streamGenerateContent")) {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        List<String> parts = List.of("Tea, ", "then a walk ", "by the river.");
        for (int i = 0; i < parts.size(); i++) {
          boolean last = i == parts.size() - 1;
          String usage =
              last
                  ? "{\"promptTokenCount\":11,\"candidatesTokenCount\":9,\"thoughtsTokenCount\":40,"
                      + "\"totalTokenCount\":60}"
                  : "{\"promptTokenCount\":11,\"totalTokenCount\":11}";
          String event =
              "data: " + response(model, parts.get(i), last ? "STOP" : null, usage) + "\r\n\r\n";
          out.write(event.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
      return;
    }
    byte[] body =
        response(
                model,
                "A quiet morning: coffee, a short walk, then the hardest task first.",
                "STOP",
                "{\"promptTokenCount\":12,\"candidatesTokenCount\":14,\"thoughtsTokenCount\":95,"
                    + "\"totalTokenCount\":121}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String response(String model, String text, String finishReason, String usage) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
        + text
        + "\"}],\"role\":\"model\"},"
        + (finishReason == null ? "" : "\"finishReason\":\"" + finishReason + "\",")
        + "\"index\":0}],\"usageMetadata\":"
        + usage
        + ",\"modelVersion\":\""
        + model
        + "\",\"responseId\":\"ZXhhbXBsZQ\"}";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
