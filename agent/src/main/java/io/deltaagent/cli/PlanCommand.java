package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.ByteSize;
import io.deltaagent.plan.MaintenancePlan;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.Breach;
import io.deltaagent.submit.Backends;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code delta-agent plan}: audit, then show the maintenance each table needs, in order, without acting. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Audit tables and show the maintenance each would get, in order, with reasons; runs nothing.",
        description = {"Audit tables, then show the maintenance plan of each: the actions in the order they would run",
            "(checkpoint compaction, OPTIMIZE [ZORDER BY] limited to the partitions that need it, VACUUM), the breaches",
            "that justify each and what it is expected to achieve. Acts on nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no table needs maintenance now",
            "1:at least one table could not be read (the others are still planned)",
            "2:bad usage or config",
            "3:at least one table has planned actions (--on-due skip: 99, --on-due succeed: 0)",
            "4:at least one table is not maintainable here (catalog-managed, or a writer feature the job runtime does",
            "    not support): audited and planned nothing; outranks 3, outranked by 1",
            "75:no table could be read, each for a transient cause: retry later"})
final class PlanCommand extends AuditCommand {

    PlanCommand(Main.Context context) {
        super(context);
    }

    record TablePlan(String table, JsonAuditWriter.CatalogJson catalog, AuditOutcome.Status status, MaintenancePlan plan, JsonAuditWriter.ErrorJson error) {
    }

    record Document(int schemaVersion, String command, Instant startedAt, int exitCode, List<TablePlan> tables) {
    }

    @Override
    int render(AuditReport report) {
        Planner planner = new Planner(Backends.jobRuntimes(agentConfig.backends(), context.env(), null));
        List<TablePlan> plans = new ArrayList<>();
        boolean anyAction = false;
        boolean anyError = false;
        boolean anyRefused = false;
        for (AuditOutcome o : report.outcomes()) {
            if (o.error() != null) {
                anyError = true;
                plans.add(new TablePlan(o.table(), report.catalogOf(o.table()), o.status(), null,
                        new JsonAuditWriter.ErrorJson(o.error().kind().name(), o.error().getMessage())));
                continue;
            }
            MaintenancePlan plan = planner.plan(o.health(), o.breaches(), report.settings().get(o.table()), context.clock().instant());
            anyAction |= !plan.isEmpty();
            anyRefused |= !plan.maintainable();
            plans.add(new TablePlan(o.table(), report.catalogOf(o.table()), o.status(), plan, null));
        }
        int exit = onDue.apply(anyError ? report.exitCode() : anyRefused ? ExitCode.NOT_MAINTAINABLE
                : anyAction ? ExitCode.MAINTENANCE_DUE : ExitCode.HEALTHY);
        if (format == Format.json) {
            try {
                context.out().println(Json.MAPPER.writeValueAsString(
                        new Document(JsonAuditWriter.SCHEMA_VERSION, "plan", report.startedAt(), exit, plans)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise the plans", e);
            }
        } else {
            plans.forEach(p -> text(p));
        }
        return exit;
    }

    private void text(TablePlan p) {
        var out = context.out();
        if (p.error() != null) {
            out.println(p.error().message() + " [" + p.error().kind() + "]");
            return;
        }
        MaintenancePlan plan = p.plan();
        out.println((p.catalog() == null ? plan.table() : plan.table() + " (" + p.catalog().name() + ":" + p.catalog().table() + ")")
                + " (version " + plan.tableVersion() + "): "
                + (!plan.maintainable() ? "not maintainable here" : plan.isEmpty() ? "nothing to do" : plan.actions().size() + " action(s)"));
        if (!plan.maintainable()) {
            out.println("  " + plan.notMaintainable());
        }
        int n = 0;
        for (PlannedAction a : plan.actions()) {
            n++;
            out.println("  " + n + ". " + a.action()
                    + a.unitText()
                    + (a.zorderBy().isEmpty() ? "" : " ZORDER BY " + String.join(", ", a.zorderBy()))
                    + (a.where() == null ? "" : " WHERE " + a.where())
                    + (a.vacuumRetention() == null ? "" : " RETAIN " + io.deltaagent.config.Durations.toConfigString(a.vacuumRetention())));
            for (Breach b : a.reasons()) {
                out.println("     because " + b.threshold() + ": " + b.detail());
            }
            out.println("     expect  " + a.expected().filesRewritten() + " files (" + ByteSize.format(a.expected().bytesRewritten())
                    + ") rewritten, about " + a.expected().filesAfter() + " files after, "
                    + a.expected().commitsSinceCheckpointAfter() + " commit(s) to replay after");
            if (a.sizes() != null) {
                out.println("     sizes   " + (a.zorderBy().isEmpty()
                        ? "only files below " + ByteSize.format(a.sizes().minFileSize()) + " are rewritten"
                        : "Z-order rewrites every file of the selected partitions")
                        + ", into files of up to " + ByteSize.format(a.sizes().maxFileSize())
                        + (a.sizes().maxBytesPerCommit() == null ? ""
                        : ", committing every " + ByteSize.format(a.sizes().maxBytesPerCommit())));
            }
            if (!a.skippedPartitions().isEmpty()) {
                out.println("     skipped " + a.skippedPartitions().size() + " hot partition(s): " + String.join(", ", a.skippedPartitions()));
            }
        }
        plan.notes().forEach(note -> out.println("  note: " + note));
    }
}
