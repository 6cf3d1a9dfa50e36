package ai.helicone.examples;

import ai.helicone.Helicone;
import ai.helicone.HeliconeScope;
import ai.helicone.HeliconeSession;
import ai.helicone.HeliconeTrace;
import ai.helicone.TraceKind;
import ai.helicone.export.ConsoleExporter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An agent workflow as one session tree: a planning call, tools and a database lookup as custom
 * traces, research calls fanned out on a thread pool ({@code helicone.wrap(executor)} carries the
 * session there) and an asynchronous {@code enqueue()} call. Runs offline against an embedded
 * OpenAI-shaped server and prints the tree when the session closes.
 *
 * <p>{@code mvn -B -pl examples -am -DskipTests package exec:java
 * -Dexec.mainClass=ai.helicone.examples.AgentExample}
 */
public final class AgentExample {
  private static final MediaType JSON = MediaType.get("application/json");

  private AgentExample() {}

  @SuppressWarnings("try") // scopes are opened for their effect on the calls inside them
  public static void main(String[] args) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    OkHttpClient base = new OkHttpClient();
    try (FakeOpenAiServer llm = FakeOpenAiServer.start();
        Helicone helicone =
            Helicone.builder()
                .serviceName("agent-example")
                .addExporter(new ConsoleExporter())
                .batchDelay(Duration.ofMillis(50))
                .build()) {
      OkHttpClient client = helicone.instrument(base);

      try (HeliconeSession session =
          helicone.session("Travel Agent").userId("traveller-7").property("Plan", "pro").start()) {
        try (HeliconeScope plan = session.path("/plan")) {
          call(client, llm, "Plan three days in Lisbon");
        }

        try (HeliconeScope research = session.path("/research")) {
          // Each task runs on a pool thread but belongs to this session and path.
          var onPool = helicone.wrap(pool);
          List<CompletableFuture<Void>> tasks = new ArrayList<>();
          for (String topic : List.of("museums", "food markets", "day trips")) {
            tasks.add(CompletableFuture.runAsync(() -> call(client, llm, "Best " + topic), onPool));
          }
          CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();

          String forecast =
              helicone
                  .trace("get-weather")
                  .kind(TraceKind.TOOL)
                  .input(Map.of("city", "Lisbon", "days", 3))
                  .call(() -> "sunny, 24°C");
          System.out.println("weather tool: " + forecast);
        }

        try (HeliconeScope book = session.path("/book");
            HeliconeTrace lookup =
                helicone
                    .trace("find-hotels")
                    .kind(TraceKind.DATABASE)
                    .input("city=Lisbon")
                    .start()) {
          lookup.output(List.of("Hotel Tejo", "Casa Alfama"));
          enqueueAndWait(client, llm, "Write a booking request for Casa Alfama");
        }
      }
      helicone.flush(Duration.ofSeconds(10));
      System.out.println();
      System.out.println(
          "Above: the agent run as one session tree. /research holds the three calls");
      System.out.println(
          "made on pool threads (helicone.wrap(executor)) and the weather tool; /book");
      System.out.println("holds the enqueue() call, made on OkHttp's dispatcher thread.");
    } finally {
      pool.shutdown();
      Clients.release(base); // enqueue() started dispatcher threads that would linger for 60 s
    }
  }

  private static void call(OkHttpClient client, FakeOpenAiServer llm, String prompt) {
    try (Response response = client.newCall(request(llm, prompt)).execute()) {
      response.body().string();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void enqueueAndWait(OkHttpClient client, FakeOpenAiServer llm, String prompt)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    // The call's context is taken here, at newCall, so the dispatcher thread does not need it.
    client
        .newCall(request(llm, prompt))
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                  response.body().string();
                } finally {
                  done.countDown();
                }
              }

              @Override
              public void onFailure(Call call, IOException e) {
                done.countDown();
              }
            });
    done.await(10, TimeUnit.SECONDS);
  }

  private static Request request(FakeOpenAiServer llm, String prompt) {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + prompt
            + "\"}]}";
    return new Request.Builder()
        .url(llm.baseUrl() + "/chat/completions")
        .post(RequestBody.create(body, JSON))
        .build();
  }
}
