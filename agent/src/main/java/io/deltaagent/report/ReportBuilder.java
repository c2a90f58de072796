package io.deltaagent.report;

import io.deltaagent.cost.CostEstimate;
import io.deltaagent.store.AuditSample;
import io.deltaagent.store.RunCheck;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a report from the history database's runs (with their cost estimates) and audit samples of one window: per
 * table, and for the fleet. Files and bytes compacted are what the runs' commits did, read back from the log: a run
 * cancelled or failed after it committed counts what it committed (and counts as failed); every run counts as an action.
 */
public final class ReportBuilder {

    private ReportBuilder() {
    }

    public static FleetReport build(Instant since, Instant until, List<RunRecord> runs, Map<Long, CostEstimate> costs,
                                    List<AuditSample> samples) {
        return build(since, until, runs, costs, samples, Map.of());
    }

    /** @param catalogNames what catalogs call the tables ({@code catalog:name}), by table path */
    public static FleetReport build(Instant since, Instant until, List<RunRecord> runs, Map<Long, CostEstimate> costs,
                                    List<AuditSample> samples, Map<String, String> catalogNames) {
        TreeSet<String> tables = new TreeSet<>();
        runs.forEach(r -> tables.add(r.table()));
        samples.forEach(s -> tables.add(s.table()));
        List<TableReport> perTable = new ArrayList<>();
        for (String table : tables) {
            perTable.add(table(table, runs.stream().filter(r -> r.table().equals(table)).toList(), costs,
                    samples.stream().filter(s -> s.table().equals(table)).toList(), catalogNames.get(table)));
        }
        Totals all = new Totals();
        List<String> due = new ArrayList<>();
        for (TableReport t : perTable) {
            all.actions += t.actions();
            all.succeeded += t.succeeded();
            all.failed += t.failed();
            all.filesRewritten += t.filesRewritten();
            all.bytesRewritten += t.bytesRewritten();
            t.cost().forEach(m -> all.cost.merge(m.currency(), m.amount(), BigDecimal::add));
            if ("MAINTENANCE_DUE".equals(t.status())) {
                due.add(t.table() + (t.due() == null ? "" : ": " + t.due()));
            }
        }
        for (RunRecord r : runs) {
            all.amplification(r);
        }
        return new FleetReport(since, until, perTable.size(), all.actions, all.succeeded, all.failed, all.filesRewritten,
                all.bytesRewritten, all.writeAmplification(), all.money(), due, perTable);
    }

    private static TableReport table(String table, List<RunRecord> runs, Map<Long, CostEstimate> costs, List<AuditSample> samples,
                                     String catalog) {
        Totals t = new Totals();
        for (RunRecord r : runs) {
            t.actions++;
            if (r.state() == RunState.SUCCEEDED) {
                t.succeeded++;
            } else if (r.state().finished()) {
                t.failed++;
            }
            RunCheck c = r.check();
            // what the run's commits did, read back from the log: a run cancelled after it committed counts that too
            if (r.state().finished() && c != null && c.filesRewritten() != null) {
                t.filesRewritten += c.filesRewritten();
                t.bytesRewritten += c.bytesRewritten() == null ? 0 : c.bytesRewritten();
            }
            t.amplification(r);
            CostEstimate cost = costs.get(r.id());
            if (cost != null) {
                t.cost.merge(cost.currency(), cost.amount(), BigDecimal::add);
            }
        }
        List<AuditSample> measured = samples.stream().filter(s -> s.files() != null).toList();
        AuditSample first = measured.isEmpty() ? null : measured.get(0);
        AuditSample last = measured.isEmpty() ? null : measured.get(measured.size() - 1);
        AuditSample newest = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        return new TableReport(table, newest == null ? null : newest.status(), newest == null ? null : newest.due(),
                newest == null ? null : newest.sampledAt(), t.actions, t.succeeded, t.failed, t.filesRewritten, t.bytesRewritten,
                t.writeAmplification(), t.money(), first == null ? null : first.files(), last == null ? null : last.files(),
                first == null ? null : first.logReadMillis(), last == null ? null : last.logReadMillis(), catalog);
    }

    /** Sums over runs. */
    private static final class Totals {
        int actions;
        int succeeded;
        int failed;
        long filesRewritten;
        long bytesRewritten;
        long amplifiedBytes;
        long smallFileBytes;
        final Map<String, BigDecimal> cost = new TreeMap<>();

        /** A successful run that reports both its bytes rewritten and the small-file bytes it planned. */
        void amplification(RunRecord r) {
            RunCheck c = r.check();
            if (r.state() == RunState.SUCCEEDED && c != null && c.bytesRewritten() != null && c.plannedSmallFileBytes() > 0) {
                amplifiedBytes += c.bytesRewritten();
                smallFileBytes += c.plannedSmallFileBytes();
            }
        }

        Double writeAmplification() {
            return smallFileBytes == 0 ? null : Math.round(100.0 * amplifiedBytes / smallFileBytes) / 100.0;
        }

        List<Money> money() {
            return cost.entrySet().stream().map(e -> new Money(e.getKey(), e.getValue())).toList();
        }
    }
}
