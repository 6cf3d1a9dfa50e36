package ai.helicone.internal.metrics;

import ai.helicone.budget.AlertListener;
import ai.helicone.budget.Budget;
import ai.helicone.budget.BudgetAlert;
import ai.helicone.budget.BudgetExceededException;
import ai.helicone.record.HeliconeRecord;
import ai.helicone.record.RecordType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Spending per budget and key over sliding windows. Spending is added on the metrics thread as
 * records arrive; {@link #check} runs on the application's thread before a call is sent and only
 * reads a volatile flag unless a key is over its limit. Thread-safe.
 */
public final class BudgetTracker {
  /** Keys tracked per budget; past it, the least recently charged keys are forgotten. */
  static final int MAX_KEYS_PER_BUDGET = 10_000;

  private static final int SLICES = 60;

  private final List<Tracked> budgets = new ArrayList<>();
  private final AlertListener alerts;
  private final Consumer<RuntimeException> listenerFailure;
  private final LongSupplier clockMillis;
  private final AtomicLong refusals = new AtomicLong();
  private final boolean anyEnforced;

  public BudgetTracker(
      List<Budget> budgets,
      AlertListener alerts,
      Consumer<RuntimeException> listenerFailure,
      LongSupplier clockMillis) {
    for (Budget b : budgets) {
      this.budgets.add(new Tracked(b));
    }
    this.alerts = alerts;
    this.listenerFailure = listenerFailure;
    this.clockMillis = clockMillis;
    this.anyEnforced = budgets.stream().anyMatch(Budget::isEnforced);
  }

  public boolean enforcesAny() {
    return anyEnforced;
  }

  public long refusals() {
    return refusals.get();
  }

  /** Adds a finished call's cost to every budget it falls under; raises threshold alerts. */
  void charge(HeliconeRecord r) {
    if (r.type() != RecordType.LLM || r.costUsd() == null || r.costUsd().signum() == 0) {
      return;
    }
    boolean estimated = r.usage() != null && r.usage().estimated();
    long now = clockMillis.getAsLong();
    for (Tracked t : budgets) {
      String key = t.key(r.userId(), r.sessionId(), r.properties());
      if (key == null && t.budget.scope() != Budget.Scope.GLOBAL) {
        continue;
      }
      t.charge(key, r.costUsd(), estimated, now);
    }
  }

  /**
   * The refusal for a call about to be sent under this context, or null when every enforced budget
   * it falls under has room. Counts a refusal.
   */
  public BudgetExceededException check(
      String userId, String sessionId, Map<String, String> properties) {
    if (!anyEnforced) {
      return null;
    }
    for (Tracked t : budgets) {
      if (!t.budget.isEnforced()) {
        continue;
      }
      String key = t.key(userId, sessionId, properties);
      if (key == null && t.budget.scope() != Budget.Scope.GLOBAL) {
        continue;
      }
      KeySpend spend = t.keys.get(key == null ? GLOBAL_KEY : key);
      if (spend != null && spend.over) {
        BigDecimal spent = spend.spentNow(clockMillis.getAsLong(), t);
        if (spent.compareTo(t.budget.limitUsd()) >= 0) {
          refusals.incrementAndGet();
          return new BudgetExceededException(t.budget, key, spent);
        }
      }
    }
    return null;
  }

  private static final String GLOBAL_KEY = "";

  private final class Tracked {
    final Budget budget;
    final long sliceMillis;
    final double[] thresholds;
    final Map<String, KeySpend> keys = new ConcurrentHashMap<>();

    Tracked(Budget budget) {
      this.budget = budget;
      this.sliceMillis = Math.max(1, budget.window().toMillis() / SLICES);
      this.thresholds = budget.thresholds();
    }

    String key(String userId, String sessionId, Map<String, String> properties) {
      return switch (budget.scope()) {
        case GLOBAL -> null;
        case USER -> userId;
        case SESSION -> sessionId;
        case PROPERTY -> properties.get(budget.property());
      };
    }

    void charge(String key, BigDecimal cost, boolean estimated, long now) {
      String mapKey = key == null ? GLOBAL_KEY : key;
      KeySpend spend = keys.get(mapKey);
      if (spend == null) {
        if (keys.size() >= MAX_KEYS_PER_BUDGET) {
          forgetOldest();
        }
        spend = new KeySpend();
        keys.put(mapKey, spend);
      }
      BigDecimal spent = spend.add(cost, estimated, now, this);
      int crossed = 0;
      BigDecimal limit = budget.limitUsd();
      while (crossed < thresholds.length
          && spent.compareTo(limit.multiply(BigDecimal.valueOf(thresholds[crossed]))) >= 0) {
        crossed++;
      }
      int fired = spend.firedThresholds;
      spend.firedThresholds = crossed;
      for (int i = fired; i < crossed; i++) {
        BudgetAlert alert =
            new BudgetAlert(
                budget, key, spent, thresholds[i], spend.estimated(now, this), Instant.now());
        try {
          alerts.budgetThreshold(alert);
        } catch (RuntimeException e) {
          listenerFailure.accept(e);
        }
      }
    }

    private void forgetOldest() {
      // Forget a tenth at once so the scan is rare.
      List<Map.Entry<String, KeySpend>> entries = new ArrayList<>(keys.entrySet());
      entries.sort((a, b) -> Long.compare(a.getValue().lastCharged, b.getValue().lastCharged));
      for (int i = 0; i < Math.max(1, entries.size() / 10); i++) {
        keys.remove(entries.get(i).getKey());
      }
    }
  }

  /** The spending of one key: a ring of slices covering the budget's window. */
  private static final class KeySpend {
    private final long[] sliceIndex = new long[SLICES];
    private final BigDecimal[] sliceSum = new BigDecimal[SLICES];
    private final boolean[] sliceEstimated = new boolean[SLICES];
    volatile boolean over;
    int firedThresholds;
    long lastCharged;

    synchronized BigDecimal add(BigDecimal cost, boolean estimated, long now, Tracked t) {
      long index = now / t.sliceMillis;
      int pos = (int) (index % SLICES);
      if (sliceIndex[pos] != index || sliceSum[pos] == null) {
        sliceIndex[pos] = index;
        sliceSum[pos] = BigDecimal.ZERO;
        sliceEstimated[pos] = false;
      }
      sliceSum[pos] = sliceSum[pos].add(cost);
      sliceEstimated[pos] |= estimated;
      lastCharged = now;
      return spentNow(now, t);
    }

    /** Spending within the window ending now; also refreshes {@link #over}. */
    synchronized BigDecimal spentNow(long now, Tracked t) {
      long index = now / t.sliceMillis;
      BigDecimal sum = BigDecimal.ZERO;
      for (int i = 0; i < SLICES; i++) {
        if (sliceSum[i] != null && sliceIndex[i] > index - SLICES && sliceIndex[i] <= index) {
          sum = sum.add(sliceSum[i]);
        }
      }
      over = sum.compareTo(t.budget.limitUsd()) >= 0;
      return sum;
    }

    synchronized boolean estimated(long now, Tracked t) {
      long index = now / t.sliceMillis;
      for (int i = 0; i < SLICES; i++) {
        if (sliceSum[i] != null
            && sliceIndex[i] > index - SLICES
            && sliceIndex[i] <= index
            && sliceEstimated[i]) {
          return true;
        }
      }
      return false;
    }
  }
}
