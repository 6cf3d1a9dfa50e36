package ai.helicone.anthropicjava;

import ai.helicone.Helicone;
import com.anthropic.core.ClientOptions;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.Headers;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.HttpMethod;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.QueryParams;
import com.anthropic.errors.AnthropicIoException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;

/**
 * An anthropic-java {@link HttpClient} that sends every call through an OkHttp client instrumented
 * by {@link Helicone#instrument}, so that the official client's calls (sync, async, streamed) are
 * recorded like any other, with model, tokens, cache tokens, cost and time to first token.
 *
 * <pre>{@code
 * AnthropicClient client = AnthropicOkHttpClient.builder().fromEnv().build()
 *     .withOptions(HeliconeAnthropicHttpClient.options(helicone));
 * }</pre>
 *
 * <p>The client's own options (API key, base URL, headers, retries, per-request timeouts) keep
 * working: retries reach this client as separate calls and are recorded as separate records. The
 * caller's Helicone context (session, path, user, properties, request id, omit flags) is read on
 * the thread that creates the OkHttp call: for sync calls that is the application's thread; async
 * calls are started by anthropic-java on its completion executor, which {@link #options} wraps so
 * that each task carries the context of the thread that submitted it, the application's thread for
 * the first attempt. This bridge is for the Anthropic API backend of anthropic-java; the Vertex AI
 * and Bedrock backends sign requests in the SDK's own transport.
 *
 * <p>Thread-safe. {@link #close()} (called when the anthropic-java client is closed) leaves an
 * OkHttp client given to {@link #create(OkHttpClient)} open.
 */
public final class HeliconeAnthropicHttpClient implements HttpClient {
  private final OkHttpClient client;
  private final boolean ownsClient;

  private HeliconeAnthropicHttpClient(OkHttpClient client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
  }

