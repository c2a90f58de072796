package io.deltaagent.report;

import java.math.BigDecimal;

/** An estimated amount in one currency (estimates in different currencies are never added together). */
public record Money(String currency, BigDecimal amount) {
}
