package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.deltaagent.config.ByteSize;
import io.deltaagent.cost.CostEstimate;
import io.deltaagent.maintain.RunRows;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.report.FleetReport;
import io.deltaagent.report.Money;
import io.deltaagent.report.ReportBuilder;
import io.deltaagent.report.TableReport;
import io.deltaagent.storage.TablePaths;
import io.deltaagent.store.AuditSample;
import io.deltaagent.store.AuditSampleStore;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delta-agent report}: what maintenance ran, cost and bought over a window, per table and for the fleet. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Report what maintenance ran, what it cost (estimated) and what it bought, per table and for the fleet.",
        description = {"From the history database: actions run, succeeded and failed, files and bytes compacted, write",
            "amplification, estimated cost, files and log-read latency at the window's first and last audit, and the tables",
            "still due and why. Audits are in it when they were recorded (the daemon, maintain, audit --history-db)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the report was written", "2:bad usage, or the history database cannot be read",
            "75:the history database unreachable or timing out: retry later"})
final class ReportCommand implements Callable<Integer> {

    enum Format { text, json, html }

    @Parameters(paramLabel = "TABLE", arity = "0..*", description = "Only these tables (however spelled); default: every table.")
    List<String> tables = new ArrayList<>();

    @Mixin
    HistoryDbOption historyDb;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "7d", converter = Positive.DurationValue.class,
            description = "The window: this long up to now (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); html is one self-contained page.")
    Format format;

    @Option(names = "--shadow", description = "The budget section as shadow mode's what-if (daemon --shadow): the actions the "
            + "daemon would have run, their predicted cost and files removed.")
    boolean shadow;

    private final Main.Context context;

    ReportCommand(Main.Context context) {
        this.context = context;
    }

    /** @param budget the daemon's budgeted decisions in the window (or shadow mode's what-if), null when there were none */
    record Document(int schemaVersion, String command, FleetReport report, io.deltaagent.report.BudgetReport budget) {
    }

    @Override
    public Integer call() {
        Set<String> only = new TreeSet<>();
        for (String t : tables) {
            try {
                only.add(TablePaths.canonical(t));
            } catch (IllegalArgumentException e) {
                context.err().println("delta-agent: TABLE " + t + ": " + e.getMessage());
                return ExitCode.USAGE;
            }
        }
        Instant until = context.clock().instant();
        Instant from = until.minus(since);
        FleetReport report;
        io.deltaagent.report.BudgetReport budget;
        try (HistoryStore store = historyDb.openForReading(context.env())) {
            List<RunRecord> runs = store.runs().runsSince(from).stream().filter(r -> only.isEmpty() || only.contains(r.table())).toList();
            Map<Long, CostEstimate> costs = new HashMap<>();
            for (RunRecord r : runs) {
                store.runs().cost(r.id()).map(RunRows::estimate).ifPresent(c -> costs.put(r.id(), c));
            }
            List<AuditSample> samples = new AuditSampleStore(store).samples(null, from).stream()
                    .filter(s -> only.isEmpty() || only.contains(s.table())).toList();
            Map<String, String> names = new HashMap<>();
            new io.deltaagent.store.CatalogNameStore(store).all().forEach((path, ref) -> names.put(path, ref.toString()));
            report = ReportBuilder.build(from, until, runs, costs, samples, names);
            List<io.deltaagent.store.DecisionRow> decisions = new io.deltaagent.store.DecisionStore(store).since(from, null, shadow)
                    .stream().filter(d -> only.isEmpty() || only.contains(d.table())).toList();
            Map<Long, RunRecord> byId = new HashMap<>();
            runs.forEach(r -> byId.put(r.id(), r));
            budget = decisions.isEmpty() ? null : io.deltaagent.report.BudgetReportBuilder.build(decisions, byId, shadow);
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.ofHistoryFailure(e);
        }
        switch (format) {
            case json -> {
                try {
                    context.out().println(Json.MAPPER.writeValueAsString(new Document(JsonAuditWriter.SCHEMA_VERSION, "report", report, budget)));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot serialise the report", e);
                }
            }
            case html -> context.out().print(ReportHtml.render(report));
            default -> {
                text(report, context.out());
                budgetText(budget, shadow, context.out());
            }
        }
        return ExitCode.HEALTHY;
    }

    private static void text(FleetReport r, PrintStream out) {
        out.println("delta-agent report, " + r.since() + " to " + r.until());
        out.printf("fleet: %d table(s); %d action(s): %d succeeded, %d failed; %s files (%s) compacted; write amplification %s; "
                        + "estimated cost %s%n", r.tables(), r.actions(), r.succeeded(), r.failed(), r.filesRewritten(),
                ByteSize.format(r.bytesRewritten()), amplification(r.writeAmplification()), money(r.cost()));
        if (!r.perTable().isEmpty()) {
            out.printf("%n%-40s %-16s %7s %6s %9s %11s %9s %-19s %-17s%n", "table", "status", "actions", "failed", "files",
                    "bytes", "write amp", "files (first>last)", "log read (ms)");
        }
        for (TableReport t : r.perTable()) {
            out.printf("%-40s %-16s %7d %6d %9d %11s %9s %-19s %-17s%n", t.label(), t.status() == null ? "-" : t.status(),
                    t.actions(), t.failed(), t.filesRewritten(), ByteSize.format(t.bytesRewritten()),
                    amplification(t.writeAmplification()), span(t.filesBefore(), t.filesAfter()),
                    span(t.logReadMillisBefore(), t.logReadMillisAfter()));
            if (!t.cost().isEmpty()) {
                out.println("  estimated cost " + money(t.cost()));
            }
        }
        if (!r.dueTables().isEmpty()) {
            out.println();
            out.println("still due:");
            r.dueTables().forEach(d -> out.println("  " + d));
        }
    }

    private static void budgetText(io.deltaagent.report.BudgetReport b, boolean shadow, PrintStream out) {
        if (b == null) {
            if (shadow) {
                out.println();
                out.println("shadow mode: no decisions recorded in the window (run daemon --shadow)");
            }
            return;
        }
        out.println();
        if (b.shadow()) {
            out.printf("shadow mode what-if: %d action(s) would have run, removing ~%d files for ~%.4f compute-hours, cost %s; "
                    + "%d deferred by the budget%n", b.admitted(), b.predicted().filesRemoved(), b.predicted().computeHours(),
                    money(b.predicted().cost()), b.deferred());
        } else {
            out.printf("budget: %d action(s) admitted, %d deferred by the budget, %d ran: predicted %d files removed, %.4f "
                            + "compute-hours, %s; measured %d files removed, %.4f compute-hours, %s%n", b.admitted(), b.deferred(),
                    b.ran(), b.predicted().filesRemoved(), b.predicted().computeHours(), money(b.predicted().cost()),
                    b.measured().filesRemoved(), b.measured().computeHours(), money(b.measured().cost()));
        }
        out.printf("%-40s %8s %8s %19s %23s%n", "table", "admitted", "deferred", "files removed p/m", "compute-hours p/m");
        for (io.deltaagent.report.BudgetReport.TableBudget t : b.perTable()) {
            out.printf("%-40s %8d %8d %19s %23s%n", t.table(), t.admitted(), t.deferred(),
                    t.predicted().filesRemoved() + " / " + (t.measured() == null ? "-" : t.measured().filesRemoved()),
                    String.format(java.util.Locale.ROOT, "%.4f / %s", t.predicted().computeHours(),
                            t.measured() == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", t.measured().computeHours())));
            if (!t.predicted().cost().isEmpty()) {
                out.println("  cost predicted " + money(t.predicted().cost())
                        + (t.measured() == null ? "" : ", measured " + money(t.measured().cost())));
            }
        }
    }

    static String amplification(Double a) {
        return a == null ? "-" : String.format(java.util.Locale.ROOT, "%.2fx", a);
    }

    static String money(List<Money> cost) {
        return cost.isEmpty() ? "- (no prices configured)"
                : cost.stream().map(m -> "~" + m.amount().toPlainString() + " " + m.currency()).collect(Collectors.joining(" + "));
    }

    static String span(Long first, Long last) {
        return first == null ? "-" : first + " > " + last;
    }
}
