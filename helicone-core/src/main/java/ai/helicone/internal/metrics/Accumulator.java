package ai.helicone.internal.metrics;

import ai.helicone.metrics.Aggregate;
import ai.helicone.metrics.Percentiles;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import org.HdrHistogram.IntCountsHistogram;

/**
 * The running aggregate of one group of LLM calls. Percentiles come from HdrHistograms in
 * microseconds with two significant digits, created on first use and resized as values grow, so a
 * group of sub-second calls stays a few kilobytes. Not thread-safe: owned by one thread, or guarded
 * by its owner.
 */
final class Accumulator {
  private static final int SIGNIFICANT_DIGITS = 2;

  long requests;
  long errors;
  long rateLimited;
  long cancelled;
  long estimatedRequests;
  long unpricedRequests;
  BigDecimal costUsd = BigDecimal.ZERO;
  long inputTokens;
  long outputTokens;
  long cachedInputTokens;
  long cacheWriteTokens;
  long reasoningTokens;
  private IntCountsHistogram latencyMicros;
  private IntCountsHistogram ttftMicros;

  void add(HeliconeRecord r) {
    requests++;
    if (RecordFacts.rateLimited(r)) {
      rateLimited++;
    } else if (r.status() == RecordStatus.ERROR) {
      errors++;
    } else if (r.status() == RecordStatus.CANCELLED) {
      cancelled++;
    }
    Usage u = r.usage();
    if (u != null) {
      inputTokens += orZero(u.inputTokens());
      outputTokens += orZero(u.outputTokens());
      cachedInputTokens += orZero(u.cachedInputTokens());
      cacheWriteTokens += orZero(u.cacheWriteTokens());
      reasoningTokens += orZero(u.reasoningTokens());
      if (u.estimated()) {
        estimatedRequests++;
      }
      if (r.costUsd() == null) {
        unpricedRequests++;
      }
    }
    if (r.costUsd() != null) {
      costUsd = costUsd.add(r.costUsd());
    }
    if (r.duration() != null) {
      latencyMicros = record(latencyMicros, r.duration());
    }
    if (r.timeToFirstToken() != null) {
      ttftMicros = record(ttftMicros, r.timeToFirstToken());
    }
  }

  void addAll(Accumulator o) {
    requests += o.requests;
    errors += o.errors;
    rateLimited += o.rateLimited;
    cancelled += o.cancelled;
    estimatedRequests += o.estimatedRequests;
    unpricedRequests += o.unpricedRequests;
    costUsd = costUsd.add(o.costUsd);
    inputTokens += o.inputTokens;
    outputTokens += o.outputTokens;
    cachedInputTokens += o.cachedInputTokens;
    cacheWriteTokens += o.cacheWriteTokens;
    reasoningTokens += o.reasoningTokens;
    latencyMicros = merge(latencyMicros, o.latencyMicros);
    ttftMicros = merge(ttftMicros, o.ttftMicros);
  }

  Accumulator copy() {
    Accumulator c = new Accumulator();
    c.addAll(this);
    return c;
  }

  Aggregate toAggregate() {
    return Aggregate.builder()
        .requests(requests)
        .errors(errors)
        .rateLimited(rateLimited)
        .cancelled(cancelled)
        .estimatedRequests(estimatedRequests)
        .unpricedRequests(unpricedRequests)
        .costUsd(costUsd)
        .inputTokens(inputTokens)
        .outputTokens(outputTokens)
        .cachedInputTokens(cachedInputTokens)
        .cacheWriteTokens(cacheWriteTokens)
        .reasoningTokens(reasoningTokens)
        .latency(percentiles(latencyMicros))
        .timeToFirstToken(percentiles(ttftMicros))
        .build();
  }

  private static IntCountsHistogram record(IntCountsHistogram h, Duration d) {
    IntCountsHistogram target = h != null ? h : newHistogram();
    target.recordValue(Math.max(0, d.toNanos() / 1000));
    return target;
  }

  private static IntCountsHistogram merge(IntCountsHistogram into, IntCountsHistogram from) {
    if (from == null) {
      return into;
    }
    IntCountsHistogram target = into != null ? into : newHistogram();
    target.add(from);
    return target;
  }

  private static IntCountsHistogram newHistogram() {
    IntCountsHistogram h = new IntCountsHistogram(SIGNIFICANT_DIGITS);
    h.setAutoResize(true);
    return h;
  }

  private static Percentiles percentiles(IntCountsHistogram h) {
    if (h == null || h.getTotalCount() == 0) {
      return Percentiles.of(0, null, null, null, null);
    }
    return Percentiles.of(
        h.getTotalCount(),
        micros(h.getValueAtPercentile(50)),
        micros(h.getValueAtPercentile(95)),
        micros(h.getValueAtPercentile(99)),
        micros(h.getMaxValue()));
  }

  private static Duration micros(long v) {
    return Duration.ofNanos(v * 1000);
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }
}
