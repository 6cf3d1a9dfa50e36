package ai.helicone.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import ai.helicone.spi.ProviderAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole path: a real OkHttp client instrumented by {@link Helicone}, a local OpenAI-shaped
 * server, the adapter found on the classpath (or registered), the export pipeline and the record
 * that comes out of it.
 */
class EndToEndTest {
  @RegisterExtension
  static final WireMockExtension SERVER =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
          .build();

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final MediaType JSON = MediaType.get("application/json");
  private static final Encoding O200K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  private final InMemoryExporter exporter = new InMemoryExporter();
  private final List<Helicone> instances = new ArrayList<>();

  @AfterEach
  void closeHelicone() {
    instances.forEach(Helicone::close);
  }

  private OkHttpClient client(ProviderAdapter... adapters) {
    Helicone.Builder builder =
        Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5));
    for (ProviderAdapter adapter : adapters) {
      builder.addAdapter(adapter);
    }
    Helicone helicone = builder.build();
    instances.add(helicone);
    return helicone.instrument(new OkHttpClient.Builder().retryOnConnectionFailure(false).build());
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + SERVER.getPort() + path;
  }

  private static String host() {
    return "127.0.0.1:" + SERVER.getPort();
  }

  private static Request request(String path, String body) {
    return new Request.Builder()
        .url(url(path))
        .header("Authorization", "Bearer sk-test-secret")
        .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), JSON))
        .build();
  }

  private static ResponseDefinitionBuilder json(int status, byte[] body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-request-id", "req_e2e")
        .withBody(body);
  }

  private static ResponseDefinitionBuilder eventStream(byte[] body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "text/event-stream; charset=utf-8")
        .withBody(body);
  }

  /** Executes the call, reads the whole body as the application would, returns its bytes. */
  private static byte[] execute(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.body().bytes();
    }
  }

  /** Flushes every instance, then returns the single record exported. */
  private HeliconeRecord onlyRecord() {
    for (Helicone helicone : instances) {
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(exporter.records()).hasSize(1);
    HeliconeRecord record = exporter.records().get(0);
    assertThat(record.type()).isEqualTo(RecordType.LLM);
    return record;
  }

  private static JsonNode tree(String json) throws IOException {
    return MAPPER.readTree(json);
  }

  private static long tokens(String text) {
    return O200K.countTokensOrdinary(text);
  }

  /** USD for a token count at a price per million tokens. */
  private static BigDecimal usd(long tokens, String perMillion) {
    return new BigDecimal(perMillion)
        .multiply(BigDecimal.valueOf(tokens))
        .divide(BigDecimal.valueOf(1_000_000));
  }

  @Test
  void aKeyQuotedInAProviderErrorNeverReachesTheRecord() throws Exception {
    byte[] served =
        ("{\"error\":{\"message\":\"Incorrect API key provided: sk-proj-AbCdEf0123456789xyz."
                + " Sent: Bearer sk-proj-AbCdEf0123456789xyz\",\"type\":\"invalid_request_error\","
                + "\"code\":\"invalid_api_key\"}}")
            .getBytes(StandardCharsets.UTF_8);
    SERVER.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(json(401, served)));

    byte[] read =
        execute(client(), request("/v1/chat/completions", Fixtures.text("chat-request.json")));

    assertThat(read).isEqualTo(served); // the caller still sees the body as sent
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error())
        .contains("Incorrect API key provided: [REDACTED]")
        .doesNotContain("AbCdEf");
  }

  @Test
  void anHtmlPageAnsweredWith200IsASuccessWhoseUsageIsMissingForASaidReason() throws Exception {
    SERVER.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<!doctype html><title>Proxy login</title>")));
    Helicone.Builder builder = Helicone.builder().addExporter(exporter).batchDelay(Duration.ZERO);
    Helicone helicone = builder.build();
    instances.add(helicone);
    OkHttpClient client = helicone.instrument(new OkHttpClient());

    execute(client, request("/v1/chat/completions", Fixtures.text("chat-request.json")));

    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.usage()).isNull();
    assertThat(r.parseError()).isEqualTo("HTML instead of JSON");
    assertThat(helicone.stats().unparsedBodies()).isEqualTo(1);
  }

  @Test
  void plainChatCompletionOnAnUnregisteredHostIsOpenAiCompatible() throws Exception {
    byte[] served = Fixtures.bytes("chat.json");
    SERVER.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(json(200, served)));

    byte[] read =
        execute(client(), request("/v1/chat/completions", Fixtures.text("chat-request.json")));

    assertThat(read).isEqualTo(served);
    HeliconeRecord r = onlyRecord();
    assertThat(r.provider()).isEqualTo("openai-compatible");
    assertPlainChat(r);
  }

  @Test
  void plainChatCompletionOnARegisteredHostIsOpenAi() throws Exception {
    byte[] served = Fixtures.bytes("chat.json");
    SERVER.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(json(200, served)));
    OkHttpClient client = client(OpenAiAdapter.builder().compatibleHost(host(), "openai").build());

    byte[] read =
        execute(client, request("/v1/chat/completions", Fixtures.text("chat-request.json")));

    assertThat(read).isEqualTo(served);
    HeliconeRecord r = onlyRecord();
    assertThat(r.provider()).isEqualTo("openai");
    assertPlainChat(r);
  }

  private static void assertPlainChat(HeliconeRecord r) throws IOException {
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.error()).isNull();
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.requestModel()).isEqualTo("gpt-4o");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.stream()).isFalse();
    assertThat(r.responseId()).isEqualTo("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.usage().inputTokens()).isEqualTo(1200);
    assertThat(r.usage().outputTokens()).isEqualTo(300);
    assertThat(r.usage().totalTokens()).isEqualTo(1500);
    assertThat(r.usage().cachedInputTokens()).isEqualTo(1000);
    assertThat(r.usage().estimated()).isFalse();
    // gpt-4o: 200 uncached x 2.50 + 1000 cached x 1.25 + 300 x 10.00 per 1M tokens
    BigDecimal expected = usd(200, "2.50").add(usd(1000, "1.25")).add(usd(300, "10.00")); // 0.00475
    assertThat(r.costUsd()).isEqualByComparingTo(expected);
    assertThat(r.requestParameters()).containsEntry("temperature", 0.7).containsEntry("seed", 42L);
    assertThat(r.request().url()).isEqualTo(url("/v1/chat/completions"));
    assertThat(r.request().headers()).containsEntry("authorization", "[REDACTED]");
    assertThat(r.toString()).doesNotContain("sk-test-secret");
    assertThat(r.response().status()).isEqualTo(200);
    assertThat(tree(r.response().body().text())).isEqualTo(tree(Fixtures.text("chat.json")));
    assertThat(r.duration()).isPositive();
    assertThat(r.timeToFirstToken()).isNull();
  }

  @Test
  void streamWithUsageAddedByTheAdapter() throws Exception {
    byte[] withUsage = Fixtures.bytes("chat-stream-usage.sse");
    // Only a request that asks for usage gets the usage chunk, as with OpenAI.
    SERVER.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true")))
            .willReturn(eventStream(withUsage)));
    SERVER.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .atPriority(2)
            .willReturn(eventStream(Fixtures.bytes("chat-stream-no-usage.sse"))));
    OkHttpClient client =
        client(
            OpenAiAdapter.builder()
                .compatibleHost(host(), "openai")
                .includeUsageInStreams(true)
                .build());

    byte[] read =
        execute(client, request("/v1/chat/completions", Fixtures.text("chat-stream-request.json")));

    List<LoggedRequest> sent =
        SERVER.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
    assertThat(sent).hasSize(1);
    JsonNode sentBody = tree(sent.get(0).getBodyAsString());
    assertThat(sentBody.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(sentBody.path("messages"))
        .isEqualTo(tree(Fixtures.text("chat-stream-request.json")).path("messages"));
    assertThat(read).isEqualTo(withUsage);
    String readText = new String(read, StandardCharsets.UTF_8);
    assertThat(readText).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":25");

    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.stream()).isTrue();
    assertThat(r.requestModel()).isEqualTo("gpt-4o-mini");
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.responseId()).isEqualTo("chatcmpl-123");
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.usage().inputTokens()).isEqualTo(25);
    assertThat(r.usage().outputTokens()).isEqualTo(9);
    assertThat(r.usage().totalTokens()).isEqualTo(34);
    assertThat(r.usage().estimated()).isFalse();
    // gpt-4o-mini: 25 x 0.15 + 9 x 0.60 per 1M tokens
    assertThat(r.costUsd()).isEqualByComparingTo(usd(25, "0.15").add(usd(9, "0.60")));
    assertThat(r.timeToFirstToken()).isNotNull().isPositive();
    assertThat(r.timeToFirstToken()).isLessThanOrEqualTo(r.duration());
    // The record holds the request as it was sent, with the added stream_options.
    assertThat(tree(r.request().body().text())).isEqualTo(sentBody);
    assertThat(r.response().rawBody()).isEqualTo(readText);
    JsonNode body = tree(r.response().body().text());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("id").asText()).isEqualTo("chatcmpl-123");
    assertThat(body.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo("Hello there, friend! \u00e9t\u00e9 \ud83d\ude00");
    assertThat(body.path("usage").path("total_tokens").asLong()).isEqualTo(34);
  }

  @Test
  void streamWithoutUsageIsEstimated() throws Exception {
    byte[] served = Fixtures.bytes("chat-stream-no-usage.sse");
    SERVER.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(eventStream(served)));

    byte[] read =
        execute(
            client(), request("/v1/chat/completions", Fixtures.text("chat-stream-request.json")));

    // Without includeUsageInStreams the request goes out unchanged.
    String sent =
        SERVER
            .findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions")))
            .get(0)
            .getBodyAsString();
    assertThat(sent).isEqualTo(Fixtures.text("chat-stream-request.json"));
    assertThat(read).isEqualTo(served);
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("openai-compatible");
    assertThat(r.stream()).isTrue();
    assertThat(r.responseId()).isEqualTo("chatcmpl-456");
    // Two messages: 3 each plus role and content, then 3 to prime the reply.
    long prompt =
        3
            + tokens("system")
            + tokens("You are a helpful assistant.")
            + 3
            + tokens("user")
            + tokens("Say hello in three words.")
            + 3;
    long completion = tokens("Hello there, friend!");
    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().inputTokens()).isEqualTo(prompt);
    assertThat(r.usage().outputTokens()).isEqualTo(completion);
    // openai-compatible is priced as OpenAI.
    assertThat(r.costUsd()).isEqualByComparingTo(usd(prompt, "0.15").add(usd(completion, "0.60")));
    assertThat(r.timeToFirstToken()).isNotNull();
    assertThat(r.timeToFirstToken()).isLessThanOrEqualTo(r.duration());
    assertThat(r.response().rawBody()).isEqualTo(new String(read, StandardCharsets.UTF_8));
    assertThat(
            tree(r.response().body().text())
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText())
        .isEqualTo("Hello there, friend!");
  }

  /** A long stream: far more than one read of the caller's buffer, with usage only at its end. */
  private static byte[] longStream() {
    String prefix =
        "data: {\"id\":\"chatcmpl-long\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":";
    StringBuilder sb = new StringBuilder();
    sb.append(prefix)
        .append("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
    for (int i = 0; i < 500; i++) {
      sb.append(prefix)
          .append("{\"content\":\"word")
          .append(i)
          .append(" \"},\"finish_reason\":null}]}\n\n");
    }
    sb.append(prefix).append("{},\"finish_reason\":\"stop\"}]}\n\n");
    sb.append(
        "data: {\"id\":\"chatcmpl-long\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":25,\"completion_tokens\":1000,\"total_tokens\":1025}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void streamClosedByTheCallerAfterTheFirstContentIsCancelled() throws Exception {
    byte[] served = longStream();
    SERVER.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(eventStream(served)));
    OkHttpClient client = client();

    StringBuilder read = new StringBuilder();
    try (Response response =
        client
            .newCall(request("/v1/chat/completions", Fixtures.text("chat-stream-request.json")))
            .execute()) {
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        read.append(line).append('\n');
        if (line.contains("\"content\":\"word0 \"")) {
          break;
        }
      }
    }

    assertThat(new String(served, StandardCharsets.UTF_8)).startsWith(read.toString());
    assertThat(read.toString()).contains("word0").doesNotContain("word1 ");
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.CANCELLED);
    assertThat(r.stream()).isTrue();
    assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(r.responseId()).isEqualTo("chatcmpl-long");
    // The usage chunk at the end never arrived: counted locally.
    assertThat(r.usage()).isNotNull();
    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().outputTokens()).isPositive();
    assertThat(r.usage().outputTokens()).isLessThan(1000);
    assertThat(r.costUsd()).isPositive();
    assertThat(r.timeToFirstToken()).isNotNull();
    assertThat(r.timeToFirstToken()).isLessThanOrEqualTo(r.duration());
    // What was captured is a beginning of what the server sent, short of its end.
    String raw = r.response().rawBody();
    assertThat(raw).startsWith(read.toString());
    assertThat(new String(served, StandardCharsets.UTF_8)).startsWith(raw);
    assertThat(raw.length()).isLessThan(served.length);
  }

  /**
   * The fixture followed by keep-alive comments, so that a client that stops at the terminal event
   * closes the body before its end, as the official SDKs do.
   */
  private static byte[] withTrailingKeepAlives(String fixture) {
    StringBuilder sb = new StringBuilder(Fixtures.text(fixture));
    for (int i = 0; i < 20_000; i++) {
      sb.append(": keep-alive\n\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The fixture with keep-alive comments before the line holding {@code marker}: far enough that
   * the client's read-ahead cannot reach that line before the caller closes the body.
   */
  private static byte[] withKeepAlivesBefore(String fixture, String marker) {
    String text = Fixtures.text(fixture);
    int at = text.lastIndexOf("\n", text.indexOf(marker)) + 1;
    StringBuilder sb = new StringBuilder(text.substring(0, at));
    for (int i = 0; i < 20_000; i++) {
      sb.append(": keep-alive\n\n");
    }
    return sb.append(text.substring(at)).toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads lines until one contains {@code marker}, then closes the response there. */
  private static String readUntilAndClose(OkHttpClient client, Request request, String marker)
      throws IOException {
    StringBuilder read = new StringBuilder();
    try (Response response = client.newCall(request).execute()) {
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        read.append(line).append('\n');
        if (line.contains(marker)) {
          break;
        }
      }
    }
    return read.toString();
  }

  @Test
  void chatStreamClosedByTheCallerAtDoneIsASuccessWithItsUsage() throws Exception {
    byte[] served = withTrailingKeepAlives("chat-stream-usage.sse");
    SERVER.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(eventStream(served)));
    OkHttpClient client = client(OpenAiAdapter.builder().compatibleHost(host(), "openai").build());

    String read =
        readUntilAndClose(
            client,
            request("/v1/chat/completions", Fixtures.text("chat-stream-request.json")),
            "[DONE]");

    assertThat(read).endsWith("data: [DONE]\n");
    HeliconeRecord r = onlyRecord();
    assertThat(r.response().rawBody().length()).isLessThan(served.length);
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.error()).isNull();
    assertThat(r.usage().inputTokens()).isEqualTo(25);
    assertThat(r.usage().outputTokens()).isEqualTo(9);
    assertThat(r.usage().estimated()).isFalse();
    assertThat(r.costUsd()).isEqualByComparingTo(usd(25, "0.15").add(usd(9, "0.60")));
    assertThat(r.timeToFirstToken()).isNotNull();
  }

  @Test
  void chatStreamClosedBeforeDoneIsCancelledEvenWithItsUsageChunk() throws Exception {
    byte[] served = withKeepAlivesBefore("chat-stream-usage.sse", "[DONE]");
    SERVER.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(eventStream(served)));
    OkHttpClient client = client(OpenAiAdapter.builder().compatibleHost(host(), "openai").build());

    // The usage chunk is the last one before [DONE]: stop right after it.
    String read =
        readUntilAndClose(
            client,
            request("/v1/chat/completions", Fixtures.text("chat-stream-request.json")),
            "\"usage\":{");

    assertThat(read).doesNotContain("[DONE]");
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.CANCELLED);
  }

  @Test
  void completionsStreamClosedByTheCallerAtDoneIsASuccess() throws Exception {
    byte[] served = withTrailingKeepAlives("completions-stream.sse");
    SERVER.stubFor(post(urlPathEqualTo("/v1/completions")).willReturn(eventStream(served)));
    OkHttpClient client = client(OpenAiAdapter.builder().compatibleHost(host(), "openai").build());

    readUntilAndClose(
        client,
        request(
            "/v1/completions",
            "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\",\"stream\":true}"),
        "[DONE]");

    HeliconeRecord r = onlyRecord();
    assertThat(r.operation()).isEqualTo("text_completion");
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
  }

  @Test
  void responsesStreamClosedAtItsTerminalEventIsASuccessWithItsUsage() throws Exception {
    byte[] served = withTrailingKeepAlives("responses-stream.sse");
    SERVER.stubFor(post(urlPathEqualTo("/v1/responses")).willReturn(eventStream(served)));
    OkHttpClient client = client(OpenAiAdapter.builder().compatibleHost(host(), "openai").build());

    String read =
        readUntilAndClose(
            client,
            request(
                "/v1/responses",
                "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hi\",\"stream\":true}"),
            "\"type\":\"response.completed\"");

    assertThat(read).contains("response.completed");
    HeliconeRecord r = onlyRecord();
    assertThat(r.operation()).isEqualTo("responses");
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.usage()).isNotNull();
    assertThat(r.usage().estimated()).isFalse();
    assertThat(r.costUsd()).isNotNull();
  }

  @Test
  void responsesStreamClosedBeforeItsTerminalEventIsCancelled() throws Exception {
    byte[] served = withKeepAlivesBefore("responses-stream.sse", "event: response.completed");
    SERVER.stubFor(post(urlPathEqualTo("/v1/responses")).willReturn(eventStream(served)));
    OkHttpClient client = client(OpenAiAdapter.builder().compatibleHost(host(), "openai").build());

    readUntilAndClose(
        client,
        request(
            "/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hi\",\"stream\":true}"),
        "response.output_text.delta");

    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.CANCELLED);
  }

  @Test
  void errorResponseCarriesTheProvidersMessage() throws Exception {
    String message = "Invalid value for 'temperature': expected a number between 0 and 2.";
    byte[] served =
        ("{\"error\":{\"message\":\""
                + message.replace("'", "\\u0027")
                + "\",\"type\":\"invalid_request_error\",\"param\":\"temperature\","
                + "\"code\":\"invalid_value\"}}")
            .getBytes(StandardCharsets.UTF_8);
    SERVER.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(json(400, served)));
    OkHttpClient client = client();

    byte[] read;
    int code;
    try (Response response =
        client
            .newCall(
                request(
                    "/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"temperature\":9,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
            .execute()) {
      code = response.code();
      read = response.body().bytes();
    }

    assertThat(code).isEqualTo(400);
    assertThat(read).isEqualTo(served);
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).contains(message);
    assertThat(r.response().status()).isEqualTo(400);
    assertThat(r.requestModel()).isEqualTo("gpt-4o");
    assertThat(r.operation()).isEqualTo("chat");
    // Error responses are not estimated, so nothing is charged.
    assertThat(r.usage() == null || r.usage().inputTokens() == null).isTrue();
    assertThat(r.costUsd()).isNull();
  }

  @Test
  void embeddings() throws Exception {
    byte[] served = Fixtures.bytes("embeddings.json");
    SERVER.stubFor(post(urlPathEqualTo("/v1/embeddings")).willReturn(json(200, served)));

    byte[] read =
        execute(client(), request("/v1/embeddings", Fixtures.text("embeddings-request.json")));

    assertThat(read).isEqualTo(served);
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("openai-compatible");
    assertThat(r.operation()).isEqualTo("embeddings");
    assertThat(r.requestModel()).isEqualTo("text-embedding-3-small");
    assertThat(r.model()).isEqualTo("text-embedding-3-small");
    assertThat(r.stream()).isFalse();
    assertThat(r.usage().inputTokens()).isEqualTo(8);
    assertThat(r.usage().totalTokens()).isEqualTo(8);
    assertThat(r.usage().estimated()).isFalse();
    // text-embedding-3-small: 8 x 0.02 per 1M tokens
    assertThat(r.costUsd()).isEqualByComparingTo(usd(8, "0.02"));
    assertThat(tree(r.response().body().text())).isEqualTo(tree(Fixtures.text("embeddings.json")));
  }

  @Test
  void responsesApi() throws Exception {
    byte[] served = Fixtures.bytes("responses.json");
    SERVER.stubFor(post(urlPathEqualTo("/v1/responses")).willReturn(json(200, served)));
    OkHttpClient client = client(OpenAiAdapter.builder().compatibleHost(host(), "openai").build());

    byte[] read =
        execute(client, request("/v1/responses", Fixtures.text("responses-request.json")));

    assertThat(read).isEqualTo(served);
    HeliconeRecord r = onlyRecord();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.operation()).isEqualTo("responses");
    assertThat(r.requestModel()).isEqualTo("o4-mini");
    assertThat(r.model()).isEqualTo("o4-mini-2025-04-16");
    assertThat(r.responseId()).isEqualTo("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b");
    assertThat(r.usage())
        .isEqualTo(
            Usage.builder()
                .inputTokens(36L)
                .cachedInputTokens(12L)
                .outputTokens(287L)
                .reasoningTokens(192L)
                .totalTokens(323L)
                .build());
    // o4-mini: 24 uncached x 1.10 + 12 cached x 0.275 + 287 x 4.40 per 1M tokens
    assertThat(r.costUsd())
        .isEqualByComparingTo(usd(24, "1.10").add(usd(12, "0.275")).add(usd(287, "4.40")));
    assertThat(r.requestParameters()).containsEntry("max_tokens", 500L);
  }
}
