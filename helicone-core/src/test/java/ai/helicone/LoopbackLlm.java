package ai.helicone;

import java.io.IOException;
import java.net.InetAddress;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/** An OpenAI-shaped chat endpoint on loopback that answers every request at once. */
final class LoopbackLlm implements AutoCloseable {
  static final MediaType JSON = MediaType.get("application/json");
  static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";

  final MockWebServer server = new MockWebServer();

  LoopbackLlm() throws IOException {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse().setHeader("Content-Type", "application/json").setBody(ANSWER);
          }
        });
    // Without TCP_NODELAY, a response written in two segments waits for the client's delayed
    // ACK (about 40 ms per call on Linux), which would make the many-call tests needlessly slow.
    server.setServerSocketFactory(
        new javax.net.ServerSocketFactory() {
          @Override
          public java.net.ServerSocket createServerSocket() throws IOException {
            return new java.net.ServerSocket() {
              @Override
              public java.net.Socket accept() throws IOException {
                java.net.Socket socket = super.accept();
                socket.setTcpNoDelay(true);
                return socket;
              }
            };
          }

          @Override
          public java.net.ServerSocket createServerSocket(int port) {
            throw new UnsupportedOperationException();
          }

          @Override
          public java.net.ServerSocket createServerSocket(int port, int backlog) {
            throw new UnsupportedOperationException();
          }

          @Override
          public java.net.ServerSocket createServerSocket(
              int port, int backlog, InetAddress address) {
            throw new UnsupportedOperationException();
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  /** A server whose answers are queued by the test instead. */
  static LoopbackLlm queued() throws IOException {
    LoopbackLlm llm = new LoopbackLlm();
    llm.server.setDispatcher(new okhttp3.mockwebserver.QueueDispatcher());
    return llm;
  }

  Request chat(String body) {
    return new Request.Builder()
        .url(server.url("/v1/chat/completions"))
        .post(RequestBody.create(body, JSON))
        .build();
  }

  Request chat() {
    return chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
  }

  static String call(OkHttpClient client, Request request) {
    try (Response response = client.newCall(request).execute()) {
      return response.body().string();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void shutdown(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
