package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.error.TableReadException;
import io.deltaagent.maintain.ActionResult;
import io.deltaagent.maintain.MaintenanceResult;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.maintain.Maintainer;
import io.deltaagent.maintain.Reconciler;
import io.deltaagent.maintain.RunExecutor;
import io.deltaagent.store.DbRetry;
import io.deltaagent.maintain.RunOwner;
import io.deltaagent.maintain.StopRequest;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.HealthFigures;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.AuditSample;
import io.deltaagent.store.MaintainSession;
import io.deltaagent.store.SessionRun;
import io.deltaagent.store.SessionStore;
import io.deltaagent.config.BackendsConfig;
import io.deltaagent.config.TableSettings;
import io.deltaagent.submit.Backends;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobStorage;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code delta-agent maintain}: audit, plan, run each action on a fresh job cluster, re-audit, record. */
@Command(name = "maintain", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Audit, plan and run maintenance jobs on compute made for them, then re-audit and record before/after.",
        description = {"Audit tables, plan their maintenance, run each action on compute made for it (the local backend:",
            "a fresh local Spark process per job), re-audit each table from its log and record before/after in the",
            "history database."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every table healthy or healed",
            "1:at least one table could not be read or a job failed",
            "2:bad usage or config",
            "3:maintenance still due on at least one table (--on-due skip: 99, --on-due succeed: 0)",
            "4:at least one table is not maintainable here (catalog-managed, or a writer feature the job runtime does",
            "    not support): audited, no job submitted; outranks 3, outranked by 1",
            "75:every failure was transient (history database, catalog or storage unavailable or throttled): retry later",
            "130:stopped by SIGINT, 143: by SIGTERM: the job in flight was cancelled, its run recorded with what it",
            "    committed, and the results printed; no further job was started"})
final class MaintainCommand extends AuditCommand {

