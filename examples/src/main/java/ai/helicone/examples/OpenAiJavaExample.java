package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.openaijava.HeliconeOpenAi;
import ai.helicone.record.HeliconeRecord;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The official openai-java SDK, recorded: a plain call, a stream, an async call and an async stream
 * in one session. The async calls run on the SDK's own threads and still carry the session, user
 * and properties. An embedded OpenAI-shaped server answers; with a real key, use {@code
 * OpenAIOkHttpClient.builder().fromEnv()} instead of the base URL.
 *
 * <p>{@code mvn -B -q -pl examples -am -DskipTests package exec:java
 * -Dexec.mainClass=ai.helicone.examples.OpenAiJavaExample}
 */
public final class OpenAiJavaExample {
  private OpenAiJavaExample() {}

  @SuppressWarnings("try") // scopes are opened for their effect on the calls inside them
  public static void main(String[] args) throws Exception {
    InMemoryExporter records = new InMemoryExporter();
    try (FakeOpenAiServer llm = FakeOpenAiServer.start();
        Helicone helicone =
            Helicone.builder()
                // openai-java does not ask for usage in streams; the adapter adds the option.
                .addAdapter(OpenAiAdapter.builder().includeUsageInStreams(true).build())
                .addExporter(records)
                .batchDelay(Duration.ofMillis(50))
                .build()) {
      // The two lines of set-up: the SDK's builders, handed to HeliconeOpenAi.
      OpenAIClient client =
          HeliconeOpenAi.instrument(
              helicone,
              OpenAIOkHttpClient.builder().baseUrl(llm.baseUrl()).apiKey("sk-example-not-real"));
      OpenAIClientAsync async =
          HeliconeOpenAi.instrument(
              helicone,
              OpenAIOkHttpClientAsync.builder()
                  .baseUrl(llm.baseUrl())
                  .apiKey("sk-example-not-real"));

      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model("gpt-4o-mini")
              .addUserMessage("What is observability?")
              .build();
      try (HeliconeSession session =
              helicone.session("Support bot").userId("user-42").property("Plan", "pro").start();
          HeliconeScope step = session.path("/answer")) {
        client.chat().completions().create(params);
        try (StreamResponse<ChatCompletionChunk> stream =
            client.chat().completions().createStreaming(params)) {
          stream.stream().forEach(chunk -> {});
        }
        async.chat().completions().create(params).get(30, TimeUnit.SECONDS);
        async
            .chat()
            .completions()
            .createStreaming(params)
            .subscribe(chunk -> {})
            .onCompleteFuture()
            .get(30, TimeUnit.SECONDS);
      } finally {
        client.close();
        async.close();
      }
      helicone.flush(Duration.ofSeconds(10));

      System.out.println("openai-java calls recorded (look at status, tokens, cost and context):");
      records.records().stream()
          .sorted((a, b) -> a.startTime().compareTo(b.startTime()))
          .forEach(r -> System.out.println("  " + describe(r)));
    }
  }

  static String describe(HeliconeRecord r) {
    return String.format(
        "%-10s %-6s %-8s model=%s tokens=%s+%s cost=$%s ttft=%s user=%s session=%s%s properties=%s",
        r.operation(),
        r.stream() ? "stream" : "plain",
        r.status().name().toLowerCase(java.util.Locale.ROOT),
        r.model(),
        r.usage() == null || r.usage().inputTokens() == null ? "-" : r.usage().inputTokens(),
        r.usage() == null || r.usage().outputTokens() == null ? "-" : r.usage().outputTokens(),
        r.costUsd() == null ? "?" : r.costUsd().toPlainString(),
        r.timeToFirstToken() == null ? "-" : r.timeToFirstToken().toMillis() + "ms",
        r.userId(),
        r.sessionName(),
        r.sessionPath() == null ? "" : r.sessionPath(),
        r.properties());
  }
}
