package ai.helicone.internal.capture;

import ai.helicone.spi.ProviderAdapter;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;

/**
 * The OkHttp application interceptor (added with {@code addInterceptor}) that captures each call:
 * timing, method, redacted URL and headers, request body, response status, headers and body.
 *
 * <p>The response body is never buffered: its bytes are copied, up to the capture limit, as the
 * caller reads them, and the exchange is handed to the {@link CaptureSink} exactly once, when the
 * caller reaches the end of the body (success), closes it early (cancelled), or a read fails
 * (error; the same exception reaches the caller). What the caller sees (status, headers, content
 * type, content length and body bytes) is exactly what it would see without this interceptor, and
 * no failure of the capture itself reaches the caller.
 *
 * <p>Thread-safe: one instance serves all calls of a client.
 */
public final class CaptureInterceptor implements Interceptor {
  private final CaptureSettings settings;
  private final CallResolver resolver;
  private final CaptureSink sink;

  public CaptureInterceptor(CaptureSettings settings, CallResolver resolver, CaptureSink sink) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Instant startTime = Instant.now();
    long startNanos = System.nanoTime();
    Request original = chain.request();

    ResolvedCall resolved;
    try {
      resolved = resolver.resolve(chain.call(), original);
    } catch (RuntimeException | LinkageError e) {
      settings.diagnostics().error("capture.resolve", "resolving call metadata failed", e);
      return chain.proceed(original);
    }
    if (resolved == null) {
      return chain.proceed(original);
    }
    // A refusal (an enforced budget) fails the call before anything is sent or recorded.
    settings.admission().admit(resolved.metadata());

    Request toSend = resolved.request();
    if (leftUncaptured(resolved.metadata())) {
      // Its record would be dropped for memory: the call goes out as it is, nothing captured.
      return chain.proceed(toSend);
    }
    ExchangeRecorder recorder = null;
    try {
      recorder = new ExchangeRecorder(settings, sink, resolved.metadata(), startTime, startNanos);
      toSend = prepareRequest(toSend, recorder);
    } catch (IOException e) {
      // The application's own request body failed to write: the call fails as it would in
      // OkHttp, with the same exception, and is recorded as failed.
      recorder.failBeforeResponse(e, isCanceled(chain));
      throw e;
    } catch (RuntimeException | LinkageError e) {
      settings.diagnostics().error("capture.request", "capturing the request failed", e);
      if (recorder != null) {
        recorder.abandon();
      }
      return chain.proceed(toSend);
    }

    Response response;
    try {
      response = chain.proceed(toSend);
    } catch (IOException e) {
      recorder.failBeforeResponse(e, isCanceled(chain));
      throw e;
    } catch (RuntimeException | Error e) {
      recorder.failBeforeResponse(e, isCanceled(chain));
      throw e;
    }

    try {
      return observeResponse(response, recorder, chain);
    } catch (RuntimeException | LinkageError e) {
      settings.diagnostics().error("capture.response", "capturing the response failed", e);
      recorder.abandon();
      return response;
    }
  }

  /** True when the sink refuses records now and has counted this call as left uncaptured. */
  private boolean leftUncaptured(Object metadata) {
    try {
      if (!sink.refusing()) {
        return false;
      }
      sink.notCaptured(metadata);
      return true;
    } catch (RuntimeException e) {
      settings.diagnostics().error("capture.refusing", "asking the sink for room failed", e);
      return false;
    }
  }

  private static boolean isCanceled(Chain chain) {
    try {
      return chain.call().isCanceled();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Records the request and returns the request to send: the same, or with its body replaced by the
   * bytes read once for capture (possibly rewritten by an adapter).
   */
  private Request prepareRequest(Request request, ExchangeRecorder recorder) throws IOException {
    RequestBody body = request.body();
    recorder.request(
        request.method(),
        Redaction.redactUrl(request.url()),
        request.headers(),
        addedContentType(request, body));
    if (body == null || body.isOneShot() || body.isDuplex()) {
      return request;
    }
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    byte[] bytes = buffer.readByteArray();
    MediaType contentType = body.contentType();
    byte[] rewritten = rewrite(request, contentType, bytes);
    byte[] sent = rewritten != null ? rewritten : bytes;
    recorder.requestBody(sent);
    // Keep the declared length (or chunked encoding) unless the bytes changed.
    long contentLength = rewritten != null ? rewritten.length : body.contentLength();
    return request
        .newBuilder()
        .method(request.method(), new BytesRequestBody(contentType, contentLength, sent))
        .build();
  }

  /** The body's content type when OkHttp adds it to the wire later (no such header), or null. */
  private static String addedContentType(Request request, RequestBody body) {
    MediaType contentType = body == null ? null : body.contentType();
    if (contentType == null || request.header("Content-Type") != null) {
      return null;
    }
    return contentType.toString();
  }

  private byte[] rewrite(Request request, MediaType contentType, byte[] bytes) {
    if (settings.adapters().isEmpty()) {
      return null;
    }
    // Adapters get a copy so that one changing the array in place cannot alter what is sent.
    byte[] copy = bytes.clone();
    String url = request.url().toString();
    String type = contentType == null ? null : contentType.toString();
    for (ProviderAdapter adapter : settings.adapters()) {
      try {
        byte[] result = adapter.rewriteRequestBody(request.method(), url, type, copy);
        if (result != null) {
          return result;
        }
      } catch (RuntimeException | LinkageError e) {
        settings
            .diagnostics()
            .error(
                "capture.rewrite:" + adapter.getClass().getName(),
                "adapter " + adapter.getClass().getName() + " failed to rewrite a request body",
                e);
      }
    }
    return null;
  }

  private Response observeResponse(Response response, ExchangeRecorder recorder, Chain chain) {
    recorder.responseHeaders(response.code(), response.headers());
    ResponseBody body = response.body();
    int code = response.code();
    if (body == null
        || "HEAD".equalsIgnoreCase(chain.request().method())
        || code == 204
        || code == 304
        || body.contentLength() == 0) {
      recorder.completeWithoutBody(body != null);
      return response;
    }
    CapturingResponseBody capturing =
        new CapturingResponseBody(body, recorder, chain.call()::isCanceled);
    recorder.bodyStarts(body.contentLength(), capturing);
    return response.newBuilder().body(capturing).build();
  }

  /** A request body replayed from bytes, with the original content type and declared length. */
  private static final class BytesRequestBody extends RequestBody {
    private final MediaType contentType;
    private final long contentLength;
    private final byte[] bytes;

    BytesRequestBody(MediaType contentType, long contentLength, byte[] bytes) {
      this.contentType = contentType;
      this.contentLength = contentLength;
      this.bytes = bytes;
    }

    @Override
    public MediaType contentType() {
      return contentType;
    }

    @Override
    public long contentLength() {
      return contentLength;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      sink.write(bytes);
    }
  }
}
