package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.openai.OpenAiAdapter;
import ai.helicone.openaijava.HeliconeOpenAi;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Spring AI 2's {@code OpenAiChatModel}, recorded: it runs on openai-java clients, so the clients
 * made by {@link HeliconeOpenAi} are handed to it. One plain call and one stream in a session with
 * a user and a property. An embedded OpenAI-shaped server answers; with a real key, use {@code
 * OpenAIOkHttpClient.builder().fromEnv()} instead of the base URL. With Spring Boot, the model
 * built here is the bean to declare.
 *
 * <p>{@code mvn -B -q -pl examples -am -DskipTests package exec:java
 * -Dexec.mainClass=ai.helicone.examples.SpringAiExample}
 */
public final class SpringAiExample {
  private SpringAiExample() {}

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
      // call(...) goes through the sync client, stream(...) through the async one.
      OpenAiChatModel model =
          OpenAiChatModel.builder()
              .openAiClient(client)
              .openAiClientAsync(async)
              .options(OpenAiChatOptions.builder().model("gpt-4o-mini").build())
              .build();

      try (HeliconeSession session =
              helicone
                  .session("Spring Helpdesk")
                  .userId("user-21")
                  .property("Tier", "gold")
                  .start();
          HeliconeScope step = session.path("/reply")) {
        String answer = model.call("How do I reset my password?");
        System.out.println("call:   " + answer);
        // Subscribed on this thread, so the stream carries the session, user and property.
        List<ChatResponse> chunks =
            model.stream(new Prompt("And how do I change my e-mail address?"))
                .collectList()
                .block(Duration.ofSeconds(30));
        System.out.println("stream: " + text(Objects.requireNonNull(chunks)));
      } finally {
        // The model does not own the clients: closing them stops their OkHttp threads.
        client.close();
        async.close();
      }
      helicone.flush(Duration.ofSeconds(10));

      System.out.println(
          "Spring AI calls recorded (look at model, tokens, cost, time to first token of the"
              + " stream, and the session and user):");
      records.records().stream()
          .sorted((a, b) -> a.startTime().compareTo(b.startTime()))
          .forEach(r -> System.out.println("  " + OpenAiJavaExample.describe(r)));
    }
  }

  private static String text(List<ChatResponse> chunks) {
    return chunks.stream()
        .filter(r -> r.getResult() != null)
        .map(r -> r.getResult().getOutput().getText())
        .filter(Objects::nonNull)
        .collect(Collectors.joining());
  }
}
