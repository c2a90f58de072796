package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.maintain.RunRows;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunCheck;
import io.deltaagent.store.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delta-agent history}: the recorded maintenance runs with before, after and the change. */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show recorded maintenance runs, newest first: action, outcome, and the table's figures before and after.")
final class HistoryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TABLE", arity = "0..1", description = "Only this table, however it is spelled (relative, file: URI, through a symlink).")
    String table;

    @Mixin
    HistoryDbOption historyDb;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", converter = Positive.Count.class,
            description = "At most N runs, N >= 1 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    AuditCommand.Format format;

    private final Main.Context context;

    HistoryCommand(Main.Context context) {
        this.context = context;
    }

    record RunJson(long id, String table, JsonAuditWriter.CatalogJson catalog, String action, String state, String backend, String cluster, Instant submittedAt,
                   Instant endedAt, Long commitVersion, JsonNode commit, Summary before, Summary after, String filesChange,
                   int unit, int units, RunCheck check, String error, boolean forced, String commitTag,
                   io.deltaagent.cost.CostEstimate cost, String stoppedBy) {
    }

    @Override
    public Integer call() {
        List<RunJson> rows = new ArrayList<>();
        String canonical;
        try {
            canonical = table == null ? null : io.deltaagent.storage.TablePaths.canonical(table);
        } catch (IllegalArgumentException e) {
            context.err().println("delta-agent: TABLE " + table + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        try (HistoryStore store = historyDb.openForReading(context.env())) {
            var names = new io.deltaagent.store.CatalogNameStore(store).all();
            for (RunRecord r : store.runs().history(canonical, limit)) {
                var name = names.get(r.table());
                rows.add(row(r, name == null ? null : new JsonAuditWriter.CatalogJson(name.catalog(), name.table()),
                        store.runs().commitInfo(r.id()).map(Json::treeOrNull).orElse(null), store.runs().cost(r.id()).map(RunRows::estimate).orElse(null)));
            }
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.ofHistoryFailure(e);
        }
        print(rows);
        return ExitCode.HEALTHY;
    }

    private static RunJson row(RunRecord r, JsonAuditWriter.CatalogJson catalog, JsonNode commit,
                               io.deltaagent.cost.CostEstimate cost) {
        Summary before = Summary.of(r.before());
        Summary after = Summary.of(r.after());
        return new RunJson(r.id(), r.table(), catalog, r.action(), r.state().name(), r.backend(), r.clusterSpec(), r.submittedAt(),
                r.endedAt(), r.commitVersion(), commit, before, after,
                before == null || after == null ? null : Summary.change(before.files(), after.files()), r.unit(), r.units(),
                r.check(), r.error(), r.forced(), r.commitTag(), cost, r.stoppedBy());
    }

    private void print(List<RunJson> rows) {
        if (format == AuditCommand.Format.json) {
            try {
                context.out().println(Json.MAPPER.writeValueAsString(rows));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else if (rows.isEmpty()) {
            context.out().println("no maintenance runs recorded" + (table == null ? "" : " for " + table));
        } else {
            for (RunJson r : rows) {
                context.out().printf("run %d  %s  %s%s  %s%s  submitted %s%n", r.id(),
                        r.catalog() == null ? r.table() : r.table() + " (" + r.catalog().name() + ":" + r.catalog().table() + ")", r.action(),
                        io.deltaagent.plan.PlannedAction.unitText(r.unit(), r.units()), r.state(),
                        r.check() != null && r.check().deviation() != null ? " DEVIATED" : "", r.submittedAt()
                                + (r.forced() ? "  (forced)" : ""));
                if (r.before() != null && r.after() != null) {
                    Summary.printComparison(r.before(), r.after(), context.out());
                }
                if (r.commit() != null) {
                    context.out().println("  commit " + r.commitVersion() + " in the log: " + r.commit().path("operation").asText()
                            + metrics(r.commit().path("operationMetrics")));
                }
                PlanCheckText.print(RunRows.check(r.check()), "  ", context.out());
                if (r.stoppedBy() != null) {
                    context.out().println("  the agent was stopped (" + r.stoppedBy() + ") while this run's job was in flight");
                }
                if (r.cost() != null) {
                    context.out().println("  cost " + r.cost().describe());
                }
                if (r.error() != null) {
                    context.out().println("  " + r.error());
                }
            }
        }
    }

    /** The commit's file metrics as Delta wrote them (OPTIMIZE: numRemovedFiles, numAddedFiles, ...). */
    private static String metrics(JsonNode metrics) {
        StringBuilder out = new StringBuilder();
        for (String key : List.of("numRemovedFiles", "numAddedFiles", "numRemovedBytes", "numAddedBytes", "numDeletedFiles")) {
            if (metrics.has(key)) {
                out.append(out.length() == 0 ? ": " : ", ").append(key).append(' ').append(metrics.get(key).asText());
            }
        }
        return out.toString();
    }

}
