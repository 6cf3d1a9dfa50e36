package ai.helicone.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** Runs each example as a user would and checks what it prints and writes. */
@Isolated // the examples print to System.out, which these tests redirect
class ExamplesTest {
  @TempDir Path dir;

  private interface Main {
    void run() throws Exception;
  }

  private static String stdout(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    original.print(out);
    return out;
  }

  @Test
  void quickstartPrintsTheSessionTreeAndWritesJsonLines() throws Exception {
    Path file = dir.resolve("logs/helicone.jsonl");

    String out = stdout(() -> Quickstart.main(new String[] {file.toString()}));

    assertThat(out)
        .contains("session \"Document Analyzer\"")
        .contains("└─ /analyze")
        .contains("/analyze/summary")
        .contains("vector_db search-docs")
        .contains("tool get-weather")
        .doesNotContain("sk-example-not-a-real-key");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> records = new ArrayList<>();
    for (String line : lines) {
      records.add(json.readTree(line));
    }
    assertThat(records)
        .allSatisfy(r -> assertThat(r.get("sessionName").asText()).isEqualTo("Document Analyzer"));
    JsonNode streamed =
        records.stream().filter(r -> r.path("stream").asBoolean()).findFirst().orElseThrow();
    assertThat(streamed.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(streamed.get("usage").get("estimated").asBoolean()).isFalse();
    assertThat(streamed.get("costUsd").decimalValue()).isPositive();
    assertThat(streamed.get("timeToFirstTokenMs").decimalValue()).isPositive();
    assertThat(streamed.get("request").get("headers").get("authorization").asText())
        .isEqualTo("[REDACTED]");
    assertThat(String.join("\n", lines)).doesNotContain("sk-example-not-a-real-key");
  }

  @Test
  void agentExampleGroupsPoolAndAsyncCallsUnderTheSession() throws Exception {
    String out = stdout(() -> AgentExample.main(new String[0]));

    assertThat(out)
        .contains("session \"Travel Agent\"")
        .contains("/research  3 call(s), 1 trace(s)")
        .contains("/book  1 call(s), 1 trace(s)")
        .contains("database find-hotels");
  }

  @Test
  void heliconeExportExampleSendsLogsToTheReceiver() throws Exception {
    String out = stdout(() -> HeliconeExportExample.main(new String[0]));

    assertThat(out)
        .contains("POST /oai/v1/log")
        .contains("POST /custom/v1/log")
        .contains("helicone-session-name: Support Bot")
        .contains("helicone-property-channel: chat-widget")
        .doesNotContain("sk-example-not-a-real-key");
  }

  @Test
  void otlpExampleDeliversTracesAndMetrics() throws Exception {
    String out = stdout(() -> OtlpExample.main(new String[0]));

    assertThat(out).contains("OTLP /v1/traces").contains("OTLP /v1/metrics");
  }

  @Test
  void gatewayExampleAddsHeliconeHeaders() throws Exception {
    String out = stdout(() -> GatewayExample.main(new String[0]));

    assertThat(out)
        .contains("helicone-auth: Bearer")
        .contains("helicone-user-id: user-9")
        .contains("helicone-property-feature: greeting")
        .doesNotContain("not-a-real-key");
  }

  @Test
  void anthropicJavaExampleRecordsSyncAsyncAndStreamedCalls() throws Exception {
    String out = stdout(() -> AnthropicJavaExample.main(new String[0]));

    assertThat(out)
        .contains("sync:   Refunds are accepted within 30 days.")
        .contains("async:  Refunds are accepted within 30 days.")
        .contains("stream: Refunds are accepted within 30 days.")
        .doesNotContain("not-a-real-key");
    // 25 x 3 + 3000 x 0.30 + 200 x 3.75 + 1000 x 6 + 15 x 15 = 7950 USD per 1M tokens.
    assertThat(out.lines().filter(l -> l.contains("cost=$0.00795 ttft=-")))
        .hasSize(2)
        .allSatisfy(
            l ->
                assertThat(l)
                    .startsWith("success anthropic claude-sonnet-4-5-20250929 stream=false")
                    .contains("user=user-42 session=Support Bot")
                    .contains("in=4225 (cache read 3000, written 1200) out=15"));
    // 25 x 3 + 4200 x 0.30 + 12 x 15 = 1515 USD per 1M tokens; time to first token measured.
    assertThat(out)
        .containsPattern(
            "success anthropic claude-sonnet-4-5-20250929 stream=true user=user-42 session=Support"
                + " Bot in=4225 \\(cache read 4200, written 0\\) out=12 cost=\\$0.001515"
                + " ttft=\\d+ms");
  }
}
