package ai.helicone.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Aggregates of LLM calls over one time span, in total and grouped by provider, model, operation,
 * user, session and each custom property. Each grouping keeps its busiest values (by request count)
 * up to a bound set on the builder ({@code Helicone.Builder.metricsTopKeys}); the calls of the
 * other values are summed under {@link #OTHER}, so the rows of a grouping always add up to the
 * total. Calls without a value for a grouping (no user, say) are under {@link #NONE}. Maps iterate
 * from the most to the least requested value. Immutable and thread-safe.
 */
public final class MetricsView {
  /** The key under which the calls of values past the bound are summed. */
  public static final String OTHER = "(other)";

  /** The key of calls that have no value for a grouping. */
  public static final String NONE = "(none)";

  private final Aggregate total;
  private final Map<String, Aggregate> byProvider;
  private final Map<String, Aggregate> byModel;
  private final Map<String, Aggregate> byOperation;
  private final Map<String, Aggregate> byUser;
  private final Map<String, Aggregate> bySession;
  private final Map<String, Map<String, Aggregate>> byProperty;

  /**
   * A view from its parts; for the SDK itself and for tests. Maps are copied.
   *
   * @param byProperty property name to (property value to aggregate)
   */
  public MetricsView(
      Aggregate total,
      Map<String, Aggregate> byProvider,
      Map<String, Aggregate> byModel,
      Map<String, Aggregate> byOperation,
      Map<String, Aggregate> byUser,
      Map<String, Aggregate> bySession,
      Map<String, Map<String, Aggregate>> byProperty) {
    this.total = total;
    this.byProvider = copy(byProvider);
    this.byModel = copy(byModel);
    this.byOperation = copy(byOperation);
    this.byUser = copy(byUser);
    this.bySession = copy(bySession);
    Map<String, Map<String, Aggregate>> properties = new LinkedHashMap<>();
    byProperty.forEach((name, values) -> properties.put(name, copy(values)));
    this.byProperty = Collections.unmodifiableMap(properties);
  }

  private static Map<String, Aggregate> copy(Map<String, Aggregate> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** All LLM calls of the span. */
  public Aggregate total() {
    return total;
  }

  public Map<String, Aggregate> byProvider() {
    return byProvider;
  }

  /** By the model that answered (the requested model when the response named none). */
  public Map<String, Aggregate> byModel() {
    return byModel;
  }

  public Map<String, Aggregate> byOperation() {
    return byOperation;
  }

  public Map<String, Aggregate> byUser() {
    return byUser;
  }

  public Map<String, Aggregate> bySession() {
    return bySession;
  }

  /** The names of the custom properties seen, in the order first seen. */
  public Set<String> propertyNames() {
    return byProperty.keySet();
  }

  /** By the value of one custom property; empty when no call carried it. */
  public Map<String, Aggregate> byProperty(String name) {
    return byProperty.getOrDefault(name, Map.of());
  }

  @Override
  public String toString() {
    return "MetricsView{total=" + total + ", models=" + byModel.keySet() + '}';
  }
}
