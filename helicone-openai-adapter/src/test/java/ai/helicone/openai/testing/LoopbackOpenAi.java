package ai.helicone.openai.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * An OpenAI-shaped server on loopback whose answers each test queues, and the bodies it serves.
 * Shared, through this module's test jar, by the tests of the modules built on the OpenAI adapter.
 */
public final class LoopbackOpenAi implements AutoCloseable {
  public static final String CHAT =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,"
          + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":"
          + "{\"role\":\"assistant\",\"content\":\"Hello!\",\"refusal\":null},\"logprobs\":null,"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,"
          + "\"completion_tokens\":500,\"total_tokens\":1500}}";

  public static final String EMBEDDINGS =
      "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
          + "\"embedding\":[0.1,-0.2,0.3]}],\"model\":\"text-embedding-3-small\","
          + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";

  public static final String RESPONSES =
      "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1700000000,"
          + "\"status\":\"completed\",\"model\":\"gpt-4o-mini-2024-07-18\",\"output\":[{\"type\":"
          + "\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\","
          + "\"content\":[{\"type\":\"output_text\",\"text\":\"Hi\",\"annotations\":[]}]}],"
          + "\"parallel_tool_calls\":true,\"tool_choice\":\"auto\",\"tools\":[],"
          + "\"usage\":{\"input_tokens\":1000,\"input_tokens_details\":{\"cached_tokens\":0},"
          + "\"output_tokens\":500,\"output_tokens_details\":{\"reasoning_tokens\":0},"
          + "\"total_tokens\":1500}}";

  public static final String ERROR =
      "{\"error\":{\"message\":\"Invalid value for 'temperature'.\",\"type\":"
          + "\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"invalid_value\"}}";

  /** The role-only first chunk, which carries no content. */
  public static final String ROLE_CHUNK =
      "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
          + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":"
          + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";

  public static String contentChunk(String text) {
    return "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":"
        + "{\"content\":\""
        + text
        + "\"},\"finish_reason\":null}]}\n\n";
  }

  /** The rest of the stream after the first content: finish, usage chunk, [DONE]. */
  public static final String STREAM_END =
      contentChunk(" there")
          + "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
          + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},"
          + "\"finish_reason\":\"stop\"}]}\n\n"
          + "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
          + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,"
          + "\"completion_tokens\":500,\"total_tokens\":1500}}\n\n"
          + "data: [DONE]\n\n";

  /** Comments a server may send while a connection stays open; they keep the body unfinished. */
  public static final String KEEP_ALIVES = ": keep-alive\n\n".repeat(20_000);

  public final MockWebServer server = new MockWebServer();

  public LoopbackOpenAi() throws IOException {
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  public String baseUrl() {
    return server.url("/v1").toString();
  }

  public String host() {
    return server.getHostName() + ":" + server.getPort();
  }

  public void json(int status, String body) {
    server.enqueue(
        new MockResponse()
            .setResponseCode(status)
            .setHeader("Content-Type", "application/json")
            .setBody(body));
  }

  /**
   * A stream whose first content arrives at least {@code contentDelayMs} after the role-only first
   * chunk (the server pauses after every chunk-sized part), then ends with usage and [DONE].
   */
  public void slowStream(long contentDelayMs) {
    Buffer body = new Buffer().writeUtf8(ROLE_CHUNK);
    long firstPart = body.size();
    body.writeUtf8(contentChunk("Hello")).writeUtf8(STREAM_END);
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream")
            .setBody(body)
            .throttleBody(firstPart, contentDelayMs, TimeUnit.MILLISECONDS));
  }

  /**
   * A stream followed by keep-alives after its [DONE], which leave the body open past the terminal
   * event, as a server that has not yet closed the connection does.
   */
  public void stream() {
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream")
            .setBody(ROLE_CHUNK + contentChunk("Hello") + STREAM_END + KEEP_ALIVES));
  }

  /** A stream with the first content early and the terminal event far behind keep-alives. */
  public void longStream() {
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream")
            .setBody(ROLE_CHUNK + contentChunk("Hello") + KEEP_ALIVES + STREAM_END));
  }

  public RecordedRequest take() throws InterruptedException {
    return server.takeRequest(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
