package ai.helicone.budget;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Spending under a budget crossed one of its thresholds. Immutable and thread-safe.
 *
 * @param budget the budget
 * @param key the user id, session id or property value the spending is kept for; null for a global
 *     budget
 * @param spentUsd what the key spent within the window when the threshold was crossed
 * @param threshold the fraction of the limit that was crossed, such as 0.8
 * @param estimated true when part of the spending comes from locally estimated token counts
 * @param at when the alert was raised
 */
public record BudgetAlert(
    Budget budget,
    String key,
    BigDecimal spentUsd,
    double threshold,
    boolean estimated,
    Instant at) {}
