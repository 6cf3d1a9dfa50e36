package ai.helicone.export.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An instrumented OkHttp call to an "LLM", exported to a "Helicone" by the real pipeline. */
class HeliconeEndToEndTest {
  @RegisterExtension
  static WireMockExtension llm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static WireMockExtension heliconeServer =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  /** Held strongly: java.util.logging keeps loggers only weakly. */
  private final Logger sdkLogger = Logger.getLogger("ai.helicone");

  private static final MediaType JSON = MediaType.get("application/json");

  /** A Helicone instance that exports to the test's Helicone server, which takes every log. */
  private static Helicone heliconeExportingToServer() {
    heliconeServer.stubFor(post(anyUrl()).willReturn(ok("ok")));
    HeliconeHttpExporter exporter =
        HeliconeHttpExporter.builder()
            .apiKey("sk-helicone-e2e")
            .baseUrl(heliconeServer.baseUrl())
            .build();
    return Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(20)).build();
  }

  private static Request chatRequest() {
    return new Request.Builder()
        .url(llm.baseUrl() + "/v1/chat/completions")
        .header("Authorization", "Bearer " + TestRecords.PROVIDER_SECRET)
        .post(RequestBody.create(TestRecords.CHAT_REQUEST, JSON))
        .build();
  }

  @Test
  void anInstrumentedCallReachesHelicone() throws IOException {
    llm.stubFor(post("/v1/chat/completions").willReturn(okJson(TestRecords.CHAT_RESPONSE)));

    try (Helicone helicone = heliconeExportingToServer()) {
      OkHttpClient client = helicone.instrument(new OkHttpClient());
      HeliconeScope scope = helicone.context().userId("user-7").property("Feature", "e2e").attach();
      try (Response response = client.newCall(chatRequest()).execute()) {
        assertThat(response.body().string()).isEqualTo(TestRecords.CHAT_RESPONSE);
      } finally {
        scope.close();
      }
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    }

    List<LoggedRequest> logs = heliconeServer.findAll(postRequestedFor(anyUrl()));
    assertThat(logs).hasSize(1);
    LoggedRequest log = logs.get(0);
    assertThat(log.getUrl()).isEqualTo("/oai/v1/log");
    assertThat(log.getHeader("Authorization")).isEqualTo("Bearer sk-helicone-e2e");
    assertThat(log.getHeader("Helicone-User-Id")).isEqualTo("user-7");
    assertThat(log.getHeader("Helicone-Property-Feature")).isEqualTo("e2e");
    assertThat(log.getHeader("Helicone-Request-Id"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    JsonNode body = HeliconeHttpExporterFormatTest.body(log);
    assertThat(body.at("/providerRequest/url").asText())
        .isEqualTo(llm.baseUrl() + "/v1/chat/completions");
    assertThat(body.at("/providerRequest/json"))
        .isEqualTo(HeliconeHttpExporterFormatTest.json(TestRecords.CHAT_REQUEST));
    assertThat(body.at("/providerResponse/json"))
        .isEqualTo(HeliconeHttpExporterFormatTest.json(TestRecords.CHAT_RESPONSE));
    assertThat(body.at("/providerResponse/status").asInt()).isEqualTo(200);
    assertThat(log.getBodyAsString()).doesNotContain(TestRecords.PROVIDER_SECRET);
    for (HttpHeader header : log.getHeaders().all()) {
      assertThat(header.values())
          .allSatisfy(v -> assertThat(v).doesNotContain(TestRecords.PROVIDER_SECRET));
    }
    // The Helicone-* metadata went to Helicone, not to the provider.
    LoggedRequest call = llm.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0);
    assertThat(call.getHeaders().keys()).noneMatch(h -> h.toLowerCase().startsWith("helicone-"));
  }

  @Test
  void prettyPrintedBodiesInAnyLanguageReachHeliconeAsTheSameJson() throws IOException {
    // As the providers send them: indented, CRLF or LF, text past ASCII, escapes in strings.
    String requestBody =
        "{\r\n  \"model\": \"gpt-4o-mini\",\r\n  \"messages\": [\r\n    {\"role\": \"user\","
            + " \"content\": \"Grüße aus Köln, 日本語で\\nzwei Zeilen\"}\r\n  ]\r\n}\r\n";
    String answer =
        "{\n  \"id\": \"chatcmpl-2\",\n  \"object\": \"chat.completion\",\n"
            + "  \"model\": \"gpt-4o-mini-2024-07-18\",\n  \"choices\": [\n    {\n"
            + "      \"index\": 0,\n      \"message\": {\"role\": \"assistant\", \"content\":"
            + " \"Schöne Grüße 👋 \\\"zurück\\\"\\n\\t\\u00e9\"},\n"
            + "      \"finish_reason\": \"stop\"\n    }\n  ],\n"
            + "  \"usage\": {\"prompt_tokens\": 21, \"completion_tokens\": 9, \"total_tokens\": 30,"
            + " \"score\": 1.50e3}\n}\n";
    llm.stubFor(
        post("/v1/chat/completions")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(answer)));
    try (Helicone helicone = heliconeExportingToServer()) {
      OkHttpClient client = helicone.instrument(new OkHttpClient());
      Request request =
          chatRequest().newBuilder().post(RequestBody.create(requestBody, JSON)).build();
      try (Response response = client.newCall(request).execute()) {
        assertThat(response.body().string()).isEqualTo(answer);
      }
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    }

    List<LoggedRequest> logs = heliconeServer.findAll(postRequestedFor(anyUrl()));
    assertThat(logs).hasSize(1);
    JsonNode body = HeliconeHttpExporterFormatTest.body(logs.get(0));
    assertThat(body.at("/providerRequest/json"))
        .isEqualTo(HeliconeHttpExporterFormatTest.json(requestBody));
    assertThat(body.at("/providerResponse/json"))
        .isEqualTo(HeliconeHttpExporterFormatTest.json(answer));
    assertThat(body.at("/providerResponse/json/choices/0/message/content").asText())
        .isEqualTo("Schöne Grüße 👋 \"zurück\"\n\t\u00e9");
    assertThat(body.at("/providerResponse/textBody").isMissingNode()).isTrue();
    assertThat(logs.get(0).getBodyAsString()).doesNotContain("\n", "\r");
  }

  /**
   * A stream served with keep-alive comments after its {@code data: [DONE]}, or before it when
   * {@code keepAlivesBeforeDone}. The caller stops reading at [DONE], as the official SDKs do, or,
   * when the keep-alives come first, at the last chunk before them.
   */
  private static int exportedStatusOfAStreamClosedAt(boolean keepAlivesBeforeDone)
      throws IOException {
    String events =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    String keepAlives = ": keep-alive\n\n".repeat(20_000);
    String served =
        keepAlivesBeforeDone
            ? events + keepAlives + "data: [DONE]\n\n"
            : events + "data: [DONE]\n\n" + keepAlives;
    llm.stubFor(
        post("/v1/chat/completions")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/event-stream")
                    .withBody(served)));
    try (Helicone helicone = heliconeExportingToServer()) {
      OkHttpClient client = helicone.instrument(new OkHttpClient());
      Request request =
          chatRequest()
              .newBuilder()
              .post(
                  RequestBody.create(
                      "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                      JSON))
              .build();
      try (Response response = client.newCall(request).execute()) {
        String line;
        while ((line = response.body().source().readUtf8Line()) != null) {
          if (line.startsWith("data: [DONE]")
              || (keepAlivesBeforeDone && line.contains("\"finish_reason\":\"stop\""))) {
            break;
          }
        }
      }
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    }
    List<LoggedRequest> logs = heliconeServer.findAll(postRequestedFor(anyUrl()));
    assertThat(logs).hasSize(1);
    return HeliconeHttpExporterFormatTest.body(logs.get(0)).at("/providerResponse/status").asInt();
  }

  @Test
  void aStreamClosedAtItsTerminalEventIsLoggedWithItsRealStatus() throws IOException {
    assertThat(exportedStatusOfAStreamClosedAt(false)).isEqualTo(200);
  }

  @Test
  void aStreamClosedBeforeItsTerminalEventIsLoggedAsCancelled() throws IOException {
    assertThat(exportedStatusOfAStreamClosedAt(true)).isEqualTo(-3);
  }

  @Test
  void applicationCallsCompleteWhileHeliconeHangs() throws Exception {
    llm.stubFor(post("/v1/chat/completions").willReturn(okJson(TestRecords.CHAT_RESPONSE)));
    CountDownLatch heliconeReached = new CountDownLatch(1);
    try (ServerSocket hanging = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                try (Socket socket = hanging.accept()) {
                  InputStream in = socket.getInputStream();
                  in.read(new byte[1024]);
                  heliconeReached.countDown();
                  // Never answers: holds the connection until the exporter gives up.
                  in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                  // The server socket was closed at the end of the test.
                }
              },
              "hanging-helicone");
      acceptor.setDaemon(true);
      acceptor.start();
      HeliconeHttpExporter exporter =
          HeliconeHttpExporter.builder()
              .apiKey("sk-helicone-e2e")
              .baseUrl("http://127.0.0.1:" + hanging.getLocalPort())
              .requestTimeout(Duration.ofSeconds(60))
              .build();

      try (Helicone helicone =
          Helicone.builder()
              .addExporter(exporter)
              .batchDelay(Duration.ofMillis(20))
              .closeTimeout(Duration.ofMillis(200))
              .build()) {
        OkHttpClient client = helicone.instrument(new OkHttpClient());
        try (Response first = client.newCall(chatRequest()).execute()) {
          assertThat(first.body().string()).isEqualTo(TestRecords.CHAT_RESPONSE);
        }
        assertThat(heliconeReached.await(10, TimeUnit.SECONDS)).isTrue();

        // The exporter is now stuck on Helicone; the application's next call is not.
        String second =
            assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> {
                  try (Response response = client.newCall(chatRequest()).execute()) {
                    return response.body().string();
                  }
                });
        assertThat(second).isEqualTo(TestRecords.CHAT_RESPONSE);
      }
    }
    llm.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void aWrongKeyIsCountedAndLoggedOnceWithHeliconesMessage() throws IOException {
    llm.stubFor(post("/v1/chat/completions").willReturn(okJson(TestRecords.CHAT_RESPONSE)));
    heliconeServer.stubFor(
        post(anyUrl())
            .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"Invalid API key\"}")));
    HeliconeHttpExporter exporter =
        HeliconeHttpExporter.builder()
            .apiKey("sk-helicone-wrong")
            .baseUrl(heliconeServer.baseUrl())
            .build();
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler capture = capturing(logged);
    sdkLogger.addHandler(capture);
    try (Helicone helicone =
        Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(20)).build()) {
      OkHttpClient client = helicone.instrument(new OkHttpClient());
      for (int i = 0; i < 3; i++) {
        try (Response response = client.newCall(chatRequest()).execute()) {
          assertThat(response.code()).isEqualTo(200);
        }
        helicone.flush(Duration.ofSeconds(10));
      }
      assertThat(helicone.stats().failed()).isEqualTo(3);
      assertThat(helicone.stats().exported()).isZero();
    } finally {
      sdkLogger.removeHandler(capture);
    }

    heliconeServer.verify(3, postRequestedFor(anyUrl()));
    assertThat(logged)
        .filteredOn(m -> m.contains("401"))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains(
                        "Helicone at "
                            + heliconeServer.baseUrl()
                            + " rejected the API key (401): {\"error\":\"Invalid API key\"}")
                    .doesNotContain("sk-helicone-wrong"));
  }

  private static Handler capturing(List<String> logged) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
