package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeSession;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * The official google-genai client, recorded: its {@code customHttpClient} option takes an
 * instrumented OkHttp client. An embedded Gemini-shaped server answers here; drop {@code
 * httpOptions} (and use your real key) to call Gemini.
 *
 * <p>{@code mvn -B -q -pl examples -am -DskipTests package exec:java
 * -Dexec.mainClass=ai.helicone.examples.GoogleGenAiExample}
 */
public final class GoogleGenAiExample {
  private GoogleGenAiExample() {}

  @SuppressWarnings("try") // the session is opened for its effect on the calls inside it
  public static void main(String[] args) {
    InMemoryExporter records = new InMemoryExporter();
    try (FakeGeminiServer gemini = FakeGeminiServer.start();
        Helicone helicone = Helicone.builder().addExporter(records).build()) {
      OkHttpClient okHttp = helicone.instrument(new OkHttpClient());
      try (Client client =
          Client.builder()
              .apiKey("AIza-example-not-a-real-key")
              .clientOptions(ClientOptions.builder().customHttpClient(okHttp).build())
              .httpOptions(HttpOptions.builder().baseUrl(gemini.baseUrl()).build())
              .build()) {
        try (HeliconeSession session =
            helicone.session("Daily Planner").userId("user-1").property("App", "web").start()) {
          GenerateContentResponse answer =
              client.models.generateContent("gemini-2.5-flash", "Plan my morning.", null);
          System.out.println("answer:   " + answer.text());
          StringBuilder streamed = new StringBuilder();
          try (ResponseStream<GenerateContentResponse> stream =
              client.models.generateContentStream("gemini-2.5-flash", "And the evening?", null)) {
            for (GenerateContentResponse chunk : stream) {
              streamed.append(chunk.text());
            }
          }
          System.out.println("streamed: " + streamed);
        }
      }
      helicone.flush(Duration.ofSeconds(10));
      for (HeliconeRecord r : records.records()) {
        System.out.printf(
            "%s %s %s stream=%s tokens in=%d out=%d (reasoning %d) cost=$%s ttft=%s"
                + " session=%s user=%s%n",
            r.provider(),
            r.operation(),
            r.model(),
            r.stream(),
            r.usage().inputTokens(),
            r.usage().outputTokens(),
            r.usage().reasoningTokens(),
            r.costUsd() == null ? "unknown" : r.costUsd().toPlainString(),
            r.timeToFirstToken() == null ? "-" : r.timeToFirstToken().toMillis() + "ms",
            r.sessionName(),
            r.userId());
      }
    }
  }
}
