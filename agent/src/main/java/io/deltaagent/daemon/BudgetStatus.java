package io.deltaagent.daemon;

/**
 * The day's budget as it stands, for /api/decisions, metrics and logs.
 *
 * @param day the UTC day, YYYY-MM-DD
 * @param unit the currency (e.g. USD) or "compute-hours"; null without a budget
 * @param limit the day's budget, null without one
 * @param spent what the day's admitted actions cost: measured where their runs ended, predicted until then
 * @param remaining {@code limit - spent}, never below 0; null without a budget
 * @param shadow whether these are shadow mode's what-if figures
 */
public record BudgetStatus(String day, String unit, Double limit, double spent, Double remaining, boolean shadow) {
}
