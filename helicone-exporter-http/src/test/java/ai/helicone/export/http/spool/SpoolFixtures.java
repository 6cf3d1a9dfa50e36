package ai.helicone.export.http.spool;

import ai.helicone.Helicone;
import ai.helicone.export.http.CollectorHttpExporter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/** An OpenAI-shaped LLM and a JSON Lines collector on loopback, shared by the spool tests. */
final class SpoolFixtures {
  static final String CHAT_REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String CHAT_RESPONSE =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SpoolFixtures() {}

  /** An LLM that answers every request with the same chat completion. */
  static MockWebServer llm() throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody(CHAT_RESPONSE);
          }
        });
    server.start();
    return server;
  }

  /** A loopback port with nothing listening (a collector that is down). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A collector that keeps the id of every record line it receives. */
  static final class Collector extends Dispatcher {
    final List<String> ids = Collections.synchronizedList(new ArrayList<>());

    /** A copy of the ids received so far, taken while no request adds to them. */
    List<String> received() {
      synchronized (ids) {
        return List.copyOf(ids);
      }
    }

    final MockWebServer server = new MockWebServer();

    Collector() {
      server.setDispatcher(this);
    }

    void start(int port) throws IOException {
      server.start(port);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(request.getBody().inputStream()), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          JsonNode record = MAPPER.readTree(line);
          ids.add(record.get("id").asText());
        }
      } catch (IOException e) {
        return new MockResponse().setResponseCode(400);
      }
      return new MockResponse().setBody("ok");
    }

    void close() throws IOException {
      server.close();
    }
  }

  static CollectorHttpExporter collector(int port) {
    return CollectorHttpExporter.builder()
        .url("http://127.0.0.1:" + port + "/ingest")
        .maxAttempts(1)
        .requestTimeout(Duration.ofSeconds(5))
        .build();
  }

  static Helicone.Builder helicone(Path spool, CollectorHttpExporter collector) {
    return Helicone.builder()
        .addExporter(collector)
        .spool(spool, 64L << 20)
        .batchDelay(Duration.ofMillis(20))
        .maxExportAttempts(2)
        .closeTimeout(Duration.ofSeconds(3));
  }

  /** One chat call through the instrumented client with a known request id; returns that id. */
  static String call(OkHttpClient client, MockWebServer llm) {
    String id = UUID.randomUUID().toString();
    Request request =
        new Request.Builder()
            .url(llm.url("/v1/chat/completions"))
            .header("Authorization", "Bearer sk-test-secret")
            .header("Helicone-Request-Id", id)
            .post(RequestBody.create(CHAT_REQUEST, JSON))
            .build();
    try (Response response = client.newCall(request).execute()) {
      if (!CHAT_RESPONSE.equals(response.body().string())) {
        throw new IllegalStateException("unexpected answer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return id;
  }
}
