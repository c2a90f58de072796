package io.deltaagent.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a run's compute cost, estimated: the configured rates times the run's size and duration, never a bill.
 *
 * @param amount in {@code currency}, rounded to a hundredth of a cent
 * @param basis how it was computed, e.g. "3 nodes x 0.25 h x (0.75 DBU x 0.15 + 0.40) per node-hour"
 */
public record CostEstimate(BigDecimal amount, String currency, String basis) {

    public CostEstimate {
        amount = amount.setScale(4, RoundingMode.HALF_UP);
    }

    /** As shown to people: "~0.1234 USD (estimate: ...)". */
    public String describe() {
        return "~" + amount.toPlainString() + " " + currency + " (estimate: " + basis + ")";
    }
}
