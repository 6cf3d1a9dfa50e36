package ai.helicone.export.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gateway mode beside a Helicone exporter: the gateway receives the Helicone-* headers of the
 * caller's context, also for asynchronous calls, and nothing is logged a second time.
 */
class GatewayModeTest {
  @RegisterExtension
  static WireMockExtension gateway =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static WireMockExtension heliconeServer =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @Test
  void enqueuedCallsCarryTheCallersContextToTheGatewayAndAreNotExported() throws Exception {
    gateway.stubFor(post(anyUrl()).willReturn(okJson(TestRecords.CHAT_RESPONSE)));
    heliconeServer.stubFor(post(anyUrl()).willReturn(ok("ok")));
    HeliconeHttpExporter exporter =
        HeliconeHttpExporter.builder()
            .apiKey("sk-helicone-log")
            .baseUrl(heliconeServer.baseUrl())
            .build();
    String sessionId;
    try (Helicone helicone =
        Helicone.builder().addExporter(exporter).batchDelay(Duration.ofMillis(20)).build()) {
      OkHttpClient client = helicone.instrumentForGateway(new OkHttpClient(), "sk-helicone-gw");
      CompletableFuture<String> answer = new CompletableFuture<>();
      try (HeliconeSession session = helicone.session("Support").userId("user-9").start()) {
        sessionId = session.id();
        HeliconeScope step = session.path("/triage");
        try {
          // enqueue runs the interceptors on a dispatcher thread, away from this context.
          client.newCall(chatRequest()).enqueue(completeWith(answer));
        } finally {
          step.close();
        }
      }
      assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(TestRecords.CHAT_RESPONSE);
      assertThat(helicone.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(helicone.stats().exported()).isZero();
    }

    List<LoggedRequest> calls = gateway.findAll(postRequestedFor(anyUrl()));
    assertThat(calls).hasSize(1);
    LoggedRequest call = calls.get(0);
    assertThat(call.getHeader("Helicone-Auth")).isEqualTo("Bearer sk-helicone-gw");
    // The gateway forwards the provider key; it is the application's to send.
    assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + TestRecords.PROVIDER_SECRET);
    assertThat(call.getHeader("Helicone-User-Id")).isEqualTo("user-9");
    assertThat(call.getHeader("Helicone-Session-Id")).isEqualTo(sessionId);
    assertThat(call.getHeader("Helicone-Session-Name")).isEqualTo("Support");
    assertThat(call.getHeader("Helicone-Session-Path")).isEqualTo("/triage");
    assertThat(call.getHeader("Helicone-Request-Id"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(heliconeServer.findAll(postRequestedFor(anyUrl()))).isEmpty();
  }

  private static Request chatRequest() {
    return new Request.Builder()
        .url(gateway.baseUrl() + "/v1/chat/completions")
        .header("Authorization", "Bearer " + TestRecords.PROVIDER_SECRET)
        .post(RequestBody.create(TestRecords.CHAT_REQUEST, MediaType.get("application/json")))
        .build();
  }

  private static Callback completeWith(CompletableFuture<String> answer) {
    return new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        answer.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) throws IOException {
        try (response) {
          answer.complete(response.body().string());
        }
      }
    };
  }
}