  /**
   * The options that route an anthropic-java client through Helicone, for {@code
   * client.withOptions(...)}: this HTTP client over a new instrumented OkHttp client, and a
   * completion executor (daemon threads, shut down with the client) that runs the SDK's async steps
   * with the context of the thread that started them, so that async calls and async streams carry
   * the caller's session, user and properties.
   */
  public static Consumer<ClientOptions.Builder> options(Helicone helicone) {
    Objects.requireNonNull(helicone, "helicone");
    return builder -> {
      AtomicInteger threads = new AtomicInteger();
      ExecutorService completion =
          Executors.newCachedThreadPool(
              task -> {
                Thread t =
                    new Thread(task, "helicone-anthropic-completion-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      builder.httpClient(create(helicone)).completionExecutor(helicone.wrap(completion));
    };
  }

  /**
   * A client over a new OkHttp client instrumented by {@code helicone}. OkHttp's own retry on
   * connection failure is off, because anthropic-java retries by itself.
   */
  public static HeliconeAnthropicHttpClient create(Helicone helicone) {
    Objects.requireNonNull(helicone, "helicone");
    return new HeliconeAnthropicHttpClient(
        helicone.instrument(new OkHttpClient.Builder().retryOnConnectionFailure(false).build()),
        true);
  }

  /**
   * A client over {@code instrumentedClient}, which should come from {@link Helicone#instrument} (a
   * client that is not instrumented works, but nothing is recorded).
   */
  public static HeliconeAnthropicHttpClient create(OkHttpClient instrumentedClient) {
    return new HeliconeAnthropicHttpClient(
        Objects.requireNonNull(instrumentedClient, "instrumentedClient"), false);
  }

  @Override
  public HttpResponse execute(HttpRequest request, RequestOptions requestOptions) {
    Call call = newCall(request, requestOptions);
    try {
      return new OkHttpResponse(call.execute(), call);
    } catch (IOException e) {
      throw new AnthropicIoException("Request failed", e);
    } finally {
      request.body().ifPresent(HttpRequestBody::close);
    }
  }

  @Override
  public CompletableFuture<HttpResponse> executeAsync(
      HttpRequest request, RequestOptions requestOptions) {
    CompletableFuture<HttpResponse> future = new CompletableFuture<>();
    // Created here, on the calling thread: that is where the instrumentation reads the context.
    Call call = newCall(request, requestOptions);
    call.enqueue(
        new Callback() {
          @Override
          public void onResponse(Call c, Response response) {
            if (!future.complete(new OkHttpResponse(response, c))) {
              // Cancelled meanwhile: nothing else will close it.
              response.close();
            }
          }

          @Override
          public void onFailure(Call c, IOException e) {
            future.completeExceptionally(new AnthropicIoException("Request failed", e));
          }
        });
    CompletableFuture<HttpResponse> unused =
        future.whenComplete(
            (response, error) -> {
              if (error instanceof CancellationException) {
                call.cancel();
              }
              request.body().ifPresent(HttpRequestBody::close);
            });
    return future;
  }

  /**
   * Releases the OkHttp client's threads and idle connections when this client created it ({@link
   * #create(Helicone)}, {@link #options}); a client given to {@link #create(OkHttpClient)} belongs
   * to the application and is left alone.
   */
  @Override
  public void close() {
    if (ownsClient) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  private Call newCall(HttpRequest request, RequestOptions options) {
    OkHttpClient c = client;
    Timeout timeout = options.timeout().orElse(null);
    if (timeout != null) {
      c =
          client
              .newBuilder()
              .connectTimeout(timeout.connect())
              .readTimeout(timeout.read())
              .writeTimeout(timeout.write())
              .callTimeout(timeout.request())
              .build();
    }
    Boolean followRedirects = options.followRedirects().orElse(null);
    if (followRedirects != null) {
      c = c.newBuilder().followRedirects(followRedirects).build();
    }
    return c.newCall(toRequest(request, c));
  }

  private static Request toRequest(HttpRequest request, OkHttpClient c) {
    HttpUrl.Builder url = HttpUrl.get(request.baseUrl()).newBuilder();
    for (String segment : request.pathSegments()) {
      url.addPathSegment(segment);
    }
    QueryParams query = request.queryParams();
    for (String key : query.keys()) {
      for (String value : query.values(key)) {
        url.addQueryParameter(key, value);
      }
    }
    RequestBody body = request.body().map(HeliconeAnthropicHttpClient::toRequestBody).orElse(null);
    HttpMethod method = request.method();
    if (body == null
        && (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH)) {
      body = RequestBody.create(new byte[0], null);
    }
    Request.Builder builder = new Request.Builder().url(url.build()).method(method.name(), body);
    Headers headers = request.headers();
    for (String name : headers.names()) {
      for (String value : headers.values(name)) {
        builder.addHeader(name, value);
      }
    }
    // The SDK's own transport tells the server its timeouts; so does this one.
    if (!headers.names().contains("X-Stainless-Read-Timeout") && c.readTimeoutMillis() != 0) {
      builder.addHeader("X-Stainless-Read-Timeout", String.valueOf(c.readTimeoutMillis() / 1000));
    }
    if (!headers.names().contains("X-Stainless-Timeout") && c.callTimeoutMillis() != 0) {
      builder.addHeader("X-Stainless-Timeout", String.valueOf(c.callTimeoutMillis() / 1000));
    }
    return builder.build();
  }

  private static RequestBody toRequestBody(HttpRequestBody body) {
    String type = body.contentType();
    MediaType mediaType = type == null ? null : MediaType.parse(type);
    long length = body.contentLength();
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return mediaType;
      }

      @Override
      public long contentLength() {
        return length;
      }

      @Override
      public boolean isOneShot() {
        return !body.repeatable();
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        body.writeTo(sink.outputStream());
      }
    };
  }

  /**
   * A response whose body one thread may close while another reads it: such a close cancels the
   * call, which fails the read, and the reading thread closes the body once its read unwinds (okio
   * sources cannot be read and drained by two threads at once).
   */
  private static final class OkHttpResponse implements HttpResponse {
    private final Response response;
    private final Headers headers;
    private final TrackedBody body;

    OkHttpResponse(Response response, Call call) {
      this.response = response;
      Headers.Builder h = Headers.builder();
      okhttp3.Headers received = response.headers();
      for (int i = 0; i < received.size(); i++) {
        h.put(received.name(i), received.value(i));
      }
      this.headers = h.build();
      ResponseBody b = response.body();
      this.body = b == null ? null : new TrackedBody(b, call);
    }

    @Override
    public int statusCode() {
      return response.code();
    }

    @Override
    public Headers headers() {
      return headers;
    }

    @Override
    public InputStream body() {
      if (body == null) {
        throw new IllegalStateException("Response has no body");
      }
      return body;
    }

    @Override
    public void close() {
      if (body != null) {
        body.close();
      } else {
        response.close();
      }
    }
  }

  private static final class TrackedBody extends InputStream {
    private final ResponseBody body;
    private final InputStream delegate;
    private final Call call;
    private final Object lock = new Object();
    private boolean closed;
    private int readsInFlight;

    TrackedBody(ResponseBody body, Call call) {
      this.body = body;
      this.delegate = body.byteStream();
      this.call = call;
    }

    @FunctionalInterface
    private interface Read {
      int run() throws IOException;
    }

    private int track(Read read) throws IOException {
      synchronized (lock) {
        if (closed) {
          throw new IOException("closed");
        }
        readsInFlight++;
      }
      try {
        return read.run();
      } finally {
        boolean closeNow;
        synchronized (lock) {
          closeNow = --readsInFlight == 0 && closed;
        }
        if (closeNow) {
          body.close();
        }
      }
    }

    @Override
    public int read() throws IOException {
      return track(delegate::read);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return track(() -> delegate.read(b, off, len));
    }

    @Override
    public int available() throws IOException {
      return track(delegate::available);
    }

    @Override
    public void close() {
      boolean readInFlight;
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true;
        readInFlight = readsInFlight > 0;
      }
      if (readInFlight) {
        call.cancel();
      } else {
        body.close();
      }
    }
  }
}
