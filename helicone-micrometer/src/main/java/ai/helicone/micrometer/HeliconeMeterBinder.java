package ai.helicone.micrometer;

import ai.helicone.metrics.RecordListener;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordStatus;
import ai.helicone.record.RecordType;
import ai.helicone.record.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Publishes every LLM call that a {@code Helicone} instance records as Micrometer meters, so Spring
 * Boot Actuator, Prometheus and every other Micrometer backend see requests, errors, tokens, cost,
 * latency and time to first token without further code:
 *
 * <pre>{@code
 * HeliconeMeterBinder binder = HeliconeMeterBinder.builder().build();
 * Helicone helicone = Helicone.builder().addRecordListener(binder).build();
 * binder.bindTo(meterRegistry);   // or declare the binder as a Spring bean: Boot binds it
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags beyond provider, model, operation</th></tr>
 *   <tr><td>{@code helicone.llm.requests}</td><td>counter</td><td>{@code status}: success,
 *       error, cancelled, rate_limited</td></tr>
 *   <tr><td>{@code helicone.llm.duration}</td><td>timer</td><td>{@code status}</td></tr>
 *   <tr><td>{@code helicone.llm.time.to.first.token}</td><td>timer</td><td></td></tr>
 *   <tr><td>{@code helicone.llm.tokens}</td><td>counter</td><td>{@code type}: input, output,
 *       cached_input, cache_write, reasoning; {@code estimated}: true, false</td></tr>
 *   <tr><td>{@code helicone.llm.cost}</td><td>counter (USD)</td><td></td></tr>
 * </table>
 *
 * <p>Tags stay low in cardinality: provider, model, operation and status only, unless {@link
 * Builder#userTag} or {@link Builder#propertyTags} ask for more (each distinct user or property
 * value then makes its own series). Meters are updated on the SDK's metrics thread, never on the
 * application's calls. Calls are counted from the first {@link #bindTo} on (Spring Boot binds at
 * start-up); a binder may be bound to several registries. Thread-safe.
 */
public final class HeliconeMeterBinder implements MeterBinder, RecordListener {
  private static final String UNKNOWN = "unknown";

  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final boolean userTag;
  private final List<String> propertyTags;
  private final boolean percentileHistograms;

  private HeliconeMeterBinder(Builder b) {
    this.userTag = b.userTag;
    this.propertyTags = List.copyOf(b.propertyTags);
    this.percentileHistograms = b.percentileHistograms;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    meters.add(registry);
  }

  @Override
  public void onRecord(HeliconeRecord r) {
    if (r.type() != RecordType.LLM) {
      return;
    }
    Tags base = baseTags(r);
    String status = status(r);
    Counter.builder("helicone.llm.requests")
        .description("LLM calls recorded by helicone-java")
        .tags(base)
        .tag("status", status)
        .register(meters)
        .increment();
    if (r.duration() != null) {
      Timer.builder("helicone.llm.duration")
          .description("Duration of LLM calls, from request to the end of the response")
          .tags(base)
          .tag("status", status)
          .publishPercentileHistogram(percentileHistograms)
          .register(meters)
          .record(r.duration());
    }
    if (r.timeToFirstToken() != null) {
      Timer.builder("helicone.llm.time.to.first.token")
          .description("Time to the first token of streamed LLM calls")
          .tags(base)
          .publishPercentileHistogram(percentileHistograms)
          .register(meters)
          .record(r.timeToFirstToken());
    }
    Usage u = r.usage();
    if (u != null) {
      Tags tokenTags = base.and("estimated", Boolean.toString(u.estimated()));
      tokens(tokenTags, "input", u.inputTokens());
      tokens(tokenTags, "output", u.outputTokens());
      tokens(tokenTags, "cached_input", u.cachedInputTokens());
      tokens(tokenTags, "cache_write", u.cacheWriteTokens());
      tokens(tokenTags, "reasoning", u.reasoningTokens());
    }
    if (r.costUsd() != null) {
      Counter.builder("helicone.llm.cost")
          .description("Cost of LLM calls in USD, from the provider's prices")
          .baseUnit("usd")
          .tags(base)
          .register(meters)
          .increment(r.costUsd().doubleValue());
    }
  }

  private void tokens(Tags tags, String type, Long count) {
    if (count == null || count == 0) {
      return;
    }
    Counter.builder("helicone.llm.tokens")
        .description("Tokens of LLM calls")
        .baseUnit("tokens")
        .tags(tags)
        .tag("type", type)
        .register(meters)
        .increment(count);
  }

  private Tags baseTags(HeliconeRecord r) {
    List<Tag> tags = new ArrayList<>(3 + propertyTags.size() + 1);
    tags.add(Tag.of("provider", orUnknown(r.provider())));
    tags.add(Tag.of("model", orUnknown(r.model() != null ? r.model() : r.requestModel())));
    tags.add(Tag.of("operation", orUnknown(r.operation())));
    if (userTag) {
      tags.add(Tag.of("user", orUnknown(r.userId())));
    }
    for (String name : propertyTags) {
      tags.add(Tag.of(name, orUnknown(r.properties().get(name))));
    }
    return Tags.of(tags);
  }

  private static String status(HeliconeRecord r) {
    if (r.response() != null && r.response().status() == 429) {
      return "rate_limited";
    }
    RecordStatus s = r.status();
    return s == null ? UNKNOWN : s.wireName();
  }

  private static String orUnknown(String v) {
    return v == null || v.isEmpty() ? UNKNOWN : v;
  }

  @Override
  public String toString() {
    return "HeliconeMeterBinder{userTag=" + userTag + ", propertyTags=" + propertyTags + '}';
  }

  /** Builds a {@link HeliconeMeterBinder}. Not thread-safe. */
  public static final class Builder {
    private boolean userTag;
    private final List<String> propertyTags = new ArrayList<>();
    private boolean percentileHistograms = true;

    private Builder() {}

    /**
     * Adds a {@code user} tag with the user id (default off: every user makes its own series, so
     * use it only with a bounded set of users).
     */
    public Builder userTag(boolean enabled) {
      this.userTag = enabled;
      return this;
    }

    /**
     * Adds a tag per custom property named here, such as {@code feature}; its value is the tag's.
     */
    public Builder propertyTags(String... names) {
      for (String name : names) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("property tag names must not be blank");
        }
        propertyTags.add(name);
      }
      return this;
    }

    /**
     * Whether the timers publish percentile histograms, which Prometheus and other backends
     * aggregate into percentiles across instances (default true).
     */
    public Builder percentileHistograms(boolean enabled) {
      this.percentileHistograms = enabled;
      return this;
    }

    public HeliconeMeterBinder build() {
      return new HeliconeMeterBinder(this);
    }
  }
}
