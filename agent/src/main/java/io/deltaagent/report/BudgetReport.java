package io.deltaagent.report;

import java.util.List;

/**
 * The daemon's budgeted decisions over a report's window: what was admitted and deferred, and, for the actions that ran,
 * what was predicted beside what was measured. In shadow mode ({@code report --shadow}) the what-if: the actions the
 * daemon would have run, their predicted cost and files removed, nothing measured.
 *
 * @param admitted actions admitted (in shadow mode: that would have run)
 * @param deferred distinct table+action+version deferred because the day's budget was spent
 * @param ran admitted actions whose run ended: the predicted and measured figures below are over these
 * @param perTable the same per table
 */
public record BudgetReport(boolean shadow, int admitted, int deferred, int ran, Figures predicted, Figures measured,
                           List<TableBudget> perTable) {

    /**
     * Gain and cost, predicted or measured.
     *
     * @param cost in the backends' currency, empty without prices
     */
    public record Figures(long filesRemoved, double computeHours, List<Money> cost) {
    }

    /** One table's budgeted decisions. */
    public record TableBudget(String table, int admitted, int deferred, int ran, Figures predicted, Figures measured) {
    }
}
