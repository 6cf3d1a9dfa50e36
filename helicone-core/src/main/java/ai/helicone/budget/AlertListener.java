package ai.helicone.budget;

/**
 * Hears budget thresholds and failure bursts. Called on the SDK's metrics thread, never on the
 * application's calls: keep it quick (hand slow work, such as paging someone, to your own
 * executor). Exceptions are caught, counted and logged. Implementations must be thread-safe.
 */
public interface AlertListener {
  /** Spending under a budget crossed a threshold. */
  default void budgetThreshold(BudgetAlert alert) {}

  /** Errors or rate limits reached the count of a burst rule within its window. */
  default void burst(BurstAlert alert) {}
}
