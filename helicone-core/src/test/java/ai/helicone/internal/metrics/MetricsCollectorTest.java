package ai.helicone.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.helicone.budget.AlertListener;
import ai.helicone.budget.BurstAlert;
import ai.helicone.internal.Diagnostics;
import ai.helicone.metrics.HeliconeMetrics;
import ai.helicone.record.HeliconeRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsCollectorTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<BurstAlert> bursts = new CopyOnWriteArrayList<>();
  private MetricsCollector collector;

  private MetricsCollector collector(List<BurstRule> rules) {
    AlertListener alerts =
        new AlertListener() {
          @Override
          public void burst(BurstAlert alert) {
            bursts.add(alert);
          }
        };
    collector =
        new MetricsCollector(
            new MetricsCollector.Settings(Duration.ofSeconds(30), 10, 5),
            new BudgetTracker(List.of(), alerts, e -> {}, clock::get),
            rules,
            List.of(),
            alerts,
            new Diagnostics(),
            clock::get);
    collector.start();
    return collector;
  }

  @AfterEach
  void close() {
    if (collector != null) {
      collector.close(Duration.ofSeconds(5));
    }
  }

  private void offerAndAwait(HeliconeRecord r, long expectedTotal) {
    collector.offer(() -> r, () -> {});
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> collector.snapshot().sinceStart().total().requests() == expectedTotal);
  }

  @Test
  void theWindowForgetsCallsOlderThanItsLengthWhileTheTotalsSinceStartKeepThem() {
    collector(List.of());
    for (int i = 0; i < 5; i++) {
      offerAndAwait(MetricsTreeTest.fixture(i + 1), i + 1);
    }
    assertThat(collector.snapshot().window().total().requests()).isEqualTo(5);

    clock.addAndGet(Duration.ofSeconds(20).toMillis());
    offerAndAwait(MetricsTreeTest.fixture(7), 6);
    assertThat(collector.snapshot().window().total().requests()).isEqualTo(6);

    // 41 s after the first calls: more than the window and its step (30 s + 10 s).
    clock.addAndGet(Duration.ofSeconds(21).toMillis());
    HeliconeMetrics m = collector.snapshot();
    assertThat(m.window().total().requests()).isEqualTo(1);
    assertThat(m.sinceStart().total().requests()).isEqualTo(6);

    clock.addAndGet(Duration.ofSeconds(60).toMillis());
    assertThat(collector.snapshot().window().total().requests()).isZero();
    assertThat(collector.snapshot().windowLength()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anErrorBurstIsReportedOnceWithinItsWindow() {
    collector(List.of(new BurstRule(BurstAlert.Kind.ERRORS, 3, Duration.ofSeconds(10))));
    // fixture(10), (20), (30) are errors that are not rate limits; (25) is a 429.
    int[] errorsAndOthers = {10, 2, 20, 25, 30, 40, 60};
    for (int k = 0; k < errorsAndOthers.length; k++) {
      offerAndAwait(MetricsTreeTest.fixture(errorsAndOthers[k]), k + 1);
    }
    assertThat(bursts).hasSize(1);
    assertThat(bursts.get(0).kind()).isEqualTo(BurstAlert.Kind.ERRORS);
    assertThat(bursts.get(0).count()).isEqualTo(3);

    clock.addAndGet(Duration.ofSeconds(11).toMillis());
    for (int k = 0; k < 3; k++) {
      offerAndAwait(MetricsTreeTest.fixture(70 + 10 * k), errorsAndOthers.length + k + 1);
    }
    assertThat(bursts).hasSize(2);
  }

  @Test
  void aRateLimitBurstIsItsOwnKind() {
    collector(List.of(new BurstRule(BurstAlert.Kind.RATE_LIMITS, 2, Duration.ofSeconds(10))));
    offerAndAwait(MetricsTreeTest.fixture(25), 1);
    offerAndAwait(MetricsTreeTest.fixture(10), 2);
    assertThat(bursts).isEmpty();
    offerAndAwait(MetricsTreeTest.fixture(50), 3);
    assertThat(bursts)
        .singleElement()
        .extracting(BurstAlert::kind)
        .isEqualTo(BurstAlert.Kind.RATE_LIMITS);
  }
}
