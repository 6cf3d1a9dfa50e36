package ai.helicone.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A spending limit in USD over a sliding window: for all calls, per user, per session, or per value
 * of a custom property. Added with {@code Helicone.Builder.addBudget}; the {@link AlertListener}
 * hears when spending crosses each {@link #alertAt threshold} (80% and 100% unless set).
 *
 * <p>With {@link #enforced()}, a call whose key has already spent the limit within the window fails
 * before it is sent, with {@link BudgetExceededException}: nothing reaches the provider and nothing
 * is recorded as a provider call; the refusal is counted in {@code
 * helicone.metrics().budgetRefusals()}. The cost of a call is known only once its response has been
 * read and aggregated on the metrics thread (moments after the call ends), so spending can exceed
 * the limit by the calls that had finished but were not yet aggregated, and by those in flight,
 * when the limit was reached: once it is known, at most one more call per calling thread (the one
 * it had started) completes. Streams without usage are counted with their local token estimates,
 * and alerts say so.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return a changed copy.
 *
 * <pre>{@code
 * Budget.perUser(5.00, Duration.ofDays(1)).alertAt(0.5, 0.8, 1.0).enforced()
 * Budget.perProperty("feature", 100.00, Duration.ofDays(30))
 * }</pre>
 */
public final class Budget {
  /** What a budget is kept per. */
  public enum Scope {
    /** One budget for all calls. */
    GLOBAL,
    /** One budget per user id; calls without a user are not limited. */
    USER,
    /** One budget per session id; calls outside a session are not limited. */
    SESSION,
    /** One budget per value of a custom property; calls without the property are not limited. */
    PROPERTY
  }

  private static final double[] DEFAULT_THRESHOLDS = {0.8, 1.0};

  private final Scope scope;
  private final String property;
  private final BigDecimal limitUsd;
  private final Duration window;
  private final double[] thresholds;
  private final boolean enforced;
  private final String name;

  private Budget(
      Scope scope,
      String property,
      BigDecimal limitUsd,
      Duration window,
      double[] thresholds,
      boolean enforced,
      String name) {
    this.scope = scope;
    this.property = property;
    this.limitUsd = limitUsd;
    this.window = window;
    this.thresholds = thresholds;
    this.enforced = enforced;
    this.name = name;
  }

  /** One limit for all calls together. */
  public static Budget global(double limitUsd, Duration window) {
    return create(Scope.GLOBAL, null, limitUsd, window);
  }

  /** One limit per user id. */
  public static Budget perUser(double limitUsd, Duration window) {
    return create(Scope.USER, null, limitUsd, window);
  }

  /** One limit per session id. */
  public static Budget perSession(double limitUsd, Duration window) {
    return create(Scope.SESSION, null, limitUsd, window);
  }

  /** One limit per value of the custom property {@code name} (for example a feature). */
  public static Budget perProperty(String name, double limitUsd, Duration window) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("property name must not be blank");
    }
    return create(Scope.PROPERTY, name, limitUsd, window);
  }

  private static Budget create(Scope scope, String property, double limitUsd, Duration window) {
    if (!(limitUsd > 0) || Double.isInfinite(limitUsd)) {
      throw new IllegalArgumentException("limitUsd must be a positive number, was " + limitUsd);
    }
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("window must be at least one second, was " + window);
    }
    String name =
        scope == Scope.PROPERTY
            ? "per " + property
            : scope == Scope.GLOBAL
                ? "global"
                : "per " + scope.name().toLowerCase(java.util.Locale.ROOT);
    return new Budget(
        scope, property, BigDecimal.valueOf(limitUsd), window, DEFAULT_THRESHOLDS, false, name);
  }

  /**
   * The fractions of the limit at which the alert listener is told, each in (0, 10], for example
   * {@code 0.5, 0.8, 1.0}.
   */
  public Budget alertAt(double... fractions) {
    Objects.requireNonNull(fractions, "fractions");
    double[] sorted = fractions.clone();
    Arrays.sort(sorted);
    for (double f : sorted) {
      if (!(f > 0) || f > 10) {
        throw new IllegalArgumentException("alert thresholds must be in (0, 10], was " + f);
      }
    }
    return new Budget(scope, property, limitUsd, window, sorted, enforced, name);
  }

  /** The same budget, enforced: calls over it fail before they are sent. */
  public Budget enforced() {
    return new Budget(scope, property, limitUsd, window, thresholds, true, name);
  }

  /** The same budget with a name for alerts, exceptions and logs. */
  public Budget named(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    return new Budget(scope, property, limitUsd, window, thresholds, enforced, name);
  }

  public Scope scope() {
    return scope;
  }

  /** The property name of a {@link Scope#PROPERTY} budget, otherwise null. */
  public String property() {
    return property;
  }

  public BigDecimal limitUsd() {
    return limitUsd;
  }

  public Duration window() {
    return window;
  }

  /** The alert thresholds, as fractions of the limit, ascending. */
  public double[] thresholds() {
    return thresholds.clone();
  }

  public boolean isEnforced() {
    return enforced;
  }

  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "Budget{"
        + name
        + ", USD "
        + limitUsd.toPlainString()
        + " per "
        + window
        + (enforced ? ", enforced" : "")
        + '}';
  }
}
