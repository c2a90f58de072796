package io.deltaagent.store;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A run's estimated compute cost as stored (cost_amount, cost_currency, cost_basis).
 *
 * @param basis how it was estimated, for people ("2 x m5.xlarge x 0.25 h x 0.192 USD/h")
 */
public record RunCost(BigDecimal amount, String currency, String basis) {
    public RunCost {
        Objects.requireNonNull(amount, "amount");
    }
}
