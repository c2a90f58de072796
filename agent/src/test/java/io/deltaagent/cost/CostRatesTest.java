package io.deltaagent.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A run's cost estimate from configured prices: units x hours x the price per unit-hour (plus DBUs). */
class CostRatesTest {

    @Test
    void databricksNodesCostTheirDbusAndTheirInstances() {
        CostEstimate e = new CostRates("node", 0.40, 0.75, 0.15, "USD").estimate(3, Duration.ofMinutes(30)).orElseThrow();
        assertThat(e.amount()).isEqualByComparingTo(new BigDecimal("0.7688")); // 3 x 0.5 h x (0.75 x 0.15 + 0.40)
        assertThat(e.currency()).isEqualTo("USD");
        assertThat(e.basis()).isEqualTo("3 nodes x 0.5000 h x (0.75 DBU x 0.15 + 0.4) USD per node-hour");
        assertThat(e.describe()).startsWith("~0.7688 USD (estimate: ");
    }

    @Test
    void localCoresCostTheirCoreHoursAndNoPriceMeansNoEstimate() {
        assertThat(new CostRates("core", 0.05, null, null, "EUR").estimate(2, Duration.ofMinutes(15)).orElseThrow().amount())
                .isEqualByComparingTo(new BigDecimal("0.0250"));
        assertThat(CostRates.NONE.estimate(8, Duration.ofHours(3))).isEmpty();
        assertThat(new CostRates("node", null, 0.75, null, "USD").estimate(8, Duration.ofHours(3)))
                .as("DBUs without their price say nothing").isEmpty();
    }
}
