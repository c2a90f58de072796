package io.deltaagent.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One budgeted decision of the daemon as stored (maintenance_decision): an action admitted, or deferred by the budget,
 * with what it was predicted to gain and cost and, once its run ended, what it cost.
 *
 * @param id null before it is recorded
 * @param day the UTC day whose budget it counts against, YYYY-MM-DD
 * @param shadow decided in shadow mode: recorded, never run
 * @param score predicted gain points per unit of predicted cost (the order the budget is spent in)
 * @param predictedCost in {@code currency}; null when the backend has no prices
 * @param runId the run it became, null until then (and always in shadow mode)
 * @param measuredCost what its run cost, estimated from its measured duration; null until it ended
 */
public record DecisionRow(Long id, Instant decidedAt, String day, String owner, String table, String action, String backend,
                          Long tableVersion, String verdict, String reason, boolean shadow, double score, double predictedGain,
                          long predictedFilesRemoved, long predictedBytes, BigDecimal predictedCost, double predictedComputeHours,
                          String currency, Long runId, BigDecimal measuredCost, Double measuredComputeHours) {
    public DecisionRow {
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** This decision's spend in compute-hours: measured once its run ended, predicted until then. */
    public double computeHoursSpent() {
        return measuredComputeHours != null ? measuredComputeHours : predictedComputeHours;
    }

    /** Its spend in money (measured, else predicted), or null without prices. */
    public BigDecimal costSpent() {
        return measuredCost != null ? measuredCost : predictedCost;
    }
}
