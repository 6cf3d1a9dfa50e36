package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeSession;
import ai.helicone.export.InMemoryExporter;
import ai.helicone.langchain4j.HeliconeLangChain4j;
import ai.helicone.openai.OpenAiAdapter;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * LangChain4j's OpenAI models, recorded: chat, streaming chat (delivered on another thread, still
 * in the session) and embeddings. An embedded OpenAI-shaped server answers.
 *
 * <p>{@code mvn -B -q -pl examples -am -DskipTests package exec:java
 * -Dexec.mainClass=ai.helicone.examples.LangChain4jExample}
 */
public final class LangChain4jExample {
  private LangChain4jExample() {}

  @SuppressWarnings("try") // the session is opened for its effect on the calls inside it
  public static void main(String[] args) throws Exception {
    InMemoryExporter records = new InMemoryExporter();
    try (FakeOpenAiServer llm = FakeOpenAiServer.start();
        Helicone helicone =
            Helicone.builder()
                .addAdapter(OpenAiAdapter.builder().build())
                .addExporter(records)
                .batchDelay(Duration.ofMillis(50))
                .build()) {
      // The one line of set-up, on each model builder: httpClientBuilder(...).
      OpenAiChatModel chat =
          OpenAiChatModel.builder()
              .baseUrl(llm.baseUrl())
              .apiKey("sk-example-not-real")
              .modelName("gpt-4o-mini")
              .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
              .build();
      OpenAiStreamingChatModel streaming =
          OpenAiStreamingChatModel.builder()
              .baseUrl(llm.baseUrl())
              .apiKey("sk-example-not-real")
              .modelName("gpt-4o-mini")
              .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
              .build();
      OpenAiEmbeddingModel embeddings =
          OpenAiEmbeddingModel.builder()
              .baseUrl(llm.baseUrl())
              .apiKey("sk-example-not-real")
              .modelName("text-embedding-3-small")
              .httpClientBuilder(HeliconeLangChain4j.httpClientBuilder(helicone))
              .build();

      CompletableFuture<ChatResponse> streamed = new CompletableFuture<>();
      try (HeliconeSession session = helicone.session("RAG").userId("user-7").start()) {
        embeddings.embed("How do I reset my password?");
        chat.chat("How do I reset my password?");
        streaming.chat(
            "And my username?",
            new StreamingChatResponseHandler() {
              @Override
              public void onCompleteResponse(ChatResponse response) {
                streamed.complete(response);
              }

              @Override
              public void onError(Throwable error) {
                streamed.completeExceptionally(error);
              }
            });
      }
      streamed.get(30, TimeUnit.SECONDS);
      helicone.flush(Duration.ofSeconds(10));

      System.out.println("LangChain4j calls recorded (look at status, tokens, cost and context):");
      records.records().stream()
          .sorted((a, b) -> a.startTime().compareTo(b.startTime()))
          .forEach(r -> System.out.println("  " + OpenAiJavaExample.describe(r)));
    }
  }
}
