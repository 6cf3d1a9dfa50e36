package ai.helicone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.metrics.Aggregate;
import ai.helicone.metrics.HeliconeMetrics;
import ai.helicone.openai.OpenAiAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several hundred calls through an instrumented client into rotated JSON Lines files; the CLI's
 * figures must agree with {@code helicone.metrics()} and with the figures computed here by hand.
 */
@SuppressWarnings("try")
class HeliconeCliTest {
  static final int CALLS = 300;
  // gpt-4o-mini: 600 uncached input at 0.15, 400 cached at 0.075, 200 output at 0.60 per 1M.
  static final BigDecimal CALL_COST = new BigDecimal("0.00024");
  static final String ANSWER =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":"
          + "200,\"total_tokens\":1200,\"prompt_tokens_details\":{\"cached_tokens\":400}}}";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static HeliconeMetrics metrics;
  static Path logs;

  static boolean rateLimited(int i) {
    return i % 30 == 0;
  }

  static boolean failed(int i) {
    return !rateLimited(i) && i % 20 == 0;
  }

  @BeforeAll
  static void record() throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String status = request.getHeader("X-Test-Status");
            if (status != null) {
              return new MockResponse()
                  .setResponseCode(Integer.parseInt(status))
                  .setHeader("Content-Type", "application/json")
                  .setBody("{\"error\":{\"message\":\"try later\",\"type\":\"server\"}}");
            }
            return new MockResponse().setHeader("Content-Type", "application/json").setBody(ANSWER);
          }
        });
    server.start();
    logs = dir.resolve("logs");
    Path file = logs.resolve("helicone.jsonl");
    Helicone helicone =
        Helicone.builder()
            .addExporter(
                JsonLinesExporter.builder().file(file).maxFileBytes(64 * 1024).maxFiles(50).build())
            .addAdapter(
                OpenAiAdapter.builder()
                    .compatibleHost(server.getHostName() + ":" + server.getPort(), "openai")
                    .build())
            .build();
    OkHttpClient client = helicone.instrument(new OkHttpClient());
    try {
      for (int i = 0; i < CALLS; i++) {
        try (HeliconeSession session =
                helicone.session("Agent run").id(sessionId(i / 50)).userId("u" + i % 5).start();
            HeliconeScope path = session.path("/step" + i % 2);
            HeliconeScope scope =
                helicone
                    .context()
                    .property("feature", new String[] {"search", "chat", "summarize"}[i % 3])
                    .attach()) {
          Request.Builder request =
              new Request.Builder()
                  .url(server.url("/v1/chat/completions"))
                  .post(
                      RequestBody.create(
                          "{\"model\":\"gpt-4o-mini\",\"messages\":[]}",
                          MediaType.get("application/json")));
          if (rateLimited(i)) {
            request.header("X-Test-Status", "429");
          } else if (failed(i)) {
            request.header("X-Test-Status", "500");
          }
          try (Response r = client.newCall(request.build()).execute()) {
            r.body().string();
          }
        }
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> helicone.metrics().sinceStart().total().requests() == CALLS);
      assertThat(helicone.flush(Duration.ofSeconds(60))).isTrue();
      metrics = helicone.metrics();
    } finally {
      helicone.close();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
      server.shutdown();
    }
  }

  static String sessionId(int n) {
    return "00000000-0000-4000-8000-00000000000" + n;
  }

  @AfterAll
  static void nothing() {}

  record Run(int status, String out, String err) {}

  static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        HeliconeCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static JsonNode json(String... args) throws IOException {
    Run run = cli(args);
    assertThat(run.status()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  @Test
  void theFilesWereRotated() throws IOException {
    try (var files = Files.list(logs)) {
      assertThat(files.count()).isGreaterThan(2);
    }
  }

  @Test
  void modelFiguresAgreeWithMetricsAndWithHandComputedOnes() throws IOException {
    long rateLimitedCalls = 0;
    long failedCalls = 0;
    for (int i = 0; i < CALLS; i++) {
      rateLimitedCalls += rateLimited(i) ? 1 : 0;
      failedCalls += failed(i) ? 1 : 0;
    }
    long ok = CALLS - rateLimitedCalls - failedCalls;

    Aggregate total = metrics.sinceStart().total();
    assertThat(total.requests()).isEqualTo(CALLS);
    assertThat(total.rateLimited()).isEqualTo(rateLimitedCalls);
    assertThat(total.errors()).isEqualTo(failedCalls);
    assertThat(total.costUsd()).isEqualByComparingTo(CALL_COST.multiply(BigDecimal.valueOf(ok)));
    assertThat(total.inputTokens()).isEqualTo(1000 * ok);
    assertThat(total.cacheHitRate()).isEqualTo(0.4);

    JsonNode models = json("models", "--format", "json", "--quiet", logs.toString());
    JsonNode mini = find(models, "model", "gpt-4o-mini-2024-07-18");
    Aggregate fromMetrics = metrics.sinceStart().byModel().get("gpt-4o-mini-2024-07-18");
    assertThat(mini.get("requests").asLong()).isEqualTo(fromMetrics.requests()).isEqualTo(ok);
    assertThat(mini.get("cost_usd").decimalValue()).isEqualByComparingTo(fromMetrics.costUsd());
    assertThat(mini.get("latency_p50_ms").asDouble())
        .isEqualTo(fromMetrics.latency().p50().toNanos() / 1e6);
    assertThat(mini.get("latency_p99_ms").asDouble())
        .isEqualTo(fromMetrics.latency().p99().toNanos() / 1e6);
    long modelRequests = 0;
    for (JsonNode row : models) {
      modelRequests += row.get("requests").asLong();
    }
    assertThat(modelRequests).isEqualTo(CALLS);
  }

  @Test
  void usersAndPropertiesAgreeWithMetrics() throws IOException {
    JsonNode users = json("users", "--format", "json", "--quiet", logs.toString());
    for (int u = 0; u < 5; u++) {
      Aggregate expected = metrics.sinceStart().byUser().get("u" + u);
      JsonNode row = find(users, "user", "u" + u);
      assertThat(row.get("requests").asLong()).isEqualTo(expected.requests()).isEqualTo(60);
      assertThat(row.get("cost_usd").decimalValue()).isEqualByComparingTo(expected.costUsd());
      assertThat(row.get("errors").asLong()).isEqualTo(expected.errors());
    }
    JsonNode features =
        json("properties", "--by", "feature", "--format", "json", "--quiet", logs.toString());
    assertThat(find(features, "feature", "search").get("requests").asLong()).isEqualTo(100);
    assertThat(find(features, "feature", "chat").get("cost_usd").decimalValue())
        .isEqualByComparingTo(metrics.sinceStart().byProperty("feature").get("chat").costUsd());
  }

  @Test
  void sessionsShowTheirPathTreeWithCostAndRequestCount() throws IOException {
    JsonNode sessions = json("sessions", "--format", "json", "--quiet", logs.toString());
    // 6 sessions of 50 calls, each with two paths.
    assertThat(sessions).hasSize(18);
    JsonNode first = sessions.get(0);
    assertThat(first.get("session").asText()).isEqualTo(sessionId(0));
    assertThat(first.get("requests").asLong()).isEqualTo(50);
    assertThat(first.get("path").asText()).isEqualTo("/");
    assertThat(sessions.get(1).get("path").asText()).isEqualTo("/step0");
    assertThat(sessions.get(1).get("requests").asLong()).isEqualTo(25);

    Run table = cli("sessions", "--quiet", logs.toString());
    assertThat(table.out()).contains("Agent run").contains("  /step1");
  }

  @Test
  void requestsAreFilteredAndPrintedInEachFormat() throws IOException {
    JsonNode errors =
        json("requests", "--status", "error", "--format", "json", "--quiet", logs.toString());
    assertThat(errors).hasSize((int) metrics.sinceStart().total().errors());
    JsonNode limited =
        json(
            "requests",
            "--status",
            "rate_limited",
            "--user",
            "u0",
            "--format",
            "json",
            "--quiet",
            logs.toString());
    assertThat(limited).allSatisfy(r -> assertThat(r.get("user").asText()).isEqualTo("u0"));
    assertThat(limited).hasSize(10);

    Run csv =
        cli(
            "requests",
            "--property",
            "feature=search",
            "--format",
            "csv",
            "--quiet",
            logs.toString());
    assertThat(csv.status()).isZero();
    assertThat(csv.out().lines().count()).isEqualTo(101);
    assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("start,id,type,session");

    Run none = cli("requests", "--since", "2999-01-01", "--quiet", logs.toString());
    assertThat(none.out().lines().count()).isEqualTo(1);
  }

  @Test
  void badLinesAreCountedAndSkippedNeverFatal() throws IOException {
    Path copy = dir.resolve("bad.jsonl");
    Files.copy(logs.resolve("helicone.jsonl"), copy);
    long good = Files.readAllLines(copy).size();
    Files.writeString(
        copy,
        "not json\n{\"schema\":1}\n{truncated",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    Run run = cli("requests", "--format", "csv", copy.toString());
    assertThat(run.status()).isZero();
    assertThat(run.out().lines().count()).isEqualTo(good + 1);
    assertThat(run.err()).contains("skipped").contains("bad.jsonl:" + (good + 1));
  }

  @Test
  void badArgumentsFailWithAClearMessage() {
    assertThat(cli("requests", "--status", "sideways", logs.toString()).err()).contains("--status");
    assertThat(cli("requests", "--since", "yesterday", logs.toString()).err()).contains("--since");
    assertThat(cli("requests", dir.resolve("missing").toString()).err()).contains("no such file");
    assertThat(cli("requests", "--property", "feature", logs.toString()).status()).isNotZero();
  }

  @Test
  void theHtmlReportIsOneOfflinePageWithTheSameFigures() throws IOException {
    Path html = dir.resolve("out/report.html");
    Run run = cli("report", "--html", html.toString(), "--quiet", logs.toString());
    assertThat(run.status()).as(run.err()).isZero();
    String page = Files.readString(html);
    assertThat(page)
        .doesNotContain("src=\"http")
        .doesNotContain("href=\"http")
        .doesNotContain("@import");
    Matcher m =
        Pattern.compile(
                "<script type=\"application/json\" id=\"data\">(.*?)</script>", Pattern.DOTALL)
            .matcher(page);
    assertThat(m.find()).isTrue();
    JsonNode data = JSON.readTree(m.group(1));
    assertThat(data.get("total").get("requests").asLong()).isEqualTo(CALLS);
    assertThat(data.get("total").get("cost").decimalValue())
        .isEqualByComparingTo(metrics.sinceStart().total().costUsd());
    assertThat(data.get("byFeature").get("summarize").get("cost").decimalValue())
        .isEqualByComparingTo(
            metrics.sinceStart().byProperty("feature").get("summarize").costUsd());
    assertThat(data.get("sessions")).hasSize(6);
    assertThat(data.get("sessions").get(0).get("spans")).hasSize(50);
    assertThat(data.get("requests")).hasSize(CALLS);
  }

  static JsonNode find(JsonNode rows, String key, String value) {
    for (JsonNode row : rows) {
      if (value.equals(row.get(key).asText())) {
        return row;
      }
    }
    throw new AssertionError("no row with " + key + "=" + value + " in " + rows);
  }
}
