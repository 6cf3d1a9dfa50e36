package ai.helicone.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny OpenAI-shaped server on loopback, so the examples run offline and without keys. It answers
 * {@code /v1/chat/completions} (plain and streamed, with usage when the request asks for it) and
 * {@code /v1/embeddings}, with canned text and token counts.
 */
public final class FakeOpenAiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  private FakeOpenAiServer(HttpServer server) {
    this.server = server;
  }

  /** Starts the server on a free loopback port. */
  public static FakeOpenAiServer start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeOpenAiServer fake = new FakeOpenAiServer(server);
      server.createContext("/v1/chat/completions", fake::chat);
      server.createContext("/v1/embeddings", fake::embeddings);
      server.setExecutor(fake.executor);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the local server", e);
    }
  }

  /** The base URL, such as {@code http://127.0.0.1:54321/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private void chat(HttpExchange exchange) throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    String model = request.path("model").asText("gpt-4o-mini");
    String question = lastUserMessage(request);
    String answer = "Here is a short answer about " + summarize(question) + ".";
    long promptTokens = 8 + words(question);
    String[] pieces = answer.split("(?<= )", -1);
    long completionTokens = pieces.length;
    String id = "chatcmpl-" + UUID.randomUUID().toString().substring(0, 8);
    String servedModel = model.equals("gpt-4o-mini") ? "gpt-4o-mini-2024-07-18" : model;

    if (request.path("stream").asBoolean()) {
      boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean();
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        send(out, chunk(id, servedModel, JSON.createObjectNode().put("role", "assistant"), null));
        for (String piece : pieces) {
          pause(40);
          send(out, chunk(id, servedModel, JSON.createObjectNode().put("content", piece), null));
        }
        send(out, chunk(id, servedModel, JSON.createObjectNode(), "stop"));
        if (includeUsage) {
          ObjectNode last = chunk(id, servedModel, null, null);
          last.set("usage", usage(promptTokens, completionTokens));
          send(out, last);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    pause(120);
    ObjectNode response = JSON.createObjectNode();
    response.put("id", id).put("object", "chat.completion").put("model", servedModel);
    response.put("created", System.currentTimeMillis() / 1000);
    ObjectNode choice = response.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", answer);
    response.set("usage", usage(promptTokens, completionTokens));
    reply(exchange, response);
  }

  private void embeddings(HttpExchange exchange) throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    ObjectNode response = JSON.createObjectNode().put("object", "list");
    ArrayNode data = response.putArray("data");
    ObjectNode item = data.addObject().put("object", "embedding").put("index", 0);
    ArrayNode vector = item.putArray("embedding");
    for (int i = 0; i < 8; i++) {
      vector.add(Math.sin(i));
    }
    response.put("model", request.path("model").asText("text-embedding-3-small"));
    // "input" is a string or, from LangChain4j among others, an array of strings.
    JsonNode input = request.path("input");
    long tokens = 0;
    for (JsonNode text : input.isArray() ? input : JSON.createArrayNode().add(input)) {
      tokens += words(text.asText());
    }
    response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    reply(exchange, response);
  }

  private static ObjectNode chunk(String id, String model, ObjectNode delta, String finish) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", id).put("object", "chat.completion.chunk").put("model", model);
    ArrayNode choices = chunk.putArray("choices");
    if (delta != null) {
      ObjectNode choice = choices.addObject().put("index", 0);
      choice.set("delta", delta);
      if (finish == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finish);
      }
    }
    return chunk;
  }

  private static ObjectNode usage(long prompt, long completion) {
    return JSON.createObjectNode()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }

  private static void send(OutputStream out, ObjectNode event) throws IOException {
    out.write(
        ("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void reply(HttpExchange exchange, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("x-request-id", "req_" + UUID.randomUUID());
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String lastUserMessage(JsonNode request) {
    String text = "";
    for (JsonNode message : request.path("messages")) {
      if ("user".equals(message.path("role").asText())) {
        text = message.path("content").asText();
      }
    }
    return text;
  }

  private static String summarize(String question) {
    String[] words = question.replaceAll("[^\\p{L}\\p{N} ]", "").trim().split("\\s+", -1);
    return words.length == 0 || words[0].isEmpty()
        ? "nothing"
        : String.join(" ", java.util.Arrays.copyOfRange(words, 0, Math.min(3, words.length)));
  }

  private static long words(String text) {
    return text.isBlank() ? 0 : text.trim().split("\\s+", -1).length;
  }

  private static void pause(long millis) {
    try {
      // Simulated generation latency, so durations and time to first token look realistic.
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
