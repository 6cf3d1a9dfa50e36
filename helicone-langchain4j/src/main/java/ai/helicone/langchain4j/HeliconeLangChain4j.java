package ai.helicone.langchain4j;

import ai.helicone.Helicone;
import ai.helicone.internal.sdk.SdkOkHttpClients;
import ai.helicone.langchain4j.internal.OkHttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * A LangChain4j {@link HttpClientBuilder} whose clients send every request through an OkHttp client
 * instrumented by {@link Helicone#instrument}, so that each model call is recorded: chat, streaming
 * chat, embeddings, and any other model that takes {@code httpClientBuilder(...)}.
 *
 * <pre>{@code
 * ChatModel model = OpenAiChatModel.builder()
 *     .apiKey(apiKey)
 *     .modelName("gpt-4o-mini")
 *     .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
 *     .build();
 * }</pre>
 *
 * <p>Each call is created on the thread that calls the model, so it carries that thread's context
 * (session, path, user, properties), streaming calls included: their events are then delivered on
 * an OkHttp dispatcher thread, as LangChain4j's own clients deliver them on theirs. A stream the
 * listener stops early (through its parsing handle) is closed and recorded as cancelled, unless it
 * had reached its terminal event. Thread-safe: a builder may be shared, and so may the clients it
 * builds.
 */
public final class HeliconeLangChain4j {
  private HeliconeLangChain4j() {}

  /**
   * A builder of clients over a new OkHttp client, with the timeouts the model sets. Its dispatcher
   * threads are daemons, since LangChain4j models are never closed.
   */
  public static HttpClientBuilder httpClientBuilder(Helicone helicone) {
    return httpClientBuilder(helicone, SdkOkHttpClients.newBuilder().build());
  }

  /**
   * A builder of clients over {@code helicone.instrument(okHttpClient)}, sharing its connection
   * pool and dispatcher; {@code okHttpClient} itself is not changed. Connect and read timeouts that
   * the model sets replace the client's.
   */
  public static HttpClientBuilder httpClientBuilder(Helicone helicone, OkHttpClient okHttpClient) {
    Objects.requireNonNull(helicone, "helicone");
    Objects.requireNonNull(okHttpClient, "okHttpClient");
    return new OkHttpClientBuilder(helicone, okHttpClient);
  }
}
