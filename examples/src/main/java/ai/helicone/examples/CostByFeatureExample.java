package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.cli.HeliconeCli;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.metrics.Aggregate;
import ai.helicone.metrics.MetricsView;
import ai.helicone.openai.OpenAiAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Cost by feature and by user, live and from the files: three features of an application call the
 * embedded model for a few users; {@code helicone.metrics()} shows cost, tokens and latency per
 * feature while the application runs, and the CLI shows the same figures from the JSON Lines file
 * afterwards and writes an offline HTML report next to it.
 */
public final class CostByFeatureExample {
  private static final MediaType JSON = MediaType.get("application/json");

  private CostByFeatureExample() {}

  @SuppressWarnings("try") // scopes are opened for their effect on the calls inside them
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "helicone-logs/cost-by-feature");
    Path jsonLines = dir.resolve("helicone.jsonl");
    OkHttpClient plain = new OkHttpClient();
    try (FakeOpenAiServer llm = FakeOpenAiServer.start();
        Helicone helicone =
            Helicone.builder()
                .serviceName("cost-by-feature")
                .addAdapter(OpenAiAdapter.builder().includeUsageInStreams(true).build())
                .addExporter(JsonLinesExporter.builder().file(jsonLines).build())
                .batchDelay(Duration.ofMillis(50))
                .build()) {
      OkHttpClient client = helicone.instrument(plain);
      String[][] work = {
        {"search", "Find the refund policy for annual plans."},
        {"summarize", "Summarize this support ticket about a delayed delivery in one line."},
        {"chat", "Hello! Can you help me change my shipping address?"},
      };
      for (int customer = 0; customer < 4; customer++) {
        try (HeliconeSession session =
            helicone.session("Support chat").userId("customer-" + customer).start()) {
          for (int i = 0; i < work.length; i++) {
            String[] task = work[i];
            try (HeliconeScope path = session.path("/" + task[0]);
                HeliconeScope scope = helicone.context().property("feature", task[0]).attach()) {
              chat(client, llm, task[1], (customer + i) % 2 == 0);
            }
          }
        }
      }
      helicone.flush(Duration.ofSeconds(10));

      MetricsView view = helicone.metrics().sinceStart();
      System.out.println("Live, from helicone.metrics():");
      print("feature", view.byProperty("feature"));
      print("user", view.byUser());
    } finally {
      plain.dispatcher().executorService().shutdown();
      plain.connectionPool().evictAll();
    }

    System.out.println();
    System.out.println("From the file, with the CLI (helicone properties --by feature):");
    HeliconeCli.run(
        new String[] {"properties", "--by", "feature", "--quiet", jsonLines.toString()},
        System.out,
        System.err);
    Path report = dir.resolve("report.html");
    HeliconeCli.run(
        new String[] {"report", "--html", report.toString(), "--quiet", jsonLines.toString()},
        System.out,
        System.err);
    System.out.println("Open " + report.toAbsolutePath() + " in a browser (works offline).");
  }

  private static void print(String key, Map<String, Aggregate> groups) {
    System.out.printf(
        Locale.ROOT,
        "  %-12s %8s %12s %10s %10s%n",
        key,
        "requests",
        "cost USD",
        "tokens",
        "p50 ms");
    groups.forEach(
        (k, a) ->
            System.out.printf(
                Locale.ROOT,
                "  %-12s %8d %12.6f %10d %10.1f%n",
                k,
                a.requests(),
                a.costUsd(),
                a.inputTokens() + a.outputTokens(),
                a.latency().p50().toNanos() / 1e6));
  }

  static void chat(OkHttpClient client, FakeOpenAiServer llm, String prompt, boolean stream) {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + prompt.replace("\"", "\\\"")
            + "\"}]}";
    Request request =
        new Request.Builder()
            .url(llm.baseUrl() + "/chat/completions")
            .post(RequestBody.create(body, JSON))
            .build();
    try (Response response = client.newCall(request).execute()) {
      if (response.body() != null) {
        response.body().string();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
