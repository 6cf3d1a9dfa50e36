package ai.helicone.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.Helicone;
import ai.helicone.TraceKind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code HELICONE_EXPORTERS=otlp} through {@code Helicone.fromEnv}, with the OTEL_* variables. */
class FromEnvTest {
  private final OtlpReceiver receiver = new OtlpReceiver();

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void otlpExporterReadsTheStandardVariables() {
    Map<String, String> env =
        Map.of(
            "HELICONE_EXPORTERS", "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
            "OTEL_SERVICE_NAME", "from-env",
            "OTEL_METRICS_EXPORTER", "none",
            "HELICONE_BATCH_DELAY", "20ms");
    try (Helicone helicone = Helicone.builder().fromEnv(env).build()) {
      helicone.trace("lookup").kind(TraceKind.TOOL).call(() -> 1);
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();
    }

    assertThat(receiver.traceRequests()).isNotEmpty();
    assertThat(
            OtlpReceiver.attributes(
                receiver
                    .traceRequests()
                    .get(0)
                    .getResourceSpans(0)
                    .getResource()
                    .getAttributesList()))
        .containsEntry("service.name", "from-env");
    assertThat(receiver.requests("/v1/metrics")).isEmpty();
  }
}
