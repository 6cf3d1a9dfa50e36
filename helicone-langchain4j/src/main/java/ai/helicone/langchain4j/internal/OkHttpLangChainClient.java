package ai.helicone.langchain4j.internal;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.FormDataFile;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * LangChain4j's {@link HttpClient} over an OkHttp client, behaving as LangChain4j's own clients do:
 * a non-2xx status becomes an {@link HttpException} with the body as its message, a timeout a
 * {@link TimeoutException}, and stream events and errors go to the listener. Every call is created
 * on the calling thread, which is where the instrumentation reads the caller's context.
 * Thread-safe.
 */
final class OkHttpLangChainClient implements HttpClient {
  private final OkHttpClient client;

  OkHttpLangChainClient(OkHttpClient client) {
    this.client = client;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    Call call = client.newCall(toOkHttp(request));
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      if (!response.isSuccessful()) {
        throw new HttpException(response.code(), new String(bytes, charset(body)));
      }
      return toLangChain(response, bytes);
    } catch (InterruptedIOException e) {
      throw new TimeoutException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    // Created here, on the caller's thread, so that the call carries the caller's context.
    Call call = client.newCall(toOkHttp(request));
    call.enqueue(
        new Callback() {
          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              ResponseBody body = response.body();
              if (!response.isSuccessful()) {
                String message = body == null ? "" : body.string();
                quietly(() -> listener.onError(new HttpException(response.code(), message)));
                return;
              }
              SuccessfulHttpResponse open = toLangChain(response, null);
              quietly(() -> listener.onOpen(open));
              try (InputStream in =
                  body == null ? InputStream.nullInputStream() : body.byteStream()) {
                parser.parse(in, listener);
              }
              quietly(listener::onClose);
            } catch (IOException | RuntimeException e) {
              quietly(() -> listener.onError(e));
            }
          }

          @Override
          public void onFailure(Call c, IOException e) {
            Throwable error = e instanceof InterruptedIOException ? new TimeoutException(e) : e;
            quietly(() -> listener.onError(error));
          }
        });
  }

  /** A listener's own failure must not end the delivery thread, as in LangChain4j's clients. */
  private static void quietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      // Ignored on purpose: the listener's exception is its own business.
    }
  }

  private static Request toOkHttp(HttpRequest request) {
    Request.Builder b = new Request.Builder().url(request.url());
    request
        .headers()
        .forEach(
            (name, values) -> {
              if (values != null) {
                values.forEach(value -> b.addHeader(name, value));
              }
            });
    RequestBody body = null;
    if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
      MultipartBody.Builder multipart = new MultipartBody.Builder().setType(MultipartBody.FORM);
      request.formDataFields().forEach(multipart::addFormDataPart);
      for (Map.Entry<String, FormDataFile> file : request.formDataFiles().entrySet()) {
        FormDataFile f = file.getValue();
        MediaType type = f.contentType() == null ? null : MediaType.parse(f.contentType());
        multipart.addFormDataPart(
            file.getKey(), f.fileName(), RequestBody.create(f.content(), type));
      }
      body = multipart.build();
      b.removeHeader("Content-Type");
    } else if (request.body() != null) {
      String contentType = header(request.headers(), "Content-Type");
      MediaType type = contentType == null ? null : MediaType.parse(contentType);
      body = RequestBody.create(request.body().getBytes(charset(type)), type);
    }
    String method = request.method().name();
    if (body == null && "POST".equals(method)) {
      body = RequestBody.create(new byte[0], null);
    }
    return b.method(method, body).build();
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (name.equalsIgnoreCase(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static SuccessfulHttpResponse toLangChain(Response response, byte[] body) {
    Headers headers = response.headers();
    return SuccessfulHttpResponse.builder()
        .statusCode(response.code())
        .headers(headers.toMultimap())
        .body(body)
        .build();
  }

  private static java.nio.charset.Charset charset(ResponseBody body) {
    return charset(body == null ? null : body.contentType());
  }

  private static java.nio.charset.Charset charset(MediaType type) {
    java.nio.charset.Charset charset = type == null ? null : type.charset();
    return charset != null ? charset : java.nio.charset.StandardCharsets.UTF_8;
  }
}
