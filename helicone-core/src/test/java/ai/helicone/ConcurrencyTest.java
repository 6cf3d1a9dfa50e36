package ai.helicone;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.export.InMemoryExporter;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are opened for their effect on the thread
class ConcurrencyTest {
  private static final int THREADS = 32;
  private static final int CALLS = 200;
  private static final Pattern BODY = Pattern.compile("\"thread\":(\\d+),\"call\":(\\d+)");

  @Test
  void everyRecordCarriesItsOwnThreadsMetadata() throws Exception {
    InMemoryExporter exporter = new InMemoryExporter();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequestsPerHost(THREADS);
    try (LoopbackLlm llm = new LoopbackLlm();
        Helicone helicone =
            Helicone.builder()
                .addExporter(exporter)
                .queueCapacity(THREADS * CALLS)
                .batchDelay(Duration.ofMillis(5))
                .build()) {
      OkHttpClient client =
          helicone.instrument(
              new OkHttpClient.Builder()
                  .dispatcher(dispatcher)
                  .connectionPool(new ConnectionPool(THREADS, 1, TimeUnit.MINUTES))
                  .build());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> sessions = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        sessions.add(
            pool.submit(
                () -> {
                  go.await();
                  try (HeliconeSession session =
                      helicone
                          .session("worker-" + thread)
                          .userId("user-" + thread)
                          .property("Thread", String.valueOf(thread))
                          .start()) {
                    for (int i = 0; i < CALLS; i++) {
                      // Odd calls go through enqueue, so dispatcher threads are exercised too.
                      String body =
                          "{\"model\":\"gpt-4o\",\"thread\":" + thread + ",\"call\":" + i + "}";
                      try (HeliconeScope step = session.path("/call/" + i)) {
                        if (i % 2 == 0) {
                          LoopbackLlm.call(client, llm.chat(body));
                        } else {
                          enqueueAndWait(client, llm, body);
                        }
                      }
                    }
                    return session.id();
                  }
                }));
      }
      go.countDown();
      List<String> sessionIds = new ArrayList<>();
      for (Future<String> f : sessions) {
        sessionIds.add(f.get(120, TimeUnit.SECONDS));
      }

      assertThat(helicone.flush(Duration.ofSeconds(60))).isTrue();
      List<HeliconeRecord> records = exporter.records();
      assertThat(records).hasSize(THREADS * CALLS);
      assertThat(helicone.stats().dropped()).isZero();
      Set<String> seen = new HashSet<>();
      for (HeliconeRecord r : records) {
        Matcher m = BODY.matcher(r.request().body().text());
        assertThat(m.find()).isTrue();
        int thread = Integer.parseInt(m.group(1));
        String call = m.group(2);
        assertThat(r.status()).isEqualTo(RecordStatus.SUCCESS);
        assertThat(r.userId()).isEqualTo("user-" + thread);
        assertThat(r.sessionId()).isEqualTo(sessionIds.get(thread));
        assertThat(r.sessionName()).isEqualTo("worker-" + thread);
        assertThat(r.sessionPath()).isEqualTo("/call/" + call);
        assertThat(r.properties()).containsEntry("Thread", String.valueOf(thread)).hasSize(1);
        assertThat(seen.add(thread + "/" + call)).isTrue();
      }
      assertThat(new HashSet<>(exporter.endedSessions()))
          .containsExactlyInAnyOrderElementsOf(sessionIds);
      LoopbackLlm.shutdown(client);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void enqueueAndWait(OkHttpClient client, LoopbackLlm llm, String body)
      throws Exception {
    java.util.concurrent.CompletableFuture<Void> done =
        new java.util.concurrent.CompletableFuture<>();
    client
        .newCall(llm.chat(body))
        .enqueue(
            new okhttp3.Callback() {
              @Override
              public void onFailure(okhttp3.Call call, java.io.IOException e) {
                done.completeExceptionally(e);
              }

              @Override
              public void onResponse(okhttp3.Call call, okhttp3.Response response)
                  throws java.io.IOException {
                try (response) {
                  response.body().string();
                }
                done.complete(null);
              }
            });
    done.get(30, TimeUnit.SECONDS);
  }
}
