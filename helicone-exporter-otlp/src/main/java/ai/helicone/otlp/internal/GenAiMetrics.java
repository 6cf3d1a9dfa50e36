package ai.helicone.otlp.internal;

import static ai.helicone.otlp.internal.RecordSpanMapper.putIfNotNull;
import static ai.helicone.otlp.internal.SemanticNames.*;

import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

/**
 * Records the GenAI client metrics of LLM records. Attributes describe the call (operation,
 * provider, models, server, error), never who made it: no user or session ids, which would make the
 * number of series unbounded.
 */
public final class GenAiMetrics {
  /**
   * What is measured.
   *
   * @param names the GenAI names written
   * @param tokensOfEstimatedAndFailedCalls whether estimated counts and failed calls are recorded
   *     in the token usage metric (the conventions say they should not be, unless asked for)
   */
  public record Options(SemanticNames.Version names, boolean tokensOfEstimatedAndFailedCalls) {}

  private final Options options;
  private final LongHistogram inputTokenUsage;
  private final LongHistogram outputTokenUsage;
  private final DoubleHistogram duration;
  private final DoubleHistogram timeToFirstChunk;
  private final DoubleCounter cost;

  public GenAiMetrics(Meter meter, Options options) {
    this.options = options;
    SemanticNames.Version names = options.names();
    this.inputTokenUsage =
        tokenHistogram(
            meter,
            names.inputTokenUsageMetric,
            names.sharedTokenHistogram()
                ? "Number of input and output tokens used."
                : "Number of input tokens used per operation.");
    this.outputTokenUsage =
        names.sharedTokenHistogram()
            ? inputTokenUsage
            : tokenHistogram(
                meter, names.outputTokenUsageMetric, "Number of output tokens used per operation.");
    this.duration =
        meter
            .histogramBuilder(METRIC_OPERATION_DURATION)
            .setUnit(METRIC_SECONDS_UNIT)
            .setDescription("GenAI operation duration.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    this.timeToFirstChunk =
        meter
            .histogramBuilder(METRIC_TIME_TO_FIRST_CHUNK)
            .setUnit(METRIC_SECONDS_UNIT)
            .setDescription("Time to receive the first chunk of a streamed response.")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    this.cost =
        meter
            .counterBuilder(METRIC_COST)
            .setUnit(METRIC_COST_UNIT)
            .setDescription("Cost of LLM calls in US dollars, where the price is known.")
            .ofDoubles()
            .build();
  }

  private static LongHistogram tokenHistogram(Meter meter, String name, String description) {
    return meter
        .histogramBuilder(name)
        .setUnit(METRIC_TOKEN_USAGE_UNIT)
        .setDescription(description)
        .ofLongs()
        .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
        .build();
  }

  /** Records one record's measurements; returns false for trace records, which have none. */
  public boolean record(HeliconeRecord r) {
    if (r.type() != RecordType.LLM) {
      return false;
    }
    String provider = RecordSpanMapper.providerName(r.provider());
    String requestModel = RecordSpanMapper.requestModel(r);
    AttributesBuilder b = Attributes.builder();
    b.put(GEN_AI_OPERATION_NAME, RecordSpanMapper.operationName(r.operation()));
    putIfNotNull(b, GEN_AI_PROVIDER_NAME, provider);
    putIfNotNull(b, GEN_AI_REQUEST_MODEL, requestModel);
    putIfNotNull(b, GEN_AI_RESPONSE_MODEL, r.model());
    RecordSpanMapper.serverAttributes(r.request(), b);
    putIfNotNull(b, ERROR_TYPE, RecordSpanMapper.errorType(r));
    Attributes attrs = b.build();

    duration.record(RecordSpanMapper.seconds(r.duration()), attrs);
    if (r.stream() && r.timeToFirstToken() != null) {
      timeToFirstChunk.record(RecordSpanMapper.seconds(r.timeToFirstToken()), attrs);
    }
    Usage u = r.usage();
    boolean countTokens =
        u != null
            && (options.tokensOfEstimatedAndFailedCalls()
                || (!u.estimated() && r.status() == RecordStatus.SUCCESS));
    if (countTokens) {
      if (u.inputTokens() != null) {
        inputTokenUsage.record(
            u.inputTokens(), attrs.toBuilder().put(GEN_AI_TOKEN_TYPE, TOKEN_TYPE_INPUT).build());
      }
      if (u.outputTokens() != null) {
        outputTokenUsage.record(
            u.outputTokens(), attrs.toBuilder().put(GEN_AI_TOKEN_TYPE, TOKEN_TYPE_OUTPUT).build());
      }
    }
    if (r.costUsd() != null && r.costUsd().signum() >= 0) {
      AttributesBuilder c = Attributes.builder();
      putIfNotNull(c, GEN_AI_PROVIDER_NAME, provider);
      putIfNotNull(c, GEN_AI_REQUEST_MODEL, requestModel);
      putIfNotNull(c, GEN_AI_RESPONSE_MODEL, r.model());
      cost.add(r.costUsd().doubleValue(), c.build());
    }
    return true;
  }
}
