package ai.helicone.export.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that receives logs the way Helicone's receiving code does, so tests can check
 * what Helicone would show. Its rules, written from Helicone's public sources:
 *
 * <ul>
 *   <li>Worker routes ({@code worker/src/routers/api/apiRouter.ts}, {@code AsyncLogManager.ts}):
 *       {@code /oai/v1/log} is OPENAI, {@code /anthropic/v1/log} ANTHROPIC, {@code
 *       /googleapis/v1/log} GOOGLE, {@code /custom/v1/log} CUSTOM, whatever the body says. No
 *       Authorization: 401. Start after end: 400.
 *   <li>The API host's {@code /v1/trace/custom/v1/log} ({@code customTraceManager.ts}): the body's
 *       {@code provider}, OPENAI when absent.
 *   <li>Cost ({@code packages/cost/index.ts}, {@code providers/mappings.ts}, {@code
 *       provider-helpers.ts}): looked up by that provider, then the model (lower case, equal or
 *       prefix); a provider without a price table (CUSTOM, LOCAL) gets none. The prices below are
 *       samples per 1M tokens for one or two models of each provider.
 *   <li>Usage: OpenAI's {@code usage.prompt_tokens/completion_tokens}, Anthropic's {@code
 *       usage.input_tokens/output_tokens}, Google's {@code usageMetadata}; a {@code textBody} is
 *       read as a stream only when the request JSON has {@code "stream": true}.
 * </ul>
 */
final class HeliconeReceiver implements AutoCloseable {
  /** What Helicone would store for one log. */
  record Row(
      String path,
      String provider,
      String model,
      long promptTokens,
      long completionTokens,
      Double cost,
      int status,
      Long timeToFirstToken,
      String requestId) {}

  private record Price(String model, boolean prefix, double input, double output) {}

  private static final Map<String, List<Price>> PRICES =
      Map.ofEntries(
          Map.entry(
              "OPENAI",
              List.of(
                  new Price("gpt-4o-mini", true, 0.15, 0.60), new Price("gpt-4o", true, 2.5, 10))),
          Map.entry(
              "AZURE",
              List.of(
                  new Price("gpt-4o-mini", true, 0.15, 0.60), new Price("gpt-4o", true, 2.5, 10))),
          Map.entry(
              "ANTHROPIC",
              List.of(
                  new Price("claude-3-5-sonnet", true, 3, 15),
                  new Price("claude-sonnet-4", true, 3, 15))),
          Map.entry(
              "GOOGLE",
              List.of(
                  new Price("gemini-2.0-flash", true, 0.10, 0.40),
                  new Price("gemini-2.5-flash", true, 0.30, 2.50))),
          Map.entry("GROQ", List.of(new Price("llama-3.3-70b-versatile", false, 0.59, 0.79))),
          Map.entry("DEEPSEEK", List.of(new Price("deepseek-chat", false, 0.27, 1.10))),
          Map.entry("OPENROUTER", List.of(new Price("openai/gpt-4o-mini", false, 0.15, 0.60))),
          Map.entry("X", List.of(new Price("grok-3", true, 3, 15))),
          Map.entry(
              "TOGETHER",
              List.of(new Price("meta-llama/llama-3.3-70b-instruct-turbo", false, 0.88, 0.88))),
          Map.entry(
              "FIREWORKS",
              List.of(
                  new Price("accounts/fireworks/models/llama-v3p1-8b-instruct", false, 0.2, 0.2))),
          Map.entry("MISTRAL", List.of(new Price("mistral-large", true, 2, 6))),
          Map.entry("PERPLEXITY", List.of(new Price("sonar", false, 1, 1))),
          Map.entry("CEREBRAS", List.of(new Price("llama3.1-8b", false, 0.1, 0.1))),
          Map.entry("NEBIUS", List.of(new Price("meta-llama/meta-llama-3.1-8b", true, 0.02, 0.06))),
          Map.entry("NOVITA", List.of(new Price("deepseek/deepseek-v3", true, 0.28, 1.14))),
          Map.entry(
              "DEEPINFRA", List.of(new Price("meta-llama/meta-llama-3.1-8b", true, 0.03, 0.05))),
          Map.entry("COHERE", List.of(new Price("command-r", true, 0.15, 0.60))),
          Map.entry("BEDROCK", List.of(new Price("anthropic.claude-3-5-sonnet", true, 3, 15))));

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The name prefix of the threads that answer logs, for telling their CPU apart. */
  static final String THREAD_PREFIX = "log-receiver-";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConcurrentLinkedQueue<Row> rows = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private volatile String storageError;
  private final AtomicInteger storageErrorsLeft = new AtomicInteger();

