package io.deltaagent.cost;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A backend's configured prices. A run's compute is {@code units} (cores for the local backend, nodes with the driver
 * elsewhere) for its duration; each unit-hour costs {@code unitHourPrice} plus, on Databricks, {@code dbuPerUnitHour}
 * DBUs at {@code pricePerDbu}. Without any price there is no estimate.
 *
 * @param unit what is counted: "core" or "node"
 */
public record CostRates(String unit, Double unitHourPrice, Double dbuPerUnitHour, Double pricePerDbu, String currency) {

    /** No prices: no estimates. */
    public static final CostRates NONE = new CostRates("node", null, null, null, "USD");

    /** The estimate for {@code units} running {@code ran}, or empty when no price is configured. */
    public Optional<CostEstimate> estimate(int units, Duration ran) {
        boolean dbu = dbuPerUnitHour != null && pricePerDbu != null;
        if (unitHourPrice == null && !dbu) {
            return Optional.empty();
        }
        // decimal arithmetic on the prices as written (0.15 is 0.15), rounded once in the estimate
        BigDecimal hourFraction = BigDecimal.valueOf(Math.max(0, ran.toMillis()))
                .divide(BigDecimal.valueOf(3_600_000), 12, java.math.RoundingMode.HALF_UP);
        BigDecimal perUnitHour = (unitHourPrice == null ? BigDecimal.ZERO : BigDecimal.valueOf(unitHourPrice))
                .add(dbu ? BigDecimal.valueOf(dbuPerUnitHour).multiply(BigDecimal.valueOf(pricePerDbu)) : BigDecimal.ZERO);
        double hours = hourFraction.doubleValue();
        String rate = dbu
                ? "(" + num(dbuPerUnitHour) + " DBU x " + num(pricePerDbu) + (unitHourPrice == null ? "" : " + " + num(unitHourPrice)) + ")"
                : num(unitHourPrice);
        String basis = units + " " + unit + (units == 1 ? "" : "s") + " x " + String.format(Locale.ROOT, "%.4f", hours) + " h x "
                + rate + " " + currency + " per " + unit + "-hour";
        return Optional.of(new CostEstimate(BigDecimal.valueOf(units).multiply(hourFraction).multiply(perUnitHour), currency, basis));
    }

    private static String num(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
