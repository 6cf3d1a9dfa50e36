package ai.helicone.openaijava;

import ai.helicone.Helicone;
import ai.helicone.internal.HeliconeInternals;
import ai.helicone.internal.sdk.ContextHeaderProxy;
import ai.helicone.internal.sdk.SdkOkHttpClients;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.Timeout;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Records the calls of the official openai-java SDK: plain, streamed and asynchronous, for chat
 * completions, responses, embeddings and every other endpoint, each SDK retry as its own record.
 *
 * <pre>{@code
 * OpenAIClient client = HeliconeOpenAi.instrument(helicone, OpenAIOkHttpClient.builder().fromEnv());
 * OpenAIClientAsync async =
 *     HeliconeOpenAi.instrument(helicone, OpenAIOkHttpClientAsync.builder().fromEnv());
 * }</pre>
 *
 * <p>The SDK sends its requests through an OkHttp client instrumented by {@link
 * Helicone#instrument}. Its asynchronous client creates each HTTP call on one of its own threads,
 * where the application's context (session, path, user, properties, request id, privacy flags) is
 * not current: the clients returned here read the context on the thread that calls the SDK and send
 * it with the request as {@code Helicone-*} headers (see {@link Helicone#contextHeaders()}), which
 * the capture removes before the request leaves. Thread-safe; the returned clients are as
 * thread-safe as the SDK's.
 */
public final class HeliconeOpenAi {
  private HeliconeOpenAi() {}

  /**
   * Builds the synchronous client with a new instrumented OkHttp client that has the SDK's default
   * timeouts (unless the builder sets its own) and daemon dispatcher threads. Do not set transport
   * settings (proxy, TLS, pool) on {@code builder}: use {@link #instrument(Helicone,
   * OpenAIOkHttpClient.Builder, OkHttpClient)} with a client configured for them.
   */
  public static OpenAIClient instrument(Helicone helicone, OpenAIOkHttpClient.Builder builder) {
    return instrument(helicone, builder, sdkDefaults());
  }

  /**
   * Builds the synchronous client on {@code helicone.instrument(okHttpClient)}; {@code
   * okHttpClient} itself is not changed. Its timeouts apply unless the builder sets its own.
   */
  public static OpenAIClient instrument(
      Helicone helicone, OpenAIOkHttpClient.Builder builder, OkHttpClient okHttpClient) {
    Objects.requireNonNull(helicone, "helicone");
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(okHttpClient, "okHttpClient");
    return carryContext(helicone, builder.okHttpClient(helicone.instrument(okHttpClient)).build());
  }

  /** Like {@link #instrument(Helicone, OpenAIOkHttpClient.Builder)}, for the async client. */
  public static OpenAIClientAsync instrument(
      Helicone helicone, OpenAIOkHttpClientAsync.Builder builder) {
    return instrument(helicone, builder, sdkDefaults());
  }

  /**
   * Like {@link #instrument(Helicone, OpenAIOkHttpClient.Builder, OkHttpClient)}, for the async
   * client.
   */
  public static OpenAIClientAsync instrument(
      Helicone helicone, OpenAIOkHttpClientAsync.Builder builder, OkHttpClient okHttpClient) {
    Objects.requireNonNull(helicone, "helicone");
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(okHttpClient, "okHttpClient");
    return carryContext(helicone, builder.okHttpClient(helicone.instrument(okHttpClient)).build());
  }

  /**
   * A view of a client that you built yourself on an instrumented OkHttp client ({@code
   * OpenAIOkHttpClient.builder().okHttpClient(helicone.instrument(...))}) whose calls carry the
   * context of the thread that makes them, also when the SDK runs them on its own threads ({@code
   * client.async()}). Closing the view closes {@code client}.
   */
  public static OpenAIClient carryContext(Helicone helicone, OpenAIClient client) {
    return ContextHeaderProxy.wrap(
        OpenAIClient.class,
        client,
        helicone::contextHeaders,
        HeliconeInternals.diagnostics(helicone));
  }

  /** Like {@link #carryContext(Helicone, OpenAIClient)}, for the async client. */
  public static OpenAIClientAsync carryContext(Helicone helicone, OpenAIClientAsync client) {
    return ContextHeaderProxy.wrap(
        OpenAIClientAsync.class,
        client,
        helicone::contextHeaders,
        HeliconeInternals.diagnostics(helicone));
  }

  /**
   * A stock OkHttp client reads for at most 10 s; LLM calls get the SDK's own limits. The SDK does
   * not shut down a client it was given, so its dispatcher threads are daemons.
   */
  private static OkHttpClient sdkDefaults() {
    Timeout timeout = Timeout.builder().build();
    return SdkOkHttpClients.newBuilder()
        .connectTimeout(timeout.connect())
        .readTimeout(timeout.read())
        .writeTimeout(timeout.write())
        .callTimeout(timeout.request())
        .build();
  }
}
