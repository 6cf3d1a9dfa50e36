package ai.helicone.budget;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * A call was refused before it was sent because an enforced {@link Budget} is spent. It is an
 * {@link IOException}, so OkHttp hands it to the caller like any failed call: thrown from {@code
 * execute()}, or passed to {@code Callback.onFailure} for {@code enqueue()}.
 */
public final class BudgetExceededException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Budget budget;
  private final String key;
  private final BigDecimal spentUsd;

  public BudgetExceededException(Budget budget, String key, BigDecimal spentUsd) {
    super(message(budget, key, spentUsd));
    this.budget = budget;
    this.key = key;
    this.spentUsd = spentUsd;
  }

  private static String message(Budget budget, String key, BigDecimal spentUsd) {
    return "budget '"
        + budget.name()
        + "' of USD "
        + budget.limitUsd().toPlainString()
        + " per "
        + budget.window()
        + " is spent"
        + (key == null ? "" : " for '" + key + "'")
        + " (USD "
        + spentUsd.toPlainString()
        + "); the call was not sent";
  }

  public Budget budget() {
    return budget;
  }

  /** The user id, session id or property value whose budget is spent; null for a global one. */
  public String key() {
    return key;
  }

  public BigDecimal spentUsd() {
    return spentUsd;
  }
}