  static {
    // The JDK's HttpServer leaves Nagle's algorithm on unless told: its header and body writes
    // then wait on the client's delayed ACK (about 40 ms), which a real endpoint does not add.
    // Read once, when the first server of the JVM starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  HeliconeReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            128, task -> new Thread(task, THREAD_PREFIX + threads.incrementAndGet()));
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL, without a trailing slash. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Each answer waits this long first, as a remote Helicone would. */
  HeliconeReceiver latency(Duration latency) {
    this.latency = latency;
    return this;
  }

  /** The next {@code times} logs are answered {@code 200 {"error": message}} and not stored. */
  HeliconeReceiver failStorage(String message, int times) {
    this.storageError = message;
    this.storageErrorsLeft.set(times);
    return this;
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  int requestCount() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!latency.isZero()) {
        try {
          Thread.sleep(latency.toMillis()); // the simulated server's own response time
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String path = exchange.getRequestURI().getPath();
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth == null || auth.isBlank()) {
        answer(exchange, 401, "Unauthorized");
        return;
      }
      JsonNode body = JSON.readTree(bytes);
      String provider =
          switch (path) {
            case "/oai/v1/log" -> "OPENAI";
            case "/anthropic/v1/log" -> "ANTHROPIC";
            case "/googleapis/v1/log" -> "GOOGLE";
            case "/custom/v1/log" -> "CUSTOM";
            case "/v1/trace/custom/v1/log" -> body.path("provider").asText("OPENAI");
            default -> null;
          };
      if (provider == null) {
        answer(exchange, 400, "invalid path");
        return;
      }
      if (millis(body.at("/timing/startTime")) > millis(body.at("/timing/endTime"))) {
        answer(exchange, 400, "{\"error\":\"start time after end time\"}");
        return;
      }
      if (storageErrorsLeft.getAndDecrement() > 0) {
        answer(exchange, 200, "{\"error\":\"" + storageError + "\"}");
        return;
      }
      rows.add(
          row(path, provider, body, exchange.getRequestHeaders().getFirst("Helicone-Request-Id")));
      exchange.getResponseHeaders().add("helicone-id", "id");
      answer(exchange, 200, "ok");
    } catch (RuntimeException e) {
      answer(exchange, 500, String.valueOf(e));
    }
  }

  private static Row row(String path, String provider, JsonNode body, String requestId) {
    JsonNode request = body.at("/providerRequest/json");
    JsonNode response = body.at("/providerResponse/json");
    String text = body.at("/providerResponse/textBody").asText(null);
    long[] usage = {0, 0};
    String model = firstText(response.get("model"), response.get("modelVersion"));
    if (text != null && request.path("stream").asBoolean(false)) {
      for (String line : text.split("\n")) {
        if (!line.startsWith("data:")) {
          continue;
        }
        try {
          JsonNode chunk = JSON.readTree(line.substring(5).trim());
          readUsage(provider, chunk, usage);
          readUsage(provider, chunk.path("message"), usage); // Anthropic's message_start
          if (model == null) {
            model = firstText(chunk.get("model"), chunk.path("message").get("model"));
          }
        } catch (IOException | RuntimeException e) {
          // not JSON ([DONE], comments)
        }
      }
    } else {
      readUsage(provider, response, usage);
    }
    if (model == null) {
      model = request.path("model").asText(null);
    }
    Double cost = cost(provider, model, usage[0], usage[1]);
    JsonNode ttft = body.at("/timing/timeToFirstToken");
    return new Row(
        path,
        provider,
        model,
        usage[0],
        usage[1],
        cost,
        body.at("/providerResponse/status").asInt(),
        ttft.isNumber() ? ttft.asLong() : null,
        requestId);
  }

  private static void readUsage(String provider, JsonNode json, long[] usage) {
    JsonNode u = json.path("usage");
    JsonNode google = json.path("usageMetadata");
    if (google.isObject()) {
      usage[0] = google.path("promptTokenCount").asLong(usage[0]);
      usage[1] = google.path("candidatesTokenCount").asLong(usage[1]);
    } else if (u.has("prompt_tokens")) {
      usage[0] = u.path("prompt_tokens").asLong();
      usage[1] = u.path("completion_tokens").asLong();
    } else if (u.has("input_tokens") || u.has("output_tokens")) {
      usage[0] = u.path("input_tokens").asLong(usage[0]);
      usage[1] = u.path("output_tokens").asLong(usage[1]);
    }
  }

  private static Double cost(String provider, String model, long input, long output) {
    List<Price> table = PRICES.get(provider);
    if (table == null || model == null) {
      return null;
    }
    String m = model.toLowerCase(Locale.ROOT);
    for (Price p : table) {
      if (p.prefix() ? m.startsWith(p.model()) : m.equals(p.model())) {
        return (input * p.input() + output * p.output()) / 1_000_000;
      }
    }
    return null;
  }

  private static String firstText(JsonNode... nodes) {
    for (JsonNode n : nodes) {
      if (n != null && n.isTextual()) {
        return n.textValue();
      }
    }
    return null;
  }

  private static long millis(JsonNode time) {
    if (time == null || time instanceof MissingNode) {
      return 0;
    }
    return time.path("seconds").asLong() * 1000 + time.path("milliseconds").asLong();
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
