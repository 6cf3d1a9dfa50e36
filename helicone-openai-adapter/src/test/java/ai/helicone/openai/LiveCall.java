package ai.helicone.openai;

import ai.helicone.record.RecordStatus;
import ai.helicone.spi.CapturedExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Makes a real OkHttp call and captures it the way the instrumentation does: request and response
 * bytes, headers, status, outcome and the read timeline (bytes delivered after each read, and
 * when). Every host name resolves to loopback, so provider URLs such as {@code
 * http://api.groq.com:PORT/openai/v1/chat/completions} reach the local WireMock server.
 */
public final class LiveCall {
  private static final OkHttpClient CLIENT =
      new OkHttpClient.Builder()
          .dns(host -> List.of(InetAddress.getLoopbackAddress()))
          .retryOnConnectionFailure(false)
          .build();

  private final String url;
  private String body;
  private String recordedUrl;
  private long cancelAfterBytes = -1;

  private LiveCall(String url) {
    this.url = url;
  }

  /** A POST to {@code url}. */
  public static LiveCall post(String url) {
    return new LiveCall(url);
  }

  public LiveCall body(String json) {
    this.body = json;
    return this;
  }

  /** Records another URL than the one called (for hosts that cannot be served locally). */
  public LiveCall recordAs(String url) {
    this.recordedUrl = url;
    return this;
  }

  /** Stops reading and closes the response once this many bytes arrived, as a caller may. */
  public LiveCall cancelAfter(long bytes) {
    this.cancelAfterBytes = bytes;
    return this;
  }

  public CapturedExchange execute() {
    byte[] requestBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    Request request =
        new Request.Builder()
            .url(url)
            .header("User-Agent", "helicone-openai-adapter-test")
            .post(RequestBody.create(requestBytes, MediaType.get("application/json")))
            .build();
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    long[] offsets = new long[16];
    long[] nanos = new long[16];
    int reads = 0;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    RecordStatus outcome = RecordStatus.SUCCESS;
    try (Response response = CLIENT.newCall(request).execute()) {
      Duration headers = Duration.ofNanos(System.nanoTime() - t0);
      byte[] buf = new byte[4096];
      try (InputStream in = response.body().byteStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          int keep = n;
          if (cancelAfterBytes >= 0 && captured.size() + n >= cancelAfterBytes) {
            keep = (int) (cancelAfterBytes - captured.size());
            outcome = RecordStatus.CANCELLED;
          }
          captured.write(buf, 0, keep);
          if (reads == offsets.length) {
            offsets = Arrays.copyOf(offsets, reads * 2);
            nanos = Arrays.copyOf(nanos, reads * 2);
          }
          offsets[reads] = captured.size();
          nanos[reads] = System.nanoTime() - t0;
          reads++;
          if (outcome == RecordStatus.CANCELLED) {
            break;
          }
        }
      }
      if (outcome == RecordStatus.SUCCESS && response.code() >= 400) {
        outcome = RecordStatus.ERROR;
      }
      long elapsed = System.nanoTime() - t0;
      return CapturedExchange.builder()
          .method("POST")
          .url(recordedUrl != null ? recordedUrl : url)
          .requestHeaders(toMap(request.headers()))
          .requestBody(requestBytes, false)
          .responseStatus(response.code())
          .responseHeaders(toMap(response.headers()))
          .responseBody(captured.toByteArray(), false)
          .outcome(outcome)
          .startTime(start)
          .endTime(start.plusNanos(elapsed))
          .duration(Duration.ofNanos(elapsed))
          .timeToResponseHeaders(headers)
          .readTimeline(Arrays.copyOf(offsets, reads), Arrays.copyOf(nanos, reads))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> toMap(Headers headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : headers.names()) {
      map.put(name, String.join(", ", headers.values(name)));
    }
    return map;
  }
}
