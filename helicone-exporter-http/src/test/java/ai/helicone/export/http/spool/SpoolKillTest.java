package ai.helicone.export.http.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.Helicone;
import ai.helicone.HeliconeStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process under load is killed (SIGKILL, no shutdown hook runs); a new instance on the same spool
 * re-sends what reached it. Only records not yet written to the spool may be lost.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SpoolKillTest {
  @TempDir Path spool;

  @Test
  void afterAKillANewInstanceReSendsEverySpooledRecordIntact() throws Exception {
    int port = SpoolFixtures.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                SpoolLoadChild.class.getName(),
                spool.toString(),
                Integer.toString(port))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Set<String> completed = ConcurrentHashMap.newKeySet();
    AtomicLong lines = new AtomicLong();
    CountDownLatch enough = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.startsWith("done ")) {
                    completed.add(line.substring(5));
                    if (lines.incrementAndGet() >= 1500) {
                      enough.countDown();
                    }
                  }
                }
              } catch (java.io.IOException e) {
                // the child is gone
              }
            });
    reader.start();
    try {
      assertThat(enough.await(120, TimeUnit.SECONDS)).as("the child made 1500 calls").isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL on Unix: no close, no shutdown hook
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    Path[] dirs;
    try (var list = Files.list(spool)) {
      dirs = list.toArray(Path[]::new);
    }
    assertThat(dirs).hasSize(1); // one exporter, one spool directory

    SpoolFixtures.Collector collector = new SpoolFixtures.Collector();
    collector.start(port);
    try (Helicone helicone = SpoolFixtures.helicone(spool, SpoolFixtures.collector(port)).build()) {
      await()
          .atMost(90, TimeUnit.SECONDS)
          .until(
              () ->
                  helicone.stats().spooled() == 0
                      && collector.ids.size() == helicone.stats().resent());
      assertThat(helicone.flush(Duration.ofSeconds(30))).isTrue();
      HeliconeStats stats = helicone.stats();
      List<String> received = collector.received();
      Set<String> unique = new HashSet<>(received);

      // Every record read back was whole, belongs to a call the child made, and came once.
      assertThat(unique).hasSize(received.size());
      assertThat(completed).containsAll(unique);
      assertThat(stats.resent()).isEqualTo(received.size());
      // At most the entry being written when the process died is torn (and dropped).
      assertThat(stats.spoolDropped()).isLessThanOrEqualTo(1);
      Set<String> lost = new HashSet<>(completed);
      lost.removeAll(unique);
      System.out.printf(
          "spool kill -9: %d calls completed, %d re-sent after the restart, %d lost"
              + " (not yet written to the spool), %d torn entries dropped%n",
          completed.size(), unique.size(), lost.size(), stats.spoolDropped());
      // Only what was still in memory (queue, batch under way) can be missing.
      assertThat(lost.size()).isLessThan(completed.size() / 2);
    } finally {
      collector.close();
    }
  }
}
