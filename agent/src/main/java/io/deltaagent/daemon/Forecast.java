package io.deltaagent.daemon;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * What one due action is predicted to gain and cost, corrected by what the table's past runs of it measured.
 *
 * <p>Gain is counted in points, one comparable unit over actions: a small file removed (OPTIMIZE) is 1 point, a commit a
 * reader no longer replays after a checkpoint is 1 point (each is about one GET of some 10 ms, as is each file a query
 * opens), and 10 MiB that VACUUM reclaims is 1 point. The score is points per unit of cost (per unit of money under
 * {@code budget-per-day}, per compute-hour otherwise): the budget is spent on the highest scores first.
 *
 * @param points predicted gain, already times {@code gainRatio}
 * @param filesRemoved files it is predicted to take out of the table (after the correction)
 * @param bytes bytes it rewrites (OPTIMIZE) or deletes (VACUUM), as planned
 * @param computeHours predicted core- or node-hours, already times {@code costRatio}
 * @param cost predicted money, already corrected; null when the backend has no prices
 * @param gainRatio measured / predicted gain over the table's latest runs of the action, bounded (1 without any)
 * @param costRatio measured / predicted duration over those runs, bounded (1 without any)
 * @param learnedFrom how many runs the ratios come from
 */
public record Forecast(double points, long filesRemoved, long bytes, double computeHours, BigDecimal cost, String currency,
                       double gainRatio, double costRatio, int learnedFrom, double score) {

    /** For logs and /api/tables: "score 120.5: 241 points for 2.00 core-hours, ~0.1600 USD (learned from 3 runs: gain x0.80, cost x1.25)". */
    public String describe() {
        return String.format(Locale.ROOT, "score %.1f: %.0f points for %.3f compute-hours%s%s", score, points, computeHours,
                cost == null ? "" : ", ~" + cost.toPlainString() + " " + currency,
                learnedFrom == 0 ? "" : String.format(Locale.ROOT, " (learned from %d run%s: gain x%.2f, cost x%.2f)", learnedFrom,
                        learnedFrom == 1 ? "" : "s", gainRatio, costRatio));
    }
}
