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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Runs each example as a user would and checks what it prints and writes, and that it leaves no
 * thread behind that would keep the JVM (or {@code mvn exec:java}) from exiting.
 */
@Isolated // the examples print to System.out, which these tests redirect
class ExamplesTest {
  @TempDir Path dir;

  private interface Main {
    void run() throws Exception;
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }

  private static String stdout(Main main) throws Exception {
    Set<Thread> before = nonDaemonThreads();
    String out = printed(main);
    // A lingering non-daemon thread (OkHttp's dispatcher keeps one for 60 s) would hang the exit.
    Awaitility.await("threads the example left running")
        .pollInSameThread()
        .atMost(30, TimeUnit.SECONDS)
        .untilAsserted(
            () -> {
              Set<Thread> left = nonDaemonThreads();
              left.removeAll(before);
              assertThat(left).extracting(Thread::getName).isEmpty();
            });
    return out;
  }

  private static String printed(Main main) throws Exception {
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
        .contains("Records written to")
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
  void openAiJavaExampleRecordsSyncAsyncAndStreamsInTheSession() throws Exception {
    String out = stdout(() -> OpenAiJavaExample.main(new String[0]));

    List<String> lines =
        out.lines()
            .filter(l -> l.startsWith("  chat"))
            .collect(java.util.stream.Collectors.toList());
    assertThat(lines).hasSize(4);
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("success")
                    .contains("model=gpt-4o-mini-2024-07-18")
                    .contains("user=user-42 session=Support bot/answer properties={Plan=pro}")
                    .doesNotContain("cost=$?")
                    .doesNotContain("tokens=-"));
    assertThat(lines.stream().filter(l -> l.contains(" stream ")))
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).doesNotContain("ttft=-"));
  }

  @Test
  void springAiExampleRecordsACallAndAStreamInTheSession() throws Exception {
    String out = stdout(() -> SpringAiExample.main(new String[0]));

    assertThat(out)
        .contains("call:   Here is a short answer about")
        .contains("stream: Here is a short answer about")
        .doesNotContain("sk-example-not-real");
    List<String> lines =
        out.lines()
            .filter(l -> l.startsWith("  chat"))
            .collect(java.util.stream.Collectors.toList());
    assertThat(lines).hasSize(2);
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("success")
                    .contains("model=gpt-4o-mini-2024-07-18")
                    .contains("user=user-21 session=Spring Helpdesk/reply properties={Tier=gold}")
                    .containsPattern("tokens=\\d+\\+\\d+")
                    .containsPattern("cost=\\$0\\.\\d+"));
    assertThat(lines.get(0)).contains(" plain ").contains("ttft=-");
    assertThat(lines.get(1)).contains(" stream ").containsPattern("ttft=\\d+ms");
  }

  @Test
  void langChain4jExampleRecordsEmbeddingsChatAndAStreamInTheSession() throws Exception {
    String out = stdout(() -> LangChain4jExample.main(new String[0]));

    List<String> lines =
        out.lines().filter(l -> l.startsWith("  ")).collect(java.util.stream.Collectors.toList());
    assertThat(lines).hasSize(3);
    assertThat(lines)
        .allSatisfy(l -> assertThat(l).contains("success").contains("user=user-7 session=RAG"));
    assertThat(lines.get(0)).startsWith("  embeddings");
    assertThat(lines.stream().filter(l -> l.contains(" stream ")))
        .singleElement()
        .satisfies(l -> assertThat(l).doesNotContain("ttft=-").doesNotContain("cost=$?"));
  }

  @Test
  void agentExampleGroupsPoolAndAsyncCallsUnderTheSession() throws Exception {
    String out = stdout(() -> AgentExample.main(new String[0]));

    assertThat(out)
        .contains("session \"Travel Agent\"")
        .contains("/research  3 call(s), 1 trace(s)")
        .contains("/book  1 call(s), 1 trace(s)")
        .contains("database find-hotels")
        .contains("holds the enqueue() call");
  }

  @Test
  void heliconeExportExampleSendsLogsToTheReceiver() throws Exception {
    String out = stdout(() -> HeliconeExportExample.main(new String[0]));

    assertThat(out)
        .contains("POST /oai/v1/log")
        .contains("POST /custom/v1/log")
        .contains("helicone-session-name: Support Bot")
        .contains("helicone-property-channel: chat-widget")
        .contains("One POST per record")
        .doesNotContain("sk-example-not-a-real-key");
  }

  @Test
  void otlpExampleDeliversTracesAndMetrics() throws Exception {
    String out = stdout(() -> OtlpExample.main(new String[0]));

    assertThat(out)
        .contains("OTLP /v1/traces")
        .contains("OTLP /v1/metrics")
        .contains("one trace for the session");
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
  void googleGenAiExampleRecordsPlainAndStreamedCalls() throws Exception {
    String out = stdout(() -> GoogleGenAiExample.main(new String[0]));

    // gemini-2.5-flash: 0.30 in, 2.50 out (thinking tokens included).
    assertThat(out)
        .contains("answer:   A quiet morning")
        .contains("streamed: Tea, then a walk by the river.")
        .contains(
            "gemini generate_content gemini-2.5-flash stream=false tokens in=12 out=109"
                + " (reasoning 95) cost=$0.0002761")
        .contains(
            "gemini generate_content gemini-2.5-flash stream=true tokens in=11 out=49"
                + " (reasoning 40) cost=$0.0001258")
        .contains("session=Daily Planner user=user-1")
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
