package ai.helicone.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.helicone.LatchedStreamServer;
import ai.helicone.internal.Diagnostics;
import ai.helicone.record.RecordStatus;
import ai.helicone.spi.AdapterResult;
import ai.helicone.spi.CapturedExchange;
import ai.helicone.spi.ProviderAdapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CaptureInterceptorTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType EVENT_STREAM = MediaType.get("text/event-stream; charset=utf-8");

  private final MockWebServer server = new MockWebServer();
  private final Diagnostics diagnostics = new Diagnostics();
  private final List<Completion> completions = new CopyOnWriteArrayList<>();
  private final List<OkHttpClient> clients = new CopyOnWriteArrayList<>();

  record Completion(Object metadata, CapturedExchange exchange) {}

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() throws IOException {
    for (OkHttpClient client : clients) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    server.shutdown();
  }

  private OkHttpClient client(int maxBytes, List<ProviderAdapter> adapters, CaptureSink sink) {
    CallResolver resolver =
        (call, request) ->
            new ResolvedCall(
                "meta:" + request.url().encodedPath(),
                request.newBuilder().removeHeader("Helicone-User-Id").build());
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(
                new CaptureInterceptor(
                    new CaptureSettings(maxBytes, adapters, diagnostics), resolver, sink))
            .build();
    clients.add(client);
    return client;
  }

  private OkHttpClient client() {
    return client(
        1 << 20,
        List.of(),
        (metadata, exchange) -> completions.add(new Completion(metadata, exchange)));
  }

  private OkHttpClient plainClient() {
    OkHttpClient client = new OkHttpClient();
    clients.add(client);
    return client;
  }

  /** A sink that refuses every call, hands each to {@code notCaptured}, and keeps completions. */
  private CaptureSink refusingSink(Consumer<Object> notCaptured) {
    return new CaptureSink() {
      @Override
      public void completed(Object metadata, CapturedExchange exchange) {
        completions.add(new Completion(metadata, exchange));
      }

      @Override
      public boolean refusing() {
        return true;
      }

      @Override
      public void notCaptured(Object metadata) {
        notCaptured.accept(metadata);
      }
    };
  }

  @Test
  void whileTheSinkRefusesACallGoesOutAsResolvedAndNothingIsCaptured() throws Exception {
    List<Object> uncaptured = new CopyOnWriteArrayList<>();
    CaptureSink refusing = refusingSink(uncaptured::add);
    server.enqueue(jsonResponse("{\"ok\":true}").setHeader("X-Request-Id", "req-9"));
    Request request =
        new Request.Builder()
            .url(server.url("/v1/chat/completions"))
            .header("Helicone-User-Id", "u-1")
            .post(RequestBody.create("{\"model\":\"gpt-4o\"}", MediaType.get("application/json")))
            .build();
    try (Response response = client(1 << 20, List.of(), refusing).newCall(request).execute()) {
      assertThat(response.header("X-Request-Id")).isEqualTo("req-9");
      assertThat(response.body().string()).isEqualTo("{\"ok\":true}");
    }
    RecordedRequest sent = server.takeRequest();
    // The resolved request (its Helicone header taken off), with the application's body.
    assertThat(sent.getHeader("Helicone-User-Id")).isNull();
    assertThat(sent.getBody().readUtf8()).isEqualTo("{\"model\":\"gpt-4o\"}");
    assertThat(uncaptured).containsExactly("meta:/v1/chat/completions");
    assertThat(completions).isEmpty();
  }

  @Test
  void aSinkThatFailsToCountARefusedCallGetsTheCallCapturedAsUsual() throws Exception {
    CaptureSink broken =
        refusingSink(
            metadata -> {
              throw new IllegalStateException("broken sink");
            });
    server.enqueue(jsonResponse("{\"ok\":true}"));
    Request request = new Request.Builder().url(server.url("/v1/models")).build();
    try (Response response = client(1 << 20, List.of(), broken).newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("{\"ok\":true}");
    }
    assertThat(onlyCompletion().exchange().responseBodyText()).isEqualTo("{\"ok\":true}");
    assertThat(diagnostics.errorCount()).isEqualTo(1);
  }

  private Completion onlyCompletion() {
    await().atMost(Duration.ofSeconds(10)).until(() -> !completions.isEmpty());
    assertThat(completions).hasSize(1);
    return completions.get(0);
  }

  private MockResponse jsonResponse(String body) {
    return new MockResponse()
        .setHeader("Content-Type", "application/json")
        .setHeader("Set-Cookie", "session=secret-cookie")
        .setHeader("X-Request-Id", "req-1")
        .setBody(body);
  }

  @Test
  void syncJsonCallIsCapturedWithSecretsRedactedAndCallerSeesIdenticalResponse() throws Exception {
    String responseJson =
        "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"hi\"}}]}";
    server.enqueue(jsonResponse(responseJson));
    server.enqueue(jsonResponse(responseJson));
    String requestJson = "{\"model\":\"gpt-4o\",\"messages\":[]}";
    HttpUrl url = server.url("/v1/chat/completions?key=query-secret&model=gpt-4o");
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer sk-secret")
            .header("x-api-key", "another-secret")
            .header("Helicone-User-Id", "user-1")
            .post(RequestBody.create(requestJson, JSON))
            .build();

    byte[] plainBytes;
    Headers plainHeaders;
    MediaType plainType;
    long plainLength;
    try (Response plain = plainClient().newCall(request).execute()) {
      plainHeaders = plain.headers();
      plainType = plain.body().contentType();
      plainLength = plain.body().contentLength();
      plainBytes = plain.body().bytes();
    }
    server.takeRequest();

    try (Response response = client().newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.headers()).isEqualTo(plainHeaders);
      assertThat(response.body().contentType()).isEqualTo(plainType);
      assertThat(response.body().contentLength()).isEqualTo(plainLength);
      assertThat(response.body().bytes()).isEqualTo(plainBytes);
    }

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer sk-secret");
    assertThat(sent.getHeader("Helicone-User-Id")).isNull();
    assertThat(sent.getBody().readUtf8()).isEqualTo(requestJson);

    Completion completion = onlyCompletion();
    assertThat(completion.metadata()).isEqualTo("meta:/v1/chat/completions");
    CapturedExchange exchange = completion.exchange();
    assertThat(exchange.method()).isEqualTo("POST");
    assertThat(exchange.url())
        .contains("/v1/chat/completions?key=[REDACTED]&model=gpt-4o")
        .doesNotContain("query-secret");
    assertThat(exchange.requestHeader("authorization")).isEqualTo(Redaction.REDACTED);
    assertThat(exchange.requestHeader("x-api-key")).isEqualTo(Redaction.REDACTED);
    assertThat(exchange.requestHeader("helicone-user-id")).isNull();
    assertThat(exchange.requestHeader("content-type")).isEqualTo("application/json; charset=utf-8");
    // Where OkHttp puts it on the wire: after the application's own headers.
    assertThat(exchange.requestHeaders().keySet()).last().isEqualTo("content-type");
    assertThat(exchange.requestBodyText()).isEqualTo(requestJson);
    assertThat(exchange.requestBodyTruncated()).isFalse();
    assertThat(exchange.responseStatus()).isEqualTo(200);
    assertThat(exchange.responseHeader("set-cookie")).isEqualTo(Redaction.REDACTED);
    assertThat(exchange.responseHeader("x-request-id")).isEqualTo("req-1");
    assertThat(exchange.responseBodyText()).isEqualTo(responseJson);
    assertThat(exchange.responseBodyTruncated()).isFalse();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(exchange.transportError()).isNull();
    assertThat(exchange.timeToResponseHeaders())
        .isNotNull()
        .isLessThanOrEqualTo(exchange.duration());
    assertThat(exchange.endTime()).isAfterOrEqualTo(exchange.startTime());
    assertThat(exchange.timeAtResponseOffset(0)).isNotNull();
    assertThat(exchange.toString() + exchange.requestHeaders() + exchange.responseHeaders())
        .doesNotContain("sk-secret", "another-secret", "secret-cookie");
  }

  @Test
  void streamingCallerGetsFirstChunkBeforeServerSendsLastAndTimelineIncreases() throws Exception {
    String first = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    String last = "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\ndata: [DONE]\n\n";
    try (LatchedStreamServer stream =
        new LatchedStreamServer(EVENT_STREAM.toString(), first, last)) {
      Request request = new Request.Builder().url(stream.url("/v1/chat/completions")).build();
      try (Response response = client().newCall(request).execute()) {
        assertThat(response.body().contentType()).isEqualTo(EVENT_STREAM);
        assertThat(response.body().contentType().toString()).isEqualTo(EVENT_STREAM.toString());
        assertThat(response.body().contentLength()).isEqualTo(-1);
        BufferedSource source = response.body().source();

        assertThat(source.readUtf8LineStrict()).isEqualTo(first.substring(0, first.indexOf('\n')));
        assertThat(stream.lastChunkSent()).isFalse();
        assertThat(completions).isEmpty();

        stream.releaseLastChunk();
        String rest = source.readUtf8();
        assertThat(rest).isEqualTo(first.substring(first.indexOf('\n') + 1) + last);
      }
    }

    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(exchange.isEventStream()).isTrue();
    assertThat(exchange.responseBodyText()).isEqualTo(first + last);
    Duration firstChunkTime = exchange.timeAtResponseOffset(0);
    Duration lastChunkTime = exchange.timeAtResponseOffset(first.length() + last.length() - 1);
    assertThat(firstChunkTime).isNotNull();
    assertThat(lastChunkTime).isNotNull().isGreaterThan(firstChunkTime);
    assertThat(firstChunkTime).isGreaterThanOrEqualTo(exchange.timeToResponseHeaders());
  }

  @Test
  void enqueuedCallIsCapturedOnTheDispatcherThread() throws Exception {
    server.enqueue(jsonResponse("{\"ok\":true}"));
    AtomicReference<String> body = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    client()
        .newCall(new Request.Builder().url(server.url("/async")).build())
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                failure.set(e);
              }

              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                  body.set(response.body().string());
                }
              }
            });

    Completion completion = onlyCompletion();
    assertThat(failure.get()).isNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> body.get() != null);
    assertThat(body.get()).isEqualTo("{\"ok\":true}");
    assertThat(completion.metadata()).isEqualTo("meta:/async");
    assertThat(completion.exchange().method()).isEqualTo("GET");
    assertThat(completion.exchange().hasRequestBody()).isFalse();
    assertThat(completion.exchange().responseBodyText()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void closingTheBodyMidStreamCompletesOnceAsCancelled() throws Exception {
    String first = "data: {\"n\":1}\n\n";
    try (LatchedStreamServer stream =
        new LatchedStreamServer(EVENT_STREAM.toString(), first, "data: {\"n\":2}\n\n")) {
      Response response =
          client().newCall(new Request.Builder().url(stream.url("/stream")).build()).execute();
      assertThat(response.body().source().readUtf8LineStrict()).isEqualTo("data: {\"n\":1}");
      response.close();
      response.close();

      assertThat(completions).hasSize(1);
      CapturedExchange exchange = completions.get(0).exchange();
      assertThat(exchange.outcome()).isEqualTo(RecordStatus.CANCELLED);
      assertThat(exchange.transportError()).isNull();
      assertThat(exchange.responseBodyText()).isEqualTo(first);
    }
    assertThat(completions).hasSize(1);
  }

  @Test
  void connectionResetMidBodyReachesCallerAndCompletesOnceAsError() {
    byte[] large = new byte[64 * 1024];
    Arrays.fill(large, (byte) 'x');
    server.enqueue(
        new MockResponse()
            .setBody(new Buffer().write(large))
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    Call call = client().newCall(new Request.Builder().url(server.url("/reset")).build());

    AtomicReference<IOException> thrown = new AtomicReference<>();
    assertThatThrownBy(
            () -> {
              try (Response response = call.execute()) {
                response.body().bytes();
              } catch (IOException e) {
                thrown.set(e);
                throw e;
              }
            })
        .isInstanceOf(IOException.class);

    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.ERROR);
    assertThat(exchange.responseStatus()).isEqualTo(200);
    IOException e = thrown.get();
    assertThat(exchange.transportError())
        .isEqualTo(
            e.getMessage() == null
                ? e.getClass().getName()
                : e.getClass().getName() + ": " + e.getMessage());
    assertThat(exchange.responseBodyLength()).isLessThan(large.length);
  }

  @Test
  void connectionRefusedReachesCallerWithTheSameExceptionAndStatusZero() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    HttpUrl url = HttpUrl.get("http://127.0.0.1:" + port + "/v1/chat/completions");
    Request request = new Request.Builder().url(url).build();

    IOException plainFailure = failureOf(plainClient(), request);
    IOException failure = failureOf(client(), request);

    assertThat(plainFailure).isInstanceOf(ConnectException.class);
    assertThat(failure).isNotNull().hasSameClassAs(plainFailure);
    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.ERROR);
    assertThat(exchange.responseStatus()).isZero();
    assertThat(exchange.timeToResponseHeaders()).isNull();
    assertThat(exchange.hasResponseBody()).isFalse();
    assertThat(exchange.transportError()).startsWith(failure.getClass().getName());
  }

  @Test
  void gzipResponseIsSeenDecompressedByCallerAndCapture() throws Exception {
    String text = "{\"content\":\"" + "compressible ".repeat(200) + "\"}";
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(text.getBytes(StandardCharsets.UTF_8));
    }
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setHeader("Content-Encoding", "gzip")
            .setBody(new Buffer().write(compressed.toByteArray())));

    try (Response response =
        client().newCall(new Request.Builder().url(server.url("/gzip")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo(text);
    }

    assertThat(server.takeRequest().getHeader("Accept-Encoding")).isEqualTo("gzip");
    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.responseBodyText()).isEqualTo(text);
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.SUCCESS);
  }

  @Test
  void adapterRewritesRequestBodyAndFailingOrMutatingAdaptersChangeNothing() throws Exception {
    server.enqueue(jsonResponse("{}"));
    String original = "{\"model\":\"gpt-4o\",\"stream\":true}";
    String rewritten =
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    ProviderAdapter throwing =
        new TestAdapter() {
          @Override
          public byte[] rewriteRequestBody(
              String method, String url, String contentType, byte[] body) {
            throw new IllegalStateException("broken adapter");
          }
        };
    ProviderAdapter mutating =
        new TestAdapter() {
          @Override
          public byte[] rewriteRequestBody(
              String method, String url, String contentType, byte[] body) {
            Arrays.fill(body, (byte) '?');
            return null;
          }
        };
    AtomicReference<String> seenContentType = new AtomicReference<>();
    ProviderAdapter rewriting =
        new TestAdapter() {
          @Override
          public byte[] rewriteRequestBody(
              String method, String url, String contentType, byte[] body) {
            seenContentType.set(contentType);
            return rewritten.getBytes(StandardCharsets.UTF_8);
          }
        };
    OkHttpClient client =
        client(
            1 << 20,
            List.of(throwing, mutating, rewriting),
            (metadata, exchange) -> completions.add(new Completion(metadata, exchange)));
    MediaType type = MediaType.get("application/json; charset=utf-8");

    try (Response response =
        client
            .newCall(
                new Request.Builder()
                    .url(server.url("/v1/chat/completions"))
                    .post(RequestBody.create(original, type))
                    .build())
            .execute()) {
      assertThat(response.body().string()).isEqualTo("{}");
    }

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getBody().readUtf8()).isEqualTo(rewritten);
    assertThat(sent.getHeader("Content-Type")).isEqualTo(type.toString());
    assertThat(sent.getHeader("Content-Length")).isEqualTo(String.valueOf(rewritten.length()));
    assertThat(seenContentType.get()).isEqualTo(type.toString());
    assertThat(onlyCompletion().exchange().requestBodyText()).isEqualTo(rewritten);
    assertThat(diagnostics.errorCount()).isEqualTo(1);
  }

  @Test
  void adapterChangingTheArrayInPlaceCannotChangeTheSentBody() throws Exception {
    server.enqueue(jsonResponse("{}"));
    ProviderAdapter mutating =
        new TestAdapter() {
          @Override
          public byte[] rewriteRequestBody(
              String method, String url, String contentType, byte[] body) {
            Arrays.fill(body, (byte) '?');
            return null;
          }
        };
    OkHttpClient client =
        client(
            1 << 20,
            List.of(mutating),
            (metadata, exchange) -> completions.add(new Completion(metadata, exchange)));
    String original = "{\"model\":\"gpt-4o\"}";

    try (Response response =
        client
            .newCall(
                new Request.Builder()
                    .url(server.url("/v1/chat/completions"))
                    .post(RequestBody.create(original, JSON))
                    .build())
            .execute()) {
      assertThat(response.body().string()).isEqualTo("{}");
    }

    assertThat(server.takeRequest().getBody().readUtf8()).isEqualTo(original);
    assertThat(onlyCompletion().exchange().requestBodyText()).isEqualTo(original);
  }

  @Test
  void requestBodyThrowingRuntimeExceptionFailsAsWithoutTheInterceptor() {
    RequestBody broken =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return JSON;
          }

          @Override
          public void writeTo(BufferedSink sink) {
            throw new IllegalStateException("application bug");
          }
        };
    Request request = new Request.Builder().url(server.url("/broken")).post(broken).build();

    assertThatThrownBy(() -> plainClient().newCall(request).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("application bug");
    assertThatThrownBy(() -> client().newCall(request).execute())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("application bug");
    assertThat(completions).isEmpty();
  }

  @Test
  void concurrentCallsCompleteOnceEachWithTheirOwnMetadata() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse().setBody("echo " + request.getPath());
          }
        });
    OkHttpClient client = client();
    int threads = 8;
    int callsPerThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < callsPerThread; i++) {
                    String path = "/t" + thread + "/c" + i;
                    try (Response response =
                        client
                            .newCall(new Request.Builder().url(server.url(path)).build())
                            .execute()) {
                      assertThat(response.body().string()).isEqualTo("echo " + path);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(completions).hasSize(threads * callsPerThread);
    assertThat(completions)
        .allSatisfy(
            c -> {
              String path = ((String) c.metadata()).substring("meta:".length());
              assertThat(c.exchange().url()).endsWith(path);
              assertThat(c.exchange().responseBodyText()).isEqualTo("echo " + path);
              assertThat(c.exchange().outcome()).isEqualTo(RecordStatus.SUCCESS);
            });
    assertThat(completions).extracting(Completion::metadata).doesNotHaveDuplicates();
  }

  @Test
  void oneShotRequestBodyIsSentOnceAndNotCaptured() throws Exception {
    server.enqueue(jsonResponse("{}"));
    AtomicInteger writes = new AtomicInteger();
    RequestBody oneShot =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return JSON;
          }

          @Override
          public boolean isOneShot() {
            return true;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            writes.incrementAndGet();
            sink.writeUtf8("{\"once\":true}");
          }
        };

    try (Response response =
        client()
            .newCall(new Request.Builder().url(server.url("/once")).post(oneShot).build())
            .execute()) {
      assertThat(response.body().string()).isEqualTo("{}");
    }

    assertThat(writes.get()).isEqualTo(1);
    assertThat(server.takeRequest().getBody().readUtf8()).isEqualTo("{\"once\":true}");
    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.hasRequestBody()).isFalse();
    assertThat(exchange.responseBodyText()).isEqualTo("{}");
  }

  @Test
  void bodiesLongerThanTheCapAreTruncatedInTheCaptureButNotForTheCaller() throws Exception {
    String longResponse = "r".repeat(100_000);
    String longRequest = "q".repeat(5_000);
    server.enqueue(new MockResponse().setBody(longResponse));
    OkHttpClient client =
        client(
            1_000,
            List.of(),
            (metadata, exchange) -> completions.add(new Completion(metadata, exchange)));

    try (Response response =
        client
            .newCall(
                new Request.Builder()
                    .url(server.url("/long"))
                    .post(RequestBody.create(longRequest, JSON))
                    .build())
            .execute()) {
      assertThat(response.body().string()).isEqualTo(longResponse);
    }

    assertThat(server.takeRequest().getBody().readUtf8()).isEqualTo(longRequest);
    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.responseBodyText()).isEqualTo("r".repeat(1_000));
    assertThat(exchange.responseBodyTruncated()).isTrue();
    assertThat(exchange.requestBodyText()).isEqualTo("q".repeat(1_000));
    assertThat(exchange.requestBodyTruncated()).isTrue();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.SUCCESS);
    // The timeline still covers the whole body, so late offsets have a time.
    assertThat(exchange.timeAtResponseOffset(longResponse.length() - 1)).isNotNull();
  }

  @Test
  void sinkThatThrowsDoesNotAffectTheCaller() throws Exception {
    server.enqueue(jsonResponse("{\"fine\":true}"));
    OkHttpClient client =
        client(
            1 << 20,
            List.of(),
            (metadata, exchange) -> {
              throw new IllegalStateException("sink failure");
            });

    try (Response response =
        client.newCall(new Request.Builder().url(server.url("/x")).build()).execute()) {
      assertThat(response.body().string()).isEqualTo("{\"fine\":true}");
    }
    assertThat(diagnostics.errorCount()).isEqualTo(1);
  }

  @Test
  void binaryBodiesArePassedAndCapturedByteForByte() throws Exception {
    byte[] binary = new byte[70_000];
    new Random(42).nextBytes(binary);
    server.enqueue(
        new MockResponse()
            .setHeader("Content-Type", "application/octet-stream")
            .setBody(new Buffer().write(binary)));

    try (Response response =
        client()
            .newCall(
                new Request.Builder()
                    .url(server.url("/audio"))
                    .post(RequestBody.create(binary, MediaType.get("application/octet-stream")))
                    .build())
            .execute()) {
      assertThat(response.body().bytes()).isEqualTo(binary);
    }

    assertThat(server.takeRequest().getBody().readByteArray()).isEqualTo(binary);
    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.responseBodyBytes()).isEqualTo(binary);
    assertThat(exchange.requestBodyStream().readAllBytes()).isEqualTo(binary);
  }

  @Test
  void fixedLengthEventStreamKeepsContentTypeAndLengthAndCompletesWhenReadExactly()
      throws Exception {
    String events = "data: {\"a\":1}\n\ndata: [DONE]\n\n";
    server.enqueue(
        new MockResponse().setHeader("Content-Type", EVENT_STREAM.toString()).setBody(events));

    Response response =
        client().newCall(new Request.Builder().url(server.url("/sse")).build()).execute();
    ResponseBody body = response.body();
    assertThat(body.contentType()).isEqualTo(EVENT_STREAM);
    assertThat(body.contentType().toString()).isEqualTo("text/event-stream; charset=utf-8");
    assertThat(body.contentLength()).isEqualTo(events.length());
    assertThat(response.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
    // Reads exactly the declared length, never seeing the end of the stream, then closes.
    assertThat(body.source().readUtf8(events.length())).isEqualTo(events);
    assertThat(completions).isEmpty();
    response.close();

    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.SUCCESS);
    assertThat(exchange.responseBodyText()).isEqualTo(events);
  }

  @Test
  void responsesWithoutBodyCompleteAtOnce() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));
    server.enqueue(new MockResponse().setHeader("Content-Type", "application/json"));

    try (Response response =
        client().newCall(new Request.Builder().url(server.url("/none")).build()).execute()) {
      assertThat(response.code()).isEqualTo(204);
      assertThat(completions).hasSize(1);
    }
    try (Response response =
        client().newCall(new Request.Builder().url(server.url("/head")).head().build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(completions).hasSize(2);
    }
    assertThat(completions)
        .extracting(c -> c.exchange().outcome())
        .containsOnly(RecordStatus.SUCCESS);
    assertThat(completions.get(1).exchange().method()).isEqualTo("HEAD");
  }

  @Test
  void resolverDecliningOrFailingLeavesTheCallUntouched() throws Exception {
    server.enqueue(jsonResponse("{\"a\":1}"));
    server.enqueue(jsonResponse("{\"a\":2}"));
    CaptureSink sink = (metadata, exchange) -> completions.add(new Completion(metadata, exchange));
    CaptureSettings settings = new CaptureSettings(1 << 20, List.of(), diagnostics);
    OkHttpClient declining =
        new OkHttpClient.Builder()
            .addInterceptor(new CaptureInterceptor(settings, (call, request) -> null, sink))
            .build();
    OkHttpClient failing =
        new OkHttpClient.Builder()
            .addInterceptor(
                new CaptureInterceptor(
                    settings,
                    (call, request) -> {
                      throw new IllegalStateException("resolver failure");
                    },
                    sink))
            .build();
    clients.add(declining);
    clients.add(failing);
    Request request =
        new Request.Builder().url(server.url("/plain")).header("Helicone-User-Id", "u").build();

    try (Response response = declining.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("{\"a\":1}");
    }
    try (Response response = failing.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("{\"a\":2}");
    }

    assertThat(server.takeRequest().getHeader("Helicone-User-Id")).isEqualTo("u");
    assertThat(server.takeRequest().getHeader("Helicone-User-Id")).isEqualTo("u");
    assertThat(completions).isEmpty();
    assertThat(diagnostics.errorCount()).isEqualTo(1);
  }

  @Test
  void requestBodyFailuresBehaveAsWithoutTheInterceptor() throws Exception {
    IOException appFailure = new IOException("application body failed");
    RequestBody failingIo =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return JSON;
          }

          @Override
          public void writeTo(BufferedSink sink) throws IOException {
            throw appFailure;
          }
        };
    Call call =
        client().newCall(new Request.Builder().url(server.url("/fail")).post(failingIo).build());
    assertThatThrownBy(call::execute).isSameAs(appFailure);
    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.ERROR);
    assertThat(exchange.transportError()).isEqualTo("java.io.IOException: application body failed");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void canceledCallIsRecordedAsCancelled() throws Exception {
    String first = "data: {\"n\":1}\n\n";
    try (LatchedStreamServer stream =
        new LatchedStreamServer(EVENT_STREAM.toString(), first, "data: {\"n\":2}\n\n")) {
      Call call = client().newCall(new Request.Builder().url(stream.url("/stream")).build());
      try (Response response = call.execute()) {
        BufferedSource source = response.body().source();
        assertThat(source.readUtf8LineStrict()).isEqualTo("data: {\"n\":1}");
        call.cancel();
        assertThatThrownBy(source::readUtf8).isInstanceOf(IOException.class);
      }
    }
    CapturedExchange exchange = onlyCompletion().exchange();
    assertThat(exchange.outcome()).isEqualTo(RecordStatus.CANCELLED);
    assertThat(exchange.transportError()).isNotNull();
  }

  private static IOException failureOf(OkHttpClient client, Request request) {
    try {
      client.newCall(request).execute().close();
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  /** An adapter that parses nothing; tests override {@code rewriteRequestBody}. */
  private abstract static class TestAdapter implements ProviderAdapter {
    @Override
    public String name() {
      return "test";
    }

    @Override
    public boolean supports(CapturedExchange exchange) {
      return false;
    }

    @Override
    public AdapterResult parse(CapturedExchange exchange) {
      throw new UnsupportedOperationException();
    }
  }
}
