package ai.helicone.otlp;

import static ai.helicone.otlp.OtlpReceiver.attributes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpExporterConfigTest {
  private final OtlpReceiver receiver = new OtlpReceiver();
  private OtlpExporter exporter;

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
    receiver.close();
  }

  @Test
  void environmentConfiguresEndpointHeadersCompressionAndServiceName() {
    exporter =
        OtlpExporter.fromEnv(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint() + "/",
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20sk-abc+def, x-team = ml",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "5000",
                "OTEL_SERVICE_NAME", "from-env"));

    assertThat(exporter.export(List.of(TestRecords.chat().build())).isSuccess()).isTrue();
    assertThat(exporter.flush().isSuccess()).isTrue();

    OtlpReceiver.Received traces = receiver.requests("/v1/traces").get(0);
    assertThat(traces.header("Authorization")).isEqualTo("Bearer sk-abc+def");
    assertThat(traces.header("x-team")).isEqualTo("ml");
    assertThat(traces.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(traces.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(
            attributes(
                receiver
                    .traceRequests()
                    .get(0)
                    .getResourceSpans(0)
                    .getResource()
                    .getAttributesList()))
        .containsEntry("service.name", "from-env");
    assertThat(receiver.requests("/v1/metrics")).hasSize(1);
    assertThat(exporter.toString()).doesNotContain("sk-abc");
  }

  @Test
  void signalEndpointsAreUsedAsGiven() {
    exporter =
        OtlpExporter.fromEnv(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:1",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                receiver.endpoint() + "/custom/traces",
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
                receiver.endpoint() + "/custom/metrics",
                "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT",
                "true"));

    assertThat(exporter.export(List.of(TestRecords.chat().build())).isSuccess()).isTrue();
    assertThat(exporter.flush().isSuccess()).isTrue();

    assertThat(receiver.requests())
        .extracting(r -> r.path)
        .containsExactly("/custom/traces", "/custom/metrics");
    assertThat(
            attributes(
                OtlpReceiver.parseTraces(receiver.requests().get(0).body)
                    .getResourceSpans(0)
                    .getScopeSpans(0)
                    .getSpans(0)))
        .containsKey("gen_ai.input.messages");
  }

  @Test
  void signalVariablesOverrideTheGeneralOnesForTheirSignal() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=general,x-team=ml");
    env.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "authorization=traces-key");
    env.put("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "x-metrics=1");
    env.put("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
    env.put("OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "none");
    env.put("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "3000");
    env.put("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/protobuf");
    exporter = OtlpExporter.fromEnv(env);

    assertThat(exporter.export(List.of(TestRecords.chat().build())).isSuccess()).isTrue();
    assertThat(exporter.flush().isSuccess()).isTrue();

    OtlpReceiver.Received traces = receiver.requests("/v1/traces").get(0);
    assertThat(traces.header("Authorization")).isEqualTo("traces-key");
    assertThat(traces.header("x-team")).isEqualTo("ml");
    assertThat(traces.header("x-metrics")).isNull();
    assertThat(traces.header("Content-Encoding")).isEqualTo("gzip");
    OtlpReceiver.Received metrics = receiver.requests("/v1/metrics").get(0);
    assertThat(metrics.header("Authorization")).isEqualTo("general");
    assertThat(metrics.header("x-metrics")).isEqualTo("1");
    assertThat(metrics.header("Content-Encoding")).isNull();
  }

  @Test
  void invalidEnvironmentValuesAreIgnored() {
    exporter =
        OtlpExporter.fromEnv(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_EXPORTER_OTLP_COMPRESSION", "brotli",
                "OTEL_EXPORTER_OTLP_TIMEOUT", "soon",
                "OTEL_METRICS_EXPORTER", "none"));

    assertThat(exporter.export(List.of(TestRecords.chat().build())).isSuccess()).isTrue();
    assertThat(exporter.flush().isSuccess()).isTrue();

    assertThat(receiver.requests()).extracting(r -> r.path).containsExactly("/v1/traces");
    assertThat(receiver.requests().get(0).header("Content-Encoding")).isNull();
  }

  @Test
  void builderAppendsStandardPathsToTheBaseUrl() {
    exporter = OtlpExporter.builder().endpoint(receiver.endpoint()).header("k", "secret-v").build();

    assertThat(exporter.toString())
        .contains(receiver.endpoint() + "/v1/traces", receiver.endpoint() + "/v1/metrics")
        .doesNotContain("secret-v");
  }

  @Test
  void descriptionLeavesOutCredentialsInTheUrl() {
    exporter =
        OtlpExporter.builder()
            .endpoint("http://user:pw-secret@127.0.0.1:4318/otlp")
            .metricsEndpoint("http://127.0.0.1:4318/m?api_key=key-secret")
            .build();

    assertThat(exporter.toString())
        .contains("http://127.0.0.1:4318/otlp/v1/traces", "http://127.0.0.1:4318/m")
        .doesNotContain("pw-secret", "key-secret");
  }
}
