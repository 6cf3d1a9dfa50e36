package ai.helicone.export.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.Helicone;
import ai.helicone.TraceKind;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code HELICONE_EXPORTERS=helicone,collector} through {@code Helicone.fromEnv}. */
class FromEnvTest {
  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @Test
  void heliconeAndCollectorExportersComeFromTheirVariables() {
    server.stubFor(post(anyUrl()).willReturn(ok("ok")));
    Map<String, String> env =
        Map.of(
            "HELICONE_EXPORTERS", "helicone, collector",
            "HELICONE_API_KEY", "sk-helicone-test-key",
            "HELICONE_BASE_URL", server.baseUrl(),
            "HELICONE_COLLECTOR_URL", server.baseUrl() + "/ingest",
            "HELICONE_COLLECTOR_HEADERS", "X-Tenant=acme,Authorization=Bearer collector-secret",
            "HELICONE_BATCH_DELAY", "20ms");
    try (Helicone helicone = Helicone.builder().fromEnv(env).build()) {
      helicone.trace("lookup-order").kind(TraceKind.TOOL).input("A-1").call(() -> "shipped");
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(helicone.stats().exported()).isEqualTo(2);
    }

    server.verify(
        postRequestedFor(urlEqualTo("/custom/v1/log"))
            .withHeader("Authorization", equalTo("Bearer sk-helicone-test-key")));
    server.verify(
        postRequestedFor(urlEqualTo("/ingest"))
            .withHeader("X-Tenant", equalTo("acme"))
            .withHeader("Authorization", equalTo("Bearer collector-secret")));
  }

  @Test
  void missingOrBadValuesNameTheVariable() {
    assertThatThrownBy(() -> Helicone.builder().fromEnv(Map.of("HELICONE_EXPORTERS", "helicone")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HELICONE_API_KEY is not set");
    assertThatThrownBy(
            () ->
                Helicone.builder()
                    .fromEnv(
                        Map.of(
                            "HELICONE_EXPORTERS", "helicone",
                            "HELICONE_API_KEY", "sk-helicone-secret-value",
                            "HELICONE_REGION", "mars")))
        .hasMessageContaining("HELICONE_REGION=mars: expected us or eu")
        .hasMessageNotContaining("secret-value");
    assertThatThrownBy(() -> Helicone.builder().fromEnv(Map.of("HELICONE_EXPORTERS", "collector")))
        .hasMessageContaining("HELICONE_COLLECTOR_URL is not set");
    assertThatThrownBy(
            () ->
                Helicone.builder()
                    .fromEnv(
                        Map.of(
                            "HELICONE_EXPORTERS", "collector",
                            "HELICONE_COLLECTOR_URL", server.baseUrl(),
                            "HELICONE_COLLECTOR_HEADERS", "Bearer secret-token")))
        .hasMessageContaining("HELICONE_COLLECTOR_HEADERS")
        .hasMessageNotContaining("secret-token");
  }
}
