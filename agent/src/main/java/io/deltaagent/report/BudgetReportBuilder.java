package io.deltaagent.report;

import io.deltaagent.store.DecisionRow;
import io.deltaagent.store.RunCheck;
import io.deltaagent.store.RunRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a {@link BudgetReport} from the window's decision rows and the runs they became. Predicted and measured are
 * compared over the same actions (those whose run ended); in shadow mode nothing ran, and the predicted figures cover
 * every action that would have. Files removed are measured from the run's commits (files rewritten minus written).
 */
public final class BudgetReportBuilder {

    private BudgetReportBuilder() {
    }

    public static BudgetReport build(List<DecisionRow> decisions, Map<Long, RunRecord> runs, boolean shadow) {
        Map<String, List<DecisionRow>> byTable = new TreeMap<>();
        decisions.stream().filter(d -> d.shadow() == shadow).forEach(d -> byTable.computeIfAbsent(d.table(), t -> new ArrayList<>()).add(d));
        List<BudgetReport.TableBudget> perTable = new ArrayList<>();
        Sums predicted = new Sums();
        Sums measured = new Sums();
        int admitted = 0;
        int deferred = 0;
        int ran = 0;
        for (Map.Entry<String, List<DecisionRow>> e : byTable.entrySet()) {
            Sums p = new Sums();
            Sums m = new Sums();
            int a = 0;
            int r = 0;
            Set<String> waiting = new HashSet<>();
            for (DecisionRow d : e.getValue()) {
                if ("BUDGET".equals(d.verdict())) {
                    waiting.add(d.action() + "@" + d.tableVersion());
                    continue;
                }
                if (!"ADMITTED".equals(d.verdict())) {
                    continue;
                }
                a++;
                RunRecord run = d.runId() == null ? null : runs.get(d.runId());
                boolean measuredRun = !shadow && d.measuredComputeHours() != null && run != null && run.state().finished();
                if (shadow || measuredRun) {
                    p.add(d.predictedFilesRemoved(), d.predictedComputeHours(), d.predictedCost(), d.currency());
                }
                if (measuredRun) {
                    r++;
                    RunCheck c = run.check();
                    long removed = c == null || c.filesRewritten() == null ? 0
                            : Math.max(0, c.filesRewritten() - (c.filesWritten() == null ? 0 : c.filesWritten()));
                    m.add(removed, d.measuredComputeHours(), d.measuredCost(), d.currency());
                }
            }
            perTable.add(new BudgetReport.TableBudget(e.getKey(), a, waiting.size(), r, p.figures(), shadow ? null : m.figures()));
            predicted.add(p);
            measured.add(m);
            admitted += a;
            deferred += waiting.size();
            ran += r;
        }
        return new BudgetReport(shadow, admitted, deferred, ran, predicted.figures(), shadow ? null : measured.figures(), perTable);
    }

    private static final class Sums {
        long files;
        double hours;
        final Map<String, BigDecimal> cost = new TreeMap<>();

        void add(long f, double h, BigDecimal money, String currency) {
            files += f;
            hours += h;
            if (money != null && currency != null) {
                cost.merge(currency, money, BigDecimal::add);
            }
        }

        void add(Sums other) {
            files += other.files;
            hours += other.hours;
            other.cost.forEach((c, v) -> cost.merge(c, v, BigDecimal::add));
        }

        BudgetReport.Figures figures() {
            return new BudgetReport.Figures(files, Math.round(hours * 10_000) / 10_000.0,
                    cost.entrySet().stream().map(x -> new Money(x.getKey(), x.getValue())).toList());
        }
    }
}
