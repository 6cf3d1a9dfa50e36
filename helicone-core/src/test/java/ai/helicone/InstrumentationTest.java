package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.cost.PriceRegistry;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the thread
class InstrumentationTest {
  private final InMemoryExporter exporter = new InMemoryExporter();
  private final List<OkHttpClient> clients = new ArrayList<>();
  private LoopbackLlm llm;
  private Helicone helicone;

  @BeforeEach
  void start() throws IOException {
    llm = new LoopbackLlm();
    helicone = Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(5)).build();
  }

  @AfterEach
  void stop() throws IOException {
    helicone.close();
    clients.forEach(LoopbackLlm::shutdown);
    llm.close();
  }

  private OkHttpClient instrumented(OkHttpClient base) {
    OkHttpClient client = helicone.instrument(base);
    clients.add(client);
    return client;
  }

  private List<HeliconeRecord> flushed() {
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    return exporter.records();
  }

  @Test
  void instrumentingTwiceRecordsEachCallOnce() {
    OkHttpClient once = instrumented(new OkHttpClient());
    OkHttpClient twice = helicone.instrument(once);

    LoopbackLlm.call(twice, llm.chat());

    assertThat(twice).isSameAs(once);
    assertThat(flushed()).hasSize(1);
  }

  @Test
  void aResponseDroppedWithoutBeingClosedIsRecordedAsCancelledOnceCollected() throws Exception {
    OkHttpClient client = instrumented(new OkHttpClient());
    try (LogCapture logs = new LogCapture()) {
      executeAndDropTheResponse(client);

      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                System.gc();
                helicone.flush(Duration.ofMillis(200));
                return !exporter.records().isEmpty();
              });

      HeliconeRecord r = exporter.records().get(0);
      assertThat(r.status()).isEqualTo(RecordStatus.CANCELLED);
      assertThat(r.error()).isEqualTo("response body was never closed");
      assertThat(logs.messages()).anyMatch(m -> m.contains("neither read to its end nor closed"));
    }
  }

  private void executeAndDropTheResponse(OkHttpClient client) throws IOException {
    // No local outlives this method, so the response becomes unreachable when it returns.
    Response response = client.newCall(llm.chat()).execute();
    assertThat(response.code()).isEqualTo(200);
  }

  @Test
  void syncCallIsRecordedWithBodiesTimingAndGenericProviderData() {
    OkHttpClient client = instrumented(new OkHttpClient());

    String body = LoopbackLlm.call(client, llm.chat());

    assertThat(body).isEqualTo(LoopbackLlm.ANSWER);
    List<HeliconeRecord> records = flushed();
    assertThat(records).hasSize(1);
    HeliconeRecord r = records.get(0);
    assertThat(r.type()).isEqualTo(RecordType.LLM);
    assertThat(UUID.fromString(r.id()).version()).isEqualTo(4);
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.error()).isNull();
    assertThat(r.provider()).isEqualTo("local");
    assertThat(r.requestModel()).isEqualTo("gpt-4o");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.stream()).isFalse();
    assertThat(r.startTime()).isBeforeOrEqualTo(r.endTime());
    assertThat(r.duration()).isPositive();
    assertThat(r.request().method()).isEqualTo("POST");
    assertThat(r.request().url()).isEqualTo(llm.server.url("/v1/chat/completions").toString());
    assertThat(r.request().body().isJson()).isTrue();
    assertThat(r.request().body().text()).contains("\"Hello\"");
    assertThat(r.response().status()).isEqualTo(200);
    assertThat(r.response().body().isJson()).isTrue();
    assertThat(r.response().body().text()).isEqualTo(LoopbackLlm.ANSWER);
    assertThat(r.response().rawBody()).isNull();
    assertThat(r.usage()).isNull();
    assertThat(r.costUsd()).isNull();
  }

  @Test
  void existingClientIsUntouchedAndItsEventListenerStillHearsEverything() {
    AtomicInteger callEnds = new AtomicInteger();
    OkHttpClient existing =
        new OkHttpClient.Builder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void callEnd(Call call) {
                    callEnds.incrementAndGet();
                  }
                })
            .build();
    clients.add(existing);
    OkHttpClient client = instrumented(existing);

    LoopbackLlm.call(client, llm.chat());
    LoopbackLlm.call(existing, llm.chat());

    assertThat(existing.interceptors()).isEmpty();
    assertThat(client.connectionPool()).isSameAs(existing.connectionPool());
    assertThat(client.dispatcher()).isSameAs(existing.dispatcher());
    assertThat(callEnds).hasValue(2);
    assertThat(flushed()).hasSize(1);
  }

  @Test
  void enqueuedCallInsideSessionCarriesTheSessionCreatedOnTheCallersThread() throws Exception {
    // Holds dispatched calls until the session is closed, so the record can only carry the
    // session if the context was taken when the call was created.
    HeldExecutor held = new HeldExecutor();
    OkHttpClient client =
        instrumented(new OkHttpClient.Builder().dispatcher(new Dispatcher(held)).build());
    CompletableFuture<String> callbackThread = new CompletableFuture<>();
    String sessionId;
    try (HeliconeSession session =
        helicone.session("Async").userId("u-async").property("Mode", "enqueue").start()) {
      sessionId = session.id();
      try (HeliconeScope step = session.path("/step")) {
        client
            .newCall(llm.chat())
            .enqueue(
                new Callback() {
                  @Override
                  public void onFailure(Call call, IOException e) {
                    callbackThread.completeExceptionally(e);
                  }

                  @Override
                  public void onResponse(Call call, Response response) throws IOException {
                    try (response) {
                      response.body().string();
                    }
                    callbackThread.complete(Thread.currentThread().getName());
                  }
                });
      }
    }
    held.release();

    assertThat(callbackThread.get(10, TimeUnit.SECONDS))
        .isNotEqualTo(Thread.currentThread().getName());
    HeliconeRecord r = flushed().get(0);
    assertThat(r.sessionId()).isEqualTo(sessionId);
    assertThat(r.sessionName()).isEqualTo("Async");
    assertThat(r.sessionPath()).isEqualTo("/step");
    assertThat(r.userId()).isEqualTo("u-async");
    assertThat(r.properties()).containsEntry("Mode", "enqueue");
    assertThat(exporter.endedSessions()).containsExactly(sessionId);
    held.shutdown();
  }

  @Test
  void headerMetadataWinsOverContextAndNeverReachesTheProvider() throws Exception {
    OkHttpClient client = instrumented(new OkHttpClient());
    String requestId = UUID.randomUUID().toString();
    Request request =
        llm.chat()
            .newBuilder()
            .header("Helicone-User-Id", "header-user")
            .header("Helicone-Property-Environment", "staging")
            .header("Helicone-Property-Feature", "search")
            .header("Helicone-Session-Id", "header-session")
            .header("Helicone-Session-Path", "/header/path")
            .header("Helicone-Session-Name", "Header Session")
            .header("Helicone-Request-Id", requestId)
            .header("Helicone-Omit-Response", "true")
            .header("helicone-auth", "Bearer sk-helicone-secret")
            .header("X-Other", "kept")
            .build();

    try (HeliconeScope scope =
        helicone
            .context()
            .userId("context-user")
            .property("Environment", "production")
            .property("Team", "core")
            .sessionId("context-session")
            .sessionPath("/context")
            .attach()) {
      LoopbackLlm.call(client, request);
    }

    RecordedRequest sent = llm.server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(sent.getHeaders().names())
        .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("helicone-"));
    assertThat(sent.getHeader("X-Other")).isEqualTo("kept");

    HeliconeRecord r = flushed().get(0);
    assertThat(r.id()).isEqualTo(requestId);
    assertThat(r.userId()).isEqualTo("header-user");
    assertThat(r.sessionId()).isEqualTo("header-session");
    assertThat(r.sessionPath()).isEqualTo("/header/path");
    assertThat(r.sessionName()).isEqualTo("Header Session");
    assertThat(r.properties())
        .containsExactly(
            java.util.Map.entry("Environment", "staging"),
            java.util.Map.entry("Team", "core"),
            java.util.Map.entry("Feature", "search"));
    assertThat(r.response().omitted()).isTrue();
    assertThat(r.response().body()).isNull();
    assertThat(r.request().omitted()).isFalse();
    assertThat(r.request().headers().keySet())
        .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("helicone-"));
  }

  @Test
  void invalidRequestIdHeaderGetsAFreshUuidAndOmitHeadersOnlyAddPrivacy() {
    OkHttpClient client = instrumented(new OkHttpClient());
    Request request =
        llm.chat()
            .newBuilder()
            .header("Helicone-Request-Id", "not-a-uuid")
            .header("Helicone-Omit-Request", "TRUE")
            .header("Helicone-Omit-Response", "false")
            .build();

    try (HeliconeScope scope = helicone.context().omitResponse().attach()) {
      LoopbackLlm.call(client, request);
    }

    HeliconeRecord r = flushed().get(0);
    assertThat(r.id()).isNotEqualTo("not-a-uuid");
    assertThat(UUID.fromString(r.id()).version()).isEqualTo(4);
    assertThat(r.request().omitted()).isTrue();
    assertThat(r.request().body()).isNull();
    // "false" in a header does not undo the context's omitResponse().
    assertThat(r.response().omitted()).isTrue();
    assertThat(r.response().body()).isNull();
  }

  @Test
  void contextRequestIdAndOmitFlagsApply() {
    OkHttpClient client = instrumented(new OkHttpClient());
    UUID id = UUID.randomUUID();
    try (HeliconeScope scope =
        helicone.context().requestId(id).omitRequest().omitResponse().attach()) {
      LoopbackLlm.call(client, llm.chat());
    }
    HeliconeRecord r = flushed().get(0);
    assertThat(r.id()).isEqualTo(id.toString());
    assertThat(r.request().omitted()).isTrue();
    assertThat(r.request().body()).isNull();
    assertThat(r.response().omitted()).isTrue();
    assertThat(r.response().body()).isNull();
    // Parsing still sees the bodies: the model comes from them.
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
  }

  @Test
  void errorStatusIsRecordedAsErrorAndReachesTheCallerUnchanged() throws Exception {
    llm.server.setDispatcher(new okhttp3.mockwebserver.QueueDispatcher());
    llm.server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .setHeader("Content-Type", "application/json")
            .setBody("{\"error\":{\"message\":\"slow down\"}}"));
    OkHttpClient client = instrumented(new OkHttpClient());

    try (Response response = client.newCall(llm.chat()).execute()) {
      assertThat(response.code()).isEqualTo(429);
      assertThat(response.body().string()).isEqualTo("{\"error\":{\"message\":\"slow down\"}}");
    }

    HeliconeRecord r = flushed().get(0);
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).isEqualTo("HTTP 429");
    assertThat(r.response().status()).isEqualTo(429);
    assertThat(r.response().body().isJson()).isTrue();
  }

  @Test
  void secretsInTransportErrorsAndInLoggedFailuresAreRedacted() throws IOException {
    helicone.close();
    ProviderAdapter leaky =
        new TestAdapter(null) {
          @Override
          public AdapterResult parse(CapturedExchange exchange) {
            throw new IllegalStateException(
                "cannot parse", new IOException("x-api-key: log-secret-3 rejected"));
          }
        };
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .batchDelay(Duration.ofMillis(5))
            .addAdapter(leaky)
            .build();
    IOException failure =
        new IOException(
            "cannot reach https://gen.example/v1?alt=sse&key=query-secret-1"
                + " with Authorization: Bearer auth-secret-2");
    OkHttpClient failing =
        instrumented(
            new OkHttpClient.Builder()
                .addInterceptor(
                    chain -> {
                      throw failure;
                    })
                .build());
    OkHttpClient working = instrumented(new OkHttpClient());

    try (LogCapture logs = new LogCapture()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> failing.newCall(llm.chat()).execute().close())
          .isSameAs(failure);
      assertThat(LoopbackLlm.call(working, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);

      List<HeliconeRecord> records = flushed();
      assertThat(records).hasSize(2);
      assertThat(records.get(0).error())
          .startsWith("java.io.IOException: cannot reach")
          .contains("key=[REDACTED]")
          .doesNotContain("secret");
      assertThat(logs.text()).contains("x-api-key: [REDACTED]").doesNotContain("secret");
    }
  }

  @Test
  void binaryAndNonUtf8BodiesBecomePlaceholdersAndPlainTextStaysText() throws Exception {
    llm.server.setDispatcher(new okhttp3.mockwebserver.QueueDispatcher());
    byte[] latin1 = "caf\u00e9 cr\u00e8me".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    llm.server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(new Buffer().write(latin1)));
    llm.server.enqueue(new MockResponse().setHeader("Content-Type", "text/plain").setBody("{oops"));
    OkHttpClient client = instrumented(new OkHttpClient());
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13};
    Request upload =
        new Request.Builder()
            .url(llm.server.url("/v1/images"))
            .post(RequestBody.create(png, okhttp3.MediaType.get("image/png")))
            .build();

    try (Response response = client.newCall(upload).execute()) {
      assertThat(response.body().bytes()).isEqualTo(latin1);
    }
    LoopbackLlm.call(client, llm.chat("plain words"));

    List<HeliconeRecord> records = flushed();
    assertThat(records.get(0).request().body().text()).isEqualTo("[binary body, 8 bytes]");
    assertThat(records.get(0).response().body().text()).isEqualTo("[binary body, 10 bytes]");
    assertThat(records.get(0).response().body().isJson()).isFalse();
    assertThat(records.get(1).request().body().text()).isEqualTo("plain words");
    assertThat(records.get(1).request().body().isJson()).isFalse();
    assertThat(records.get(1).response().body().text()).isEqualTo("{oops");
    assertThat(records.get(1).response().body().isJson()).isFalse();
  }

  @Test
  void longBodiesAreTruncatedAndFlaggedWhileTheCallerGetsEverything() throws IOException {
    helicone.close();
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .batchDelay(Duration.ofMillis(5))
            .maxCapturedBodyBytes(16)
            .build();
    OkHttpClient client = instrumented(new OkHttpClient());

    assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);

    HeliconeRecord r = flushed().get(0);
    assertThat(r.request().truncated()).isTrue();
    assertThat(r.request().body().isJson()).isFalse();
    assertThat(r.request().body().text()).isEqualTo("{\"model\":\"gpt-4o");
    assertThat(r.response().truncated()).isTrue();
    assertThat(r.response().body().text()).isEqualTo(LoopbackLlm.ANSWER.substring(0, 16));
  }

  @Test
  void streamKeepsTheRawTextAndMarksTheRecordAsStream() {
    llm.server.setDispatcher(new okhttp3.mockwebserver.QueueDispatcher());
    String sse =
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"content\":\"!\"}}]}\n\n"
            + "data: [DONE]\n\n";
    llm.server.enqueue(
        new MockResponse().setHeader("Content-Type", "text/event-stream").setChunkedBody(sse, 16));
    OkHttpClient client = instrumented(new OkHttpClient());

    String received =
        LoopbackLlm.call(
            client, llm.chat("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}"));

    assertThat(received).isEqualTo(sse);
    HeliconeRecord r = flushed().get(0);
    assertThat(r.stream()).isTrue();
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.response().rawBody()).isEqualTo(sse);
    assertThat(r.response().body().text()).isEqualTo(sse);
    assertThat(r.timeToFirstToken()).isNotNull();
  }

  @Test
  void streamClosedBeforeItsEndIsRecordedAsCancelled() throws IOException {
    llm.server.setDispatcher(new okhttp3.mockwebserver.QueueDispatcher());
    StringBuilder sse = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sse.append("data: {\"choices\":[{\"delta\":{\"content\":\"token\"}}]}\n\n");
    }
    llm.server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "text/event-stream")
            .setChunkedBody(sse.toString(), 64));
    OkHttpClient client = instrumented(new OkHttpClient());

    try (Response response =
        client.newCall(llm.chat("{\"model\":\"gpt-4o\",\"stream\":true}")).execute()) {
      assertThat(response.body().source().readUtf8Line()).startsWith("data: ");
    }

    HeliconeRecord r = flushed().get(0);
    assertThat(r.status()).isEqualTo(RecordStatus.CANCELLED);
    assertThat(r.stream()).isTrue();
    assertThat(r.response().rawBody()).startsWith("data: ");
  }

  @Test
  void connectionResetReachesTheCallerAndIsRecordedAsError() {
    llm.server.setDispatcher(new okhttp3.mockwebserver.QueueDispatcher());
    llm.server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(LoopbackLlm.ANSWER)
            .setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AT_START));
    OkHttpClient client =
        instrumented(new OkHttpClient.Builder().retryOnConnectionFailure(false).build());

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.newCall(llm.chat()).execute().close())
        .isInstanceOf(IOException.class);

    HeliconeRecord r = flushed().get(0);
    assertThat(r.status()).isEqualTo(RecordStatus.ERROR);
    assertThat(r.error()).isNotBlank();
    assertThat(r.response()).isNull();
    assertThat(r.request().body().isJson()).isTrue();
  }

  @Test
  void registeredAdapterComesFirstAndItsUsageIsPriced() throws IOException {
    helicone.close();
    ProviderAdapter adapter =
        new TestAdapter(
            AdapterResult.builder()
                .provider("openai")
                .model("gpt-4o-2024-08-06")
                .operation("chat")
                .usage(Usage.builder().inputTokens(1000L).outputTokens(500L).build())
                .responseId("chatcmpl-1")
                .finishReasons(List.of("stop"))
                .requestParameters(java.util.Map.of("temperature", 0.5))
                .build());
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .batchDelay(Duration.ofMillis(5))
            .addAdapter(adapter)
            .build();
    OkHttpClient client = instrumented(new OkHttpClient());

    LoopbackLlm.call(client, llm.chat());

    HeliconeRecord r = flushed().get(0);
    assertThat(r.provider()).isEqualTo("openai");
    assertThat(r.operation()).isEqualTo("chat");
    assertThat(r.requestModel()).isEqualTo("gpt-4o");
    assertThat(r.responseId()).isEqualTo("chatcmpl-1");
    assertThat(r.finishReasons()).containsExactly("stop");
    assertThat(r.requestParameters()).containsEntry("temperature", 0.5);
    assertThat(r.costUsd())
        .isNotNull()
        .isEqualByComparingTo(PriceRegistry.defaults().cost("openai", "gpt-4o", r.usage()));
    assertThat(helicone.stats().unpricedCalls()).isZero();
  }

  @Test
  void reportedCostWinsAndUnknownModelsAreCountedWithoutCost() throws IOException {
    helicone.close();
    Usage usage = Usage.builder().inputTokens(10L).outputTokens(5L).build();
    TestAdapter adapter =
        new TestAdapter(
            AdapterResult.builder().provider("openai").model("no-such-model").usage(usage).build());
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .batchDelay(Duration.ofMillis(5))
            .addAdapter(adapter)
            .build();
    OkHttpClient client = instrumented(new OkHttpClient());
    LoopbackLlm.call(client, llm.chat("{\"model\":\"no-such-model\"}"));
    // Records are built on the export worker: let the first one be built before changing answers.
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    adapter.result =
        AdapterResult.builder()
            .provider("openrouter")
            .model("x")
            .usage(usage)
            .reportedCostUsd(new java.math.BigDecimal("0.0042"))
            .build();
    LoopbackLlm.call(client, llm.chat("{\"model\":\"x\"}"));

    List<HeliconeRecord> records = flushed();
    assertThat(records.get(0).costUsd()).isNull();
    assertThat(records.get(0).usage()).isEqualTo(usage);
    assertThat(records.get(1).costUsd()).isEqualByComparingTo("0.0042");
    assertThat(helicone.stats().unpricedCalls()).isEqualTo(1);
  }

  @Test
  void adapterThatThrowsDoesNotBreakCallsOrRecords() throws IOException {
    helicone.close();
    ProviderAdapter throwsInParse =
        new TestAdapter(null) {
          @Override
          public AdapterResult parse(CapturedExchange exchange) {
            throw new IllegalStateException("parser bug");
          }
        };
    ProviderAdapter throwsInSupports =
        new TestAdapter(null) {
          @Override
          public boolean supports(CapturedExchange exchange) {
            throw new IllegalStateException("supports bug");
          }

          @Override
          public byte[] rewriteRequestBody(
              String method, String url, String contentType, byte[] body) {
            throw new IllegalStateException("rewrite bug");
          }
        };
    helicone =
        Helicone.builder()
            .addExporter(exporter)
            .batchDelay(Duration.ofMillis(5))
            .addAdapter(throwsInSupports)
            .addAdapter(throwsInParse)
            .build();
    OkHttpClient client = instrumented(new OkHttpClient());

    assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);

    HeliconeRecord r = flushed().get(0);
    assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(r.provider()).isEqualTo("local");
    assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(r.response().body().text()).isEqualTo(LoopbackLlm.ANSWER);
    assertThat(helicone.stats().sdkErrors()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void gatewayModeAddsAuthAndContextHeadersAndCapturesNothing() throws Exception {
    OkHttpClient client = helicone.instrumentForGateway(new OkHttpClient(), "sk-helicone-test");
    clients.add(client);
    Request request = llm.chat().newBuilder().header("Helicone-Property-Feature", "own").build();
    String sessionId;
    try (HeliconeSession session = helicone.session("Gateway").userId("gw-user").start();
        HeliconeScope step = session.path("/route");
        HeliconeScope ctx =
            helicone
                .context()
                .property("Feature", "context")
                .property("Tier", "pro")
                .omitRequest()
                .attach()) {
      sessionId = session.id();
      LoopbackLlm.call(client, request);
    }

    RecordedRequest sent = llm.server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(sent.getHeader("Helicone-Auth")).isEqualTo("Bearer sk-helicone-test");
    assertThat(sent.getHeader("Helicone-User-Id")).isEqualTo("gw-user");
    assertThat(sent.getHeader("Helicone-Session-Id")).isEqualTo(sessionId);
    assertThat(sent.getHeader("Helicone-Session-Name")).isEqualTo("Gateway");
    assertThat(sent.getHeader("Helicone-Session-Path")).isEqualTo("/route");
    assertThat(sent.getHeader("Helicone-Property-Feature")).isEqualTo("own");
    assertThat(sent.getHeaders().values("Helicone-Property-Feature")).hasSize(1);
    assertThat(sent.getHeader("Helicone-Property-Tier")).isEqualTo("pro");
    assertThat(sent.getHeader("Helicone-Omit-Request")).isEqualTo("true");
    assertThat(UUID.fromString(sent.getHeader("Helicone-Request-Id")).version()).isEqualTo(4);
    assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.records()).isEmpty();
    assertThat(helicone.stats().exported()).isZero();
  }

  @Test
  void gatewayModeAndCaptureExcludeEachOther() {
    OkHttpClient captured = instrumented(new OkHttpClient());
    OkHttpClient gateway = helicone.instrumentForGateway(new OkHttpClient(), "sk-helicone-test");
    clients.add(gateway);

    assertThatThrownBy(() -> helicone.instrumentForGateway(captured, "sk-helicone-test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("original client");
    assertThatThrownBy(() -> helicone.instrument(gateway))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gateway");
    assertThat(helicone.instrumentForGateway(gateway, "sk-helicone-test")).isSameAs(gateway);
  }

  @Test
  void gatewayKeepsAnAuthHeaderTheRequestAlreadyHas() throws Exception {
    OkHttpClient client = helicone.instrumentForGateway(new OkHttpClient(), "sk-helicone-test");
    clients.add(client);
    LoopbackLlm.call(
        client, llm.chat().newBuilder().header("Helicone-Auth", "Bearer own-key").build());
    assertThat(llm.server.takeRequest(10, TimeUnit.SECONDS).getHeader("Helicone-Auth"))
        .isEqualTo("Bearer own-key");
  }

  /** An adapter that supports everything and answers with a fixed result. */
  static class TestAdapter implements ProviderAdapter {
    volatile AdapterResult result;

    TestAdapter(AdapterResult result) {
      this.result = result;
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public boolean supports(CapturedExchange exchange) {
      return true;
    }

    @Override
    public AdapterResult parse(CapturedExchange exchange) {
      return result;
    }
  }

  /** An executor service that keeps submitted tasks until {@link #release()}. */
  static final class HeldExecutor extends AbstractExecutorService {
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newCachedThreadPool();
    private volatile boolean released;

    @Override
    public void execute(Runnable command) {
      if (released) {
        pool.execute(command);
      } else {
        held.add(command);
      }
    }

    void release() {
      released = true;
      held.forEach(pool::execute);
      held.clear();
    }

    @Override
    public void shutdown() {
      pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return pool.awaitTermination(timeout, unit);
    }
  }
}
