package ai.helicone.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.helicone.metrics.Aggregate;
import ai.helicone.metrics.MetricsView;
import ai.helicone.record.CapturedResponse;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class MetricsTreeTest {

  /** Record i of a fixture whose figures the tests compute by hand. */
  public static HeliconeRecord fixture(int i) {
    boolean rateLimited = i % 25 == 0;
    RecordStatus status =
        rateLimited || i % 10 == 0
            ? RecordStatus.ERROR
            : i % 30 == 1 ? RecordStatus.CANCELLED : RecordStatus.SUCCESS;
    HeliconeRecord.Builder b =
        HeliconeRecord.builder()
            .type(RecordType.LLM)
            .id("00000000-0000-4000-8000-" + String.format("%012d", i))
            .provider(i % 2 == 0 ? "openai" : "anthropic")
            .model("model-" + (i % 3))
            .operation("chat")
            .userId(i % 7 == 0 ? null : "user-" + (i % 5))
            .sessionId("session-" + (i / 50))
            .properties(Map.of("feature", i % 4 == 0 ? "search" : "chat"))
            .startTime(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i))
            .endTime(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i).plusMillis(100 + i))
            .duration(Duration.ofMillis(100 + i))
            .status(status)
            .response(
                new CapturedResponse(rateLimited ? 429 : 200, Map.of(), null, null, false, false));
    if (i % 3 == 0) {
      b.timeToFirstToken(Duration.ofMillis(10 + i));
    }
    if (!rateLimited) {
      b.usage(
          Usage.builder()
              .inputTokens(100L + i)
              .outputTokens(10L + i)
              .cachedInputTokens(i % 2 == 0 ? 50L : 0L)
              .reasoningTokens(i % 5 == 0 ? 3L : null)
              .estimated(i % 11 == 0)
              .build());
      if (i % 13 != 0) {
        b.costUsd(new BigDecimal("0.000001").multiply(BigDecimal.valueOf(i)));
      }
    }
    return b.build();
  }

  @Test
  void totalsMatchHandComputedFiguresOverSeveralHundredRecords() {
    int n = 400;
    MetricsTree tree = MetricsTree.unbounded();
    long errors = 0;
    long rateLimited = 0;
    long cancelled = 0;
    long input = 0;
    long output = 0;
    long cached = 0;
    long reasoning = 0;
    long estimated = 0;
    long unpriced = 0;
    BigDecimal cost = BigDecimal.ZERO;
    List<Long> latencies = new ArrayList<>();
    List<Long> ttfts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HeliconeRecord r = fixture(i);
      tree.add(r);
      if (i % 25 == 0) {
        rateLimited++;
      } else if (i % 10 == 0) {
        errors++;
      } else if (i % 30 == 1) {
        cancelled++;
      }
      if (i % 25 != 0) {
        input += 100 + i;
        output += 10 + i;
        cached += i % 2 == 0 ? 50 : 0;
        reasoning += i % 5 == 0 ? 3 : 0;
        estimated += i % 11 == 0 ? 1 : 0;
        if (i % 13 != 0) {
          cost = cost.add(new BigDecimal("0.000001").multiply(BigDecimal.valueOf(i)));
        } else {
          unpriced++;
        }
      }
      latencies.add(100L + i);
      if (i % 3 == 0) {
        ttfts.add(10L + i);
      }
    }
    // A trace is not an LLM call.
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    tree.add(
        HeliconeRecord.builder()
            .type(RecordType.TRACE)
            .id("trace-1")
            .name("tool")
            .startTime(t)
            .endTime(t)
            .duration(Duration.ZERO)
            .status(RecordStatus.SUCCESS)
            .build());

    Aggregate total = tree.view().total();
    assertThat(total.requests()).isEqualTo(n);
    assertThat(total.errors()).isEqualTo(errors);
    assertThat(total.rateLimited()).isEqualTo(rateLimited);
    assertThat(total.cancelled()).isEqualTo(cancelled);
    assertThat(total.inputTokens()).isEqualTo(input);
    assertThat(total.outputTokens()).isEqualTo(output);
    assertThat(total.cachedInputTokens()).isEqualTo(cached);
    assertThat(total.reasoningTokens()).isEqualTo(reasoning);
    assertThat(total.estimatedRequests()).isEqualTo(estimated);
    assertThat(total.unpricedRequests()).isEqualTo(unpriced);
    assertThat(total.costUsd()).isEqualByComparingTo(cost);
    assertThat(total.cacheHitRate()).isEqualTo((double) cached / input);
    assertThat(total.errorRate()).isEqualTo((double) errors / n);
    assertPercentile(total.latency().p50(), latencies, 50);
    assertPercentile(total.latency().p95(), latencies, 95);
    assertPercentile(total.latency().p99(), latencies, 99);
    assertThat(total.latency().count()).isEqualTo(n);
    assertThat(total.timeToFirstToken().count()).isEqualTo(ttfts.size());
    assertPercentile(total.timeToFirstToken().p50(), ttfts, 50);
    assertPercentile(total.timeToFirstToken().p99(), ttfts, 99);
  }

  /** HdrHistogram with two significant digits: within 1% of the exact nearest-rank value. */
  static void assertPercentile(Duration actual, List<Long> millis, double percentile) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100 * sorted.size());
    long exact = sorted.get(Math.max(0, rank - 1));
    assertThat((double) actual.toNanos() / 1_000_000).isCloseTo(exact, withinPercent(1.0));
  }

  private static org.assertj.core.data.Percentage withinPercent(double p) {
    return org.assertj.core.data.Percentage.withPercentage(p);
  }

  @Test
  void groupingsAddUpToTheTotal() {
    MetricsTree tree = MetricsTree.unbounded();
    for (int i = 0; i < 300; i++) {
      tree.add(fixture(i));
    }
    MetricsView view = tree.view();
    for (Map<String, Aggregate> grouping :
        List.of(
            view.byProvider(),
            view.byModel(),
            view.byOperation(),
            view.byUser(),
            view.bySession(),
            view.byProperty("feature"))) {
      assertThat(grouping.values().stream().mapToLong(Aggregate::requests).sum()).isEqualTo(300);
      assertThat(
              grouping.values().stream()
                  .map(Aggregate::costUsd)
                  .reduce(BigDecimal.ZERO, BigDecimal::add))
          .isEqualByComparingTo(view.total().costUsd());
    }
    assertThat(view.byProvider()).containsOnlyKeys("openai", "anthropic");
    assertThat(view.byProvider().get("openai").requests()).isEqualTo(150);
    assertThat(view.byProperty("feature")).containsOnlyKeys("search", "chat");
    assertThat(view.byProperty("feature").get("search").requests()).isEqualTo(75);
    // i % 7 == 0 has no user: 0, 7, ..., 294 is 43 calls
    assertThat(view.byUser().get(MetricsView.NONE).requests()).isEqualTo(43);
    assertThat(view.propertyNames()).containsExactly("feature");
    assertThat(view.byProperty("missing")).isEmpty();
  }

  @Test
  void busiestKeysKeepTheirRowsAndTheRestIsSummedUnderOther() {
    MetricsTree tree = new MetricsTree(3, 2);
    // u-heavy gets every other call; 100 distinct light users get one call each.
    for (int i = 0; i < 200; i++) {
      String user = i % 2 == 0 ? "u-heavy" : "u-light-" + i;
      tree.add(fixture(i).toBuilder().userId(user).build());
    }
    Map<String, Aggregate> byUser = tree.view().byUser();
    assertThat(byUser).hasSize(4).containsKey("u-heavy").containsKey(MetricsView.OTHER);
    assertThat(byUser.get("u-heavy").requests()).isEqualTo(100);
    assertThat(byUser.keySet().iterator().next()).isEqualTo("u-heavy");
    assertThat(byUser.values().stream().mapToLong(Aggregate::requests).sum()).isEqualTo(200);
  }

  @Test
  void mergingTreesGivesTheSameFiguresAsOneTree() {
    MetricsTree one = MetricsTree.unbounded();
    MetricsTree a = MetricsTree.unbounded();
    MetricsTree b = MetricsTree.unbounded();
    for (int i = 0; i < 250; i++) {
      one.add(fixture(i));
      (i % 2 == 0 ? a : b).add(fixture(i));
    }
    MetricsTree merged = MetricsTree.unbounded();
    merged.addAll(a);
    merged.addAll(b);
    assertThat(merged.view().total().toString()).isEqualTo(one.view().total().toString());
    assertThat(merged.view().byModel().keySet()).isEqualTo(one.view().byModel().keySet());
  }
}
