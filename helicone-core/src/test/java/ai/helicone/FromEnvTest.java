package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.helicone.internal.config.EnvSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FromEnvTest {
  @TempDir Path dir;
  private final OkHttpClient plain = new OkHttpClient();

  @AfterEach
  void stopClient() {
    LoopbackLlm.shutdown(plain);
  }

  private static String read(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  @Test
  void exportersAndCoreSettingsComeFromTheVariables() throws Exception {
    Path file = dir.resolve("calls.jsonl");
    Map<String, String> env =
        Map.of(
            "HELICONE_EXPORTERS", "jsonl",
            "HELICONE_JSONL_FILE", file.toString(),
            "HELICONE_SERVICE_NAME", "billing",
            "HELICONE_OMIT_REQUEST_BODIES", "TRUE",
            "HELICONE_BATCH_DELAY", "20ms",
            "HELICONE_QUEUE_CAPACITY", "16");
    try (LoopbackLlm llm = new LoopbackLlm();
        Helicone helicone = Helicone.builder().fromEnv(env).build()) {
      LoopbackLlm.call(helicone.instrument(plain), llm.chat());
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();
    }

    String written = read(file);
    assertThat(written)
        .contains("\"service.name\":\"billing\"")
        .contains("\"omitted\":true")
        .doesNotContain("Hello");
  }

  @Test
  void systemPropertiesWinOverVariables() throws Exception {
    Path fromEnv = dir.resolve("env.jsonl");
    Path fromProperty = dir.resolve("property.jsonl");
    try (LoopbackLlm llm = new LoopbackLlm();
        Helicone helicone =
            Helicone.builder()
                .fromEnv(
                    Map.of(
                        "HELICONE_EXPORTERS", "jsonl", "HELICONE_JSONL_FILE", fromEnv.toString()),
                    Map.of("helicone.jsonl.file", fromProperty.toString(), "unrelated", "x"))
                .batchDelay(Duration.ofMillis(20))
                .build()) {
      LoopbackLlm.call(helicone.instrument(plain), llm.chat());
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();
    }

    assertThat(read(fromProperty)).contains("gpt-4o");
    assertThat(fromEnv).doesNotExist();
  }

  @Test
  void disabledInstrumentationReturnsTheClientAndRecordsNothing() throws Exception {
    Path file = dir.resolve("never.jsonl");
    Map<String, String> env =
        Map.of(
            "HELICONE_ENABLED", "false",
            "HELICONE_EXPORTERS", "jsonl",
            "HELICONE_JSONL_FILE", file.toString());
    try (LoopbackLlm llm = new LoopbackLlm();
        Helicone helicone = Helicone.builder().fromEnv(env).build()) {
      OkHttpClient client = helicone.instrument(plain);
      assertThat(client).isSameAs(plain);
      assertThat(LoopbackLlm.call(client, llm.chat())).isEqualTo(LoopbackLlm.ANSWER);
      String traced = helicone.trace("tool").call(() -> "still runs");
      assertThat(traced).isEqualTo("still runs");
      assertThat(helicone.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(helicone.stats().exported()).isZero();
      assertThat(helicone.toString()).contains("disabled");
    }
    assertThat(file).doesNotExist();
  }

  @Test
  void rawStreamsInJsonLinesComeFromTheVariable() throws Exception {
    Path file = dir.resolve("streams.jsonl");
    String sse = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n";
    try (LoopbackLlm llm = LoopbackLlm.queued();
        Helicone helicone =
            Helicone.builder()
                .fromEnv(
                    Map.of(
                        "HELICONE_EXPORTERS", "jsonl",
                        "HELICONE_JSONL_FILE", file.toString(),
                        "HELICONE_JSONL_RAW_STREAMS", "true"))
                .batchDelay(Duration.ofMillis(20))
                .build()) {
      llm.server.enqueue(
          new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(sse));
      LoopbackLlm.call(
          helicone.instrument(plain), llm.chat("{\"model\":\"gpt-4o\",\"stream\":true}"));
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();
    }
    JsonNode response = new ObjectMapper().readTree(read(file)).get("response");
    assertThat(response.get("rawBody").asText()).isEqualTo(sse);

    assertThatThrownBy(
            () ->
                Helicone.builder()
                    .fromEnv(
                        Map.of(
                            "HELICONE_EXPORTERS", "jsonl",
                            "HELICONE_JSONL_FILE", file.toString(),
                            "HELICONE_JSONL_RAW_STREAMS", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HELICONE_JSONL_RAW_STREAMS=yes")
        .hasMessageContaining("true or false");
  }

  @Test
  void badValuesFailNamingTheVariableOrProperty() {
    assertThatThrownBy(() -> Helicone.builder().fromEnv(Map.of("HELICONE_QUEUE_CAPACITY", "lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HELICONE_QUEUE_CAPACITY=lots")
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> Helicone.builder().fromEnv(Map.of("HELICONE_BATCH_SIZE", "0")))
        .hasMessageContaining("HELICONE_BATCH_SIZE=0")
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Helicone.builder().fromEnv(Map.of("HELICONE_ENABLED", "maybe")))
        .hasMessageContaining("HELICONE_ENABLED=maybe")
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> Helicone.builder().fromEnv(Map.of("HELICONE_CLOSE_TIMEOUT", "soon")))
        .hasMessageContaining("HELICONE_CLOSE_TIMEOUT=soon");
    assertThatThrownBy(
            () ->
                Helicone.builder()
                    .fromEnv(
                        Map.of("HELICONE_BATCH_SIZE", "5"), Map.of("helicone.batch.size", "x")))
        .hasMessageContaining("system property helicone.batch.size=x");
    assertThatThrownBy(() -> Helicone.builder().fromEnv(Map.of("HELICONE_EXPORTERS", "jsonl,otlp")))
        .hasMessageContaining("HELICONE_EXPORTERS")
        .hasMessageContaining("ai.helicone:helicone-exporter-otlp on the class path");
    assertThatThrownBy(() -> Helicone.builder().fromEnv(Map.of("HELICONE_EXPORTERS", "kafka")))
        .hasMessageContaining("unknown exporter 'kafka'")
        .hasMessageContaining("console, helicone, jsonl");
  }

  @Test
  void durationsAcceptUnitsIsoAndMilliseconds() {
    assertThat(EnvSettings.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(EnvSettings.duration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(EnvSettings.duration("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(EnvSettings.duration("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    assertThat(EnvSettings.duration("1500")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void everySettingHasARowInTheReadmeTable() throws Exception {
    Path readme = Path.of("..", "README.md");
    List<String> rows =
        Files.readAllLines(readme).stream().filter(line -> line.startsWith("|")).toList();
    for (EnvSettings.Setting setting : EnvSettings.SETTINGS) {
      assertThat(rows)
          .as("README row for %s", setting.variable())
          .anyMatch(
              row ->
                  row.contains("`" + setting.variable() + "`")
                      && row.contains("`" + setting.systemProperty() + "`")
                      && row.contains(setting.builderMethod()));
    }
  }
}
