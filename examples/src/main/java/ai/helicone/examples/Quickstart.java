package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.TraceKind;
import ai.helicone.export.ConsoleExporter;
import ai.helicone.export.JsonLinesExporter;
import ai.helicone.openai.OpenAiAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The quickstart: one session with two paths, a plain and a streamed chat call, a vector search and
 * a tool call, against an embedded OpenAI-shaped server. Prints each record and the session tree,
 * and writes the records to {@code helicone-logs/helicone.jsonl}. Needs no key and no network.
 */
public final class Quickstart {
  private static final MediaType JSON = MediaType.get("application/json");

  private Quickstart() {}

  @SuppressWarnings("try") // scopes are opened for their effect on the calls inside them
  public static void main(String[] args) {
    Path jsonLines = Path.of(args.length > 0 ? args[0] : "helicone-logs/helicone.jsonl");
    try (FakeOpenAiServer llm = FakeOpenAiServer.start();
        Helicone helicone =
            Helicone.builder()
                .serviceName("quickstart")
                .addAdapter(OpenAiAdapter.builder().includeUsageInStreams(true).build())
                .addExporter(JsonLinesExporter.builder().file(jsonLines).build())
                .addExporter(new ConsoleExporter())
                .batchDelay(Duration.ofMillis(100))
                .build()) {
      OkHttpClient base = new OkHttpClient();
      OkHttpClient client = helicone.instrument(base);

      try (HeliconeSession session =
          helicone
              .session("Document Analyzer")
              .userId("user-123")
              .property("Environment", "development")
              .start()) {
        try (HeliconeScope analyze = session.path("/analyze")) {
          chat(client, llm, "Summarize the quarterly report in two sentences.", false);
          List<String> hits =
              helicone
                  .trace("search-docs")
                  .kind(TraceKind.VECTOR_DB)
                  .input("quarterly revenue")
                  .call(() -> List.of("report-q3.pdf#p4", "report-q3.pdf#p9"));
          try (HeliconeScope summary = session.path("/analyze/summary")) {
            chat(client, llm, "Write a title for: " + String.join(", ", hits), true);
          }
        }
        String weather =
            helicone.trace("get-weather").kind(TraceKind.TOOL).input("Paris").call(() -> "21°C");
        System.out.println("tool answered: " + weather);
      }

      helicone.flush(Duration.ofSeconds(10));
      Clients.release(base);
      System.out.println();
      System.out.println("Above: each record as the console exporter prints it, then the session");
      System.out.println(
          "tree: one session, the paths /analyze and /analyze/summary, two chat calls");
      System.out.println("(model, tokens, cost, time to first token) and two traces.");
      System.out.println("Records written to " + jsonLines.toAbsolutePath());
      System.out.println("(one JSON object per line; README.md lists the fields). To see them in");
      System.out.println("Helicone, add .addExporter(HeliconeHttpExporter.fromEnv()).");
    }
  }

  private static void chat(
      OkHttpClient client, FakeOpenAiServer llm, String prompt, boolean stream) {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\""
            + prompt.replace("\"", "\\\"")
            + "\"}]}";
    Request request =
        new Request.Builder()
            .url(llm.baseUrl() + "/chat/completions")
            // A made-up key: it is sent to the local server but never recorded or printed.
            .header("Authorization", "Bearer sk-example-not-a-real-key")
            .post(RequestBody.create(body, JSON))
            .build();
    try (Response response = client.newCall(request).execute()) {
      String text = response.body() != null ? response.body().string() : "";
      System.out.println(
          (stream ? "streamed " : "received ") + text.length() + " bytes, HTTP " + response.code());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
