package ai.helicone.langchain4j.internal;

import ai.helicone.Helicone;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * Builds {@link OkHttpLangChainClient}s over an instrumented copy of an OkHttp client. LangChain4j
 * model builders set the timeouts and call {@link #build()} once per model. Not thread-safe while
 * being configured; LangChain4j configures it on one thread.
 */
public final class OkHttpClientBuilder implements HttpClientBuilder {
  private final Helicone helicone;
  private final OkHttpClient base;
  private Duration connectTimeout;
  private Duration readTimeout;

  public OkHttpClientBuilder(Helicone helicone, OkHttpClient base) {
    this.helicone = helicone;
    this.base = base;
  }

  @Override
  public Duration connectTimeout() {
    return connectTimeout;
  }

  @Override
  public HttpClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return this;
  }

  @Override
  public Duration readTimeout() {
    return readTimeout;
  }

  @Override
  public HttpClientBuilder readTimeout(Duration timeout) {
    this.readTimeout = timeout;
    return this;
  }

  @Override
  public HttpClient build() {
    OkHttpClient.Builder b = base.newBuilder();
    if (connectTimeout != null) {
      b.connectTimeout(connectTimeout);
    }
    if (readTimeout != null) {
      b.readTimeout(readTimeout);
    }
    return new OkHttpLangChainClient(helicone.instrument(b.build()));
  }
}