    @Option(names = "--job-timeout", paramLabel = "DURATION", defaultValue = "2h", converter = Positive.DurationValue.class,
            description = "Stop a job that runs longer (default: ${DEFAULT-VALUE}).")
    Duration jobTimeout;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Run every table's jobs on this backend (local, spark-submit, databricks, emr, emr-serverless); "
                    + "overrides the config's backend. Backends other than local need their section under backends: in --config.")
    String backend;

    @Mixin
    LocalBackendOptions local;

    @Option(names = "--force",
            description = "Run what the plan says even within an action's cooldown or after a run that changed nothing "
                    + "(the no-progress guard); the runs are recorded as forced. For a rerun after a killed or failed job.")
    boolean force;

    @Option(names = "--detach",
            description = "Run this maintain in a background agent process and return once it has started, printing its "
                    + "session as one JSON line; follow it with 'delta-agent session ID' (from any host that reaches the history "
                    + "database). For Airflow's deferrable mode.")
    boolean detach;

    @Option(names = "--session", paramLabel = "ID",
            description = "Record this maintain as session ID (1 to 200 letters, digits and . _ : + -) with its exit code and "
                    + "result document at its end. With --detach: an ID already recorded starts nothing and prints that "
                    + "session again, so a resubmission never runs maintenance twice.")
    String session;

    /** Where a detached session's output goes; set by --detach for its background process. */
    @Option(names = "--session-log", paramLabel = "FILE", hidden = true)
    String sessionLog;

    /** The detaching caller that claimed the session (its owner); set by --detach for its background process. */
    @Option(names = "--session-claim", paramLabel = "OWNER", hidden = true)
    String sessionClaim;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The result document (JSON) of this maintain, kept for its session. */
    private String document;

    /** Where this maintain's session is recorded (--session), else null. */
    private SessionStore sessions;

    MaintainCommand(Main.Context context) {
        super(context);
    }

    @Override
    public Integer call() {
        if (session != null && SessionIds.problem(session) != null) {
            context.err().println("delta-agent: " + SessionIds.problem(session));
            return ExitCode.USAGE;
        }
        try {
            historyDb.checkRecordable(context.env()); // before any audit: a history it cannot record in, refused with nothing done
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.ofHistoryFailure(e);
        }
        if (detach) {
            if (!loadConfig()) {
                return ExitCode.USAGE; // said why; nothing started
            }
            try {
                return new DetachedMaintain(context).start(spec.commandLine().getParseResult().originalArgs(), session, historyDb);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StopSignals.exitCode("SIGINT");
            }
        }
        if (session == null) {
            return super.call();
        }
        org.slf4j.MDC.put(io.deltaagent.error.LogContext.SESSION, session); // on every log line of this process: its session
        Instant startedAt = context.clock().instant();
        try {
            sessions = new SessionStore(historyDb.open(context.env()));
            boolean recorded = sessionClaim != null
                    ? sessions.adopt(session, sessionClaim, RunOwner.current(), startedAt, sessionLog)
                    : sessions.started(session, RunOwner.current(), startedAt, sessionLog);
            if (!recorded) {
                context.err().println("delta-agent: maintain session " + session + (sessionClaim != null
                        ? " is no longer held by " + sessionClaim + ", the maintain --detach that started this process: "
                        + "nothing started" : " already exists in the history database: give another --session (or none, "
                        + "for a new id)"));
                return ExitCode.USAGE;
            }
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.ofHistoryFailure(e);
        }
        writeStatus(startedAt, null, null, List.of());
        int exit = ExitCode.USAGE;
        try {
            exit = super.call();
            return exit;
        } finally {
            Instant endedAt = context.clock().instant();
            List<SessionRun> runs = List.of();
            try {
                sessions.ended(session, endedAt, exit, document);
                runs = sessions.find(session).map(sessions::runs).orElse(List.of());
            } catch (DeltaAgentException e) {
                context.err().println("delta-agent: " + e.getMessage() + "; 'delta-agent session " + session
                        + "' will report it LOST");
            }
            org.slf4j.MDC.remove(io.deltaagent.error.LogContext.SESSION);
            writeStatus(startedAt, endedAt, exit, runs);
        }
    }

    /** The session's status file (what a trigger on this host polls): running, or how it ended. */
    private void writeStatus(Instant startedAt, Instant endedAt, Integer exit, List<SessionRun> runs) {
        MaintainSession now = new MaintainSession(session, RunOwner.current(), startedAt, endedAt, exit, sessionLog,
                endedAt == null ? null : document, null);
        SessionStatusFile.write(SessionIds.statusOf(session, sessionLog, context.host()), SessionStatus.of(now, runs, null), context.err());
    }

    /** maintain records its audits, before and after, in the history database it always has. */
    @Override
    boolean recordsSamples() {
        return true;
    }

    /** Before and after are compared: neither may carry the first snapshot's class loading. */
    @Override
    boolean warmUpReader() {
        return true;
    }

    record ActionJson(long runId, String action, String where, int unit, int units, String cluster, String state,
                      Instant startedAt, Instant endedAt, String runUrl, io.deltaagent.cost.CostEstimate cost, JsonNode jobResult,
                      JsonNode commit, PlanCheck check, String message) {
    }

    record TableJson(String table, JsonAuditWriter.CatalogJson catalog, MaintenanceResult.Status status, Summary before, Summary after,
                     List<ActionJson> actions, List<String> notes, JsonAuditWriter.ErrorJson error) {
    }

    record Document(int schemaVersion, String command, Instant startedAt, int exitCode, String stoppedBy,
                    List<Reconciler.Settled> reconciled, List<TableJson> tables) {
    }

    @Override
    int render(AuditReport report) {
        Maintainer maintainer;
        Reconciler reconciler;
        StopRequest stop;
        HistoryStore store = null;
        try {
            BackendsConfig backends = local.applyTo(agentConfig.backends());
            if (backend != null) {
                backends.requireKnown("--backend", backend);
            }
            Path jobs = local.sparkJobsDir();
            store = historyDb.open(context.env());
            Backends submitters = new Backends(backends, new Backends.Environment(hadoopConf, jobs, workDir(), context.clock(),
                    context.env(), JobStorage.of(agentConfig.hadoop(), context.env())));
            // build every backend the tables use now: a misconfigured backend is a config error before any job starts
            for (TableSettings settings : report.settings().values()) {
                submitters.apply(backend != null ? backend : settings.backend());
            }
            stop = new StopRequest(Thread.currentThread());
            // one lifecycle for the runs this maintain starts and those it settles for a process that died
            RunExecutor executor = new RunExecutor(store, logReader, submitters, Json.MAPPER, context.clock(),
                    new DbRetry(Maintainer.HISTORY_PATIENCE, Duration.ofSeconds(1)), jobTimeout);
            maintainer = new Maintainer(executor, new BreachDetector(),
                    new Planner(Backends.jobRuntimes(backends, context.env(), backend)), submitters, context.clock(), jobTimeout,
                    force, stop);
            reconciler = new Reconciler(store, executor, submitters, context.clock(), jobTimeout);
        } catch (DeltaAgentException e) {
            if (store != null) {
                store.close();
            }
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.ofHistoryFailure(e);
        }
        try (HistoryStore open = store; StopSignals signals = StopSignals.install(stop);
             SessionCancelWatch watch = SessionCancelWatch.start(sessions, session, stop)) {
            List<Reconciler.Settled> reconciled;
            try {
                reconciled = reconciler.reconcile(report.settings());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reconciled = List.of();
            }
            reconciled.forEach(s -> context.notes().println("delta-agent: " + s.table() + ": run " + s.runId() + " (" + s.action()
                    + ") reconciled to " + s.state() + ": " + s.reason()));
            return maintainAll(report, maintainer, stop, reconciled);
        }
    }

    private int maintainAll(AuditReport report, Maintainer maintainer, StopRequest stop, List<Reconciler.Settled> reconciled) {
        List<MaintenanceResult> results = new ArrayList<>();
        Map<String, String> byTableId = new HashMap<>();
        for (AuditOutcome outcome : report.outcomes()) {
            String tableId = outcome.health() == null ? null : outcome.health().identity().tableId();
            String first = tableId == null ? null : byTableId.putIfAbsent(tableId, outcome.table());
            if (first != null) {
                // the cross-check: copies of a table's files share its id, so this warns and does not refuse
                context.notes().println("delta-agent: " + outcome.table() + " has the Delta table id " + tableId + " of " + first
                        + ", also in this run: a copy of its files, or one table reached by two paths (a second mount, s3:// "
                        + "beside s3a://); if it is one table, name it one way");
            }
            if (stop.requested()) {
                results.add(new MaintenanceResult(outcome.table(), outcome.health(), null, List.of(), null, List.of(),
                        new DeltaAgentException(outcome.table() + ": not maintained: stopped by " + stop.reason())));
                continue;
            }
            try {
                TableSettings settings = report.settings().get(outcome.table());
                // a catalog or discovery root that failed has an outcome but no settings
                results.add(maintainer.maintain(outcome, backend == null || settings == null ? settings : settings.withBackend(backend)));
            } catch (Maintainer.Interrupted e) {
                results.add(e.result());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(new MaintenanceResult(outcome.table(), outcome.health(), null, List.of(), null, List.of(),
                        new DeltaAgentException(outcome.table() + ": interrupted", e)));
            } catch (DeltaAgentException e) {
                results.add(new MaintenanceResult(outcome.table(), outcome.health(), null, List.of(), null, List.of(), e));
            }
        }
        int exit = stop.requested() ? StopSignals.exitCode(stop.reason()) : onDue.apply(exitCode(results));
        if (stop.requested()) {
            context.err().println("delta-agent: stopped by " + stop.reason() + ": the job in flight was cancelled and recorded "
                    + "(a job that had already finished is recorded as it ended); no further job was started");
        }
        recordSamples(results.stream().filter(r -> r.after() != null)
                .map(r -> io.deltaagent.audit.AuditOutcome.measured(r.after(), r.remaining()).sample(r.after().measuredAt()))
                .toList());
        document = json(report, results, exit, stop.reason(), reconciled);
        if (format == Format.json) {
            context.out().println(document);
        } else {
            results.forEach(this::text);
        }
        return exit;
    }

    /** 75 when every table that failed failed for a transient cause (a rerun heals the rest), else 1, 3 or 0. */
    private static int exitCode(List<MaintenanceResult> results) {
        List<MaintenanceResult> failed = results.stream().filter(r -> r.status() == MaintenanceResult.Status.FAILED).toList();
        if (!failed.isEmpty()) {
            // a failed job without an error (null here) is a lasting failure: the job itself said no
            List<Throwable> causes = new ArrayList<>();
            failed.forEach(r -> causes.add(r.error()));
            return ExitCode.ofTableFailures(causes, results.size(), false);
        }
        if (results.stream().anyMatch(r -> r.status() == MaintenanceResult.Status.NOT_MAINTAINABLE)) {
            return ExitCode.NOT_MAINTAINABLE;
        }
        return results.stream().anyMatch(r -> r.status() == MaintenanceResult.Status.MAINTENANCE_DUE)
                ? ExitCode.MAINTENANCE_DUE : ExitCode.HEALTHY;
    }

    private String json(AuditReport report, List<MaintenanceResult> results, int exit, String stoppedBy,
                      List<Reconciler.Settled> reconciled) {
        List<TableJson> tables = new ArrayList<>();
        for (MaintenanceResult r : results) {
            List<ActionJson> actions = new ArrayList<>();
            for (ActionResult a : r.actions()) {
                actions.add(new ActionJson(a.runId(), a.action().action().name(), a.action().where(), a.action().unit(),
                        a.action().units(), a.clusterSpec(), a.outcome().state().name(), a.outcome().startedAt(), a.outcome().endedAt(), a.runUrl(), a.cost(),
                        Json.treeOrNull(a.outcome().resultJson()), Json.treeOrNull(a.commitInfo()), a.check(), a.outcome().message()));
            }
            tables.add(new TableJson(r.table(), report.catalogOf(r.table()), r.status(), Summary.of(HealthFigures.of(r.before())), Summary.of(HealthFigures.of(r.after())), actions,
                    notes(r.plan()), error(r)));
        }
        try {
            return Json.MAPPER.writeValueAsString(
                    new Document(JsonAuditWriter.SCHEMA_VERSION, "maintain", report.startedAt(), exit, stoppedBy, reconciled, tables));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the maintenance results", e);
        }
    }

    /**
     * Why a table failed, in the audit's {@code {kind, message}} shape so a caller reads one field: the read
     * failure's kind, {@code MAINTENANCE_ERROR} for any other error, or {@code JOB_<STATE>} for the first
     * action that did not succeed. Null when the table did not fail.
     */
    private static JsonAuditWriter.ErrorJson error(MaintenanceResult r) {
        if (r.error() instanceof TableReadException e) {
            return new JsonAuditWriter.ErrorJson(e.kind().name(), e.getMessage());
        }
        if (r.error() != null) {
            return new JsonAuditWriter.ErrorJson("MAINTENANCE_ERROR", r.error().getMessage());
        }
        for (ActionResult a : r.actions()) {
            if (a.outcome().state() != JobState.SUCCEEDED) {
                return new JsonAuditWriter.ErrorJson("JOB_" + a.outcome().state().name(), r.table() + ": "
                        + a.action().action() + " (run " + a.runId() + ") " + a.outcome().state()
                        + (a.outcome().message() == null ? "" : ": " + a.outcome().message()));
            }
        }
        return null;
    }


    private void text(MaintenanceResult r) {
        var out = context.out();
        out.println(r.table() + ": " + r.status());
        if (r.error() != null) {
            out.println("  " + r.error().getMessage());
        }
        int n = 0;
        for (ActionResult a : r.actions()) {
            n++;
            long ms = a.outcome().endedAt() == null || a.outcome().startedAt() == null ? 0
                    : Duration.between(a.outcome().startedAt(), a.outcome().endedAt()).toMillis();
            out.println("  " + n + ". " + a.action().action()
                    + a.action().unitText()
                    + (a.action().where() == null ? "" : " WHERE " + a.action().where())
                    + "  " + a.outcome().state() + " in " + io.deltaagent.config.Durations.humanMillis(ms)
                    + " (run " + a.runId() + ", " + a.clusterSpec() + ")");
            if (a.runUrl() != null) {
                out.println("     " + a.runUrl());
            }
            if (a.cost() != null) {
                out.println("     cost " + a.cost().describe());
            }
            if (a.outcome().message() != null) {
                out.println("     " + a.outcome().message());
            }
            PlanCheckText.print(a.check(), "     ", out);
        }
        if (r.plan() != null) {
            notes(r.plan()).forEach(note -> out.println("  note: " + note));
        }
        Summary before = Summary.of(HealthFigures.of(r.before()));
        Summary after = Summary.of(HealthFigures.of(r.after()));
        if (before != null && after != null) {
            Summary.printComparison(before, after, out);
        }
        r.remaining().forEach(b -> out.println("  still due: " + b.threshold() + " -> " + b.action() + ": " + b.detail()));
    }


    /** The plan's notes, why the table is not maintainable here first. */
    private static List<String> notes(io.deltaagent.plan.MaintenancePlan plan) {
        if (plan == null) {
            return List.of();
        }
        List<String> notes = new ArrayList<>();
        if (!plan.maintainable()) {
            notes.add(plan.notMaintainable());
        }
        notes.addAll(plan.notes());
        return notes;
    }

    private static Path workDir() {
        return Paths.get(System.getProperty("java.io.tmpdir"), "delta-agent-jobs");
    }
}
