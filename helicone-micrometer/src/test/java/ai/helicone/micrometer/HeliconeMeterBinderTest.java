package ai.helicone.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.openai.OpenAiAdapter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real OkHttp, the real OpenAI adapter, a loopback server and Micrometer's SimpleMeterRegistry. */
@SuppressWarnings("try")
class HeliconeMeterBinderTest {
  private static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":"
          + "200,\"total_tokens\":1200,\"prompt_tokens_details\":{\"cached_tokens\":400}}}";

  private final MockWebServer server = new MockWebServer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Helicone helicone;
  private OkHttpClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    if (helicone != null) {
      helicone.close();
    }
    if (client != null) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    server.shutdown();
  }

  private void use(HeliconeMeterBinder binder) {
    helicone =
        Helicone.builder()
            .addExporter(new InMemoryExporter())
            .addAdapter(
                OpenAiAdapter.builder()
                    .compatibleHost(server.getHostName() + ":" + server.getPort(), "openai")
                    .build())
            .addRecordListener(binder)
            .build();
    client = helicone.instrument(new OkHttpClient());
  }

  private void chat(String feature) throws IOException {
    try (HeliconeScope scope =
            helicone.context().userId("u-1").property("feature", feature).attach();
        Response r =
            client
                .newCall(
                    new Request.Builder()
                        .url(server.url("/v1/chat/completions"))
                        .post(
                            RequestBody.create(
                                "{\"model\":\"gpt-4o-mini\",\"messages\":[]}",
                                MediaType.get("application/json")))
                        .build())
                .execute()) {
      r.body().string();
    }
  }

  @Test
  void callsBecomeCountersAndTimersWithLowCardinalityTags() throws IOException {
    HeliconeMeterBinder binder = HeliconeMeterBinder.builder().build();
    use(binder);
    binder.bindTo(registry);
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          new MockResponse().setHeader("Content-Type", "application/json").setBody(ANSWER));
      chat("search");
    }
    server.enqueue(new MockResponse().setResponseCode(429).setBody("{\"error\":{}}"));
    chat("search");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                registry.find("helicone.llm.requests").counters().stream()
                        .mapToDouble(Counter::count)
                        .sum()
                    == 4);
    Counter ok =
        registry
            .get("helicone.llm.requests")
            .tags("provider", "openai", "model", "gpt-4o-mini-2024-07-18", "operation", "chat")
            .tag("status", "success")
            .counter();
    assertThat(ok.count()).isEqualTo(3);
    assertThat(
            registry.get("helicone.llm.requests").tag("status", "rate_limited").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("helicone.llm.tokens").tag("type", "input").counter().count())
        .isEqualTo(3000);
    assertThat(registry.get("helicone.llm.tokens").tag("type", "cached_input").counter().count())
        .isEqualTo(1200);
    assertThat(registry.get("helicone.llm.tokens").tag("type", "output").counter().count())
        .isEqualTo(600);
    // gpt-4o-mini: 0.15 input, 0.075 cached input, 0.60 output per 1M tokens.
    double perCall = 600 * 0.15e-6 + 400 * 0.075e-6 + 200 * 0.60e-6;
    assertThat(registry.get("helicone.llm.cost").counter().count())
        .isCloseTo(3 * perCall, org.assertj.core.data.Offset.offset(1e-12));
    Timer duration = registry.get("helicone.llm.duration").tag("status", "success").timer();
    assertThat(duration.count()).isEqualTo(3);
    assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    // No user or property tags unless asked.
    assertThat(registry.find("helicone.llm.requests").tagKeys("user").counters()).isEmpty();
    assertThat(registry.find("helicone.llm.requests").tagKeys("feature").counters()).isEmpty();
  }

  @Test
  void userAndPropertyTagsOnlyWhenAsked() throws IOException {
    HeliconeMeterBinder binder =
        HeliconeMeterBinder.builder().userTag(true).propertyTags("feature").build();
    use(binder);
    binder.bindTo(registry);
    server.enqueue(
        new MockResponse().setHeader("Content-Type", "application/json").setBody(ANSWER));
    chat("summarize");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> registry.find("helicone.llm.requests").counter() != null);
    assertThat(
            registry
                .get("helicone.llm.requests")
                .tags("user", "u-1", "feature", "summarize")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void blankPropertyTagNamesAreRejected() {
    assertThatThrownBy(() -> HeliconeMeterBinder.builder().propertyTags(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
