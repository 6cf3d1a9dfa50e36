package ai.helicone.export.http.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.Helicone;
import ai.helicone.HeliconeStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Instrumented calls exported to a collector that is down, then up, with the durable spool. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpoolCollectorTest {
  @TempDir Path spool;
  private MockWebServer llm;
  private final SpoolFixtures.Collector collector = new SpoolFixtures.Collector();

  @BeforeEach
  void start() throws Exception {
    llm = SpoolFixtures.llm();
  }

  @AfterEach
  void stop() throws Exception {
    llm.close();
    collector.close();
  }

  private List<String> callConcurrently(Helicone helicone, int threads, int calls)
      throws Exception {
    OkHttpClient client = helicone.instrument(new OkHttpClient());
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < calls / threads; i++) {
                    ids.add(SpoolFixtures.call(client, llm));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS); // an application call that failed fails the test
      }
    } finally {
      pool.shutdownNow();
    }
    return ids;
  }

  @Test
  void aCollectorDownThenUpGetsEveryRecordExactlyOnce() throws Exception {
    int port = SpoolFixtures.freePort();
    try (Helicone helicone = SpoolFixtures.helicone(spool, SpoolFixtures.collector(port)).build()) {
      List<String> ids = callConcurrently(helicone, 4, 400);
      await().atMost(60, TimeUnit.SECONDS).until(() -> helicone.stats().spooled() == ids.size());
      assertThat(helicone.stats().exported()).isZero();

      collector.start(port); // the collector comes back
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> new HashSet<>(collector.received()).containsAll(ids));
      List<String> more = callConcurrently(helicone, 2, 50);
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();

      List<String> all = new ArrayList<>(ids);
      all.addAll(more);
      assertThat(collector.received()).hasSize(all.size()); // none twice
      assertThat(collector.received()).containsExactlyInAnyOrderElementsOf(all); // none lost
      HeliconeStats stats = helicone.stats();
      assertThat(stats.resent()).isEqualTo(ids.size());
      assertThat(stats.exported()).isEqualTo(more.size());
      assertThat(stats.spooled()).isZero();
      assertThat(stats.failed() + stats.dropped() + stats.spoolDropped()).isZero();
    }
  }

  @Test
  void aNewInstanceDeliversWhatTheClosedOneKeptInTheSpool() throws Exception {
    int port = SpoolFixtures.freePort();
    List<String> ids;
    Helicone first = SpoolFixtures.helicone(spool, SpoolFixtures.collector(port)).build();
    try {
      ids = callConcurrently(first, 2, 100);
    } finally {
      first.close(); // the collector is down: nothing is delivered, everything is spooled
    }
    assertThat(first.stats().spooled()).isEqualTo(ids.size());
    assertThat(first.stats().failed() + first.stats().dropped()).isZero();

    collector.start(port);
    try (Helicone second = SpoolFixtures.helicone(spool, SpoolFixtures.collector(port)).build()) {
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(() -> new HashSet<>(collector.received()).containsAll(ids));
      assertThat(second.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(collector.received()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(second.stats().resent()).isEqualTo(ids.size());
      assertThat(second.stats().spooled()).isZero();
    }
  }
}
