package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.maintain.RunOwner;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.MaintainSession;
import io.deltaagent.store.SessionRun;
import io.deltaagent.store.SessionStore;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delta-agent session ID}: where a detached maintain is, from the history database, on any host. */
@Command(name = "session", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Show a detached maintain (maintain --detach): running, ended or lost, its runs, and its exit code and result.",
        description = {"Reads the session from the history database, so it works from any host that reaches it (an Airflow",
            "trigger). With --cancel, stops a running session from any host: the cancel is recorded in the history database,",
            "which the session's process checks every few seconds (on its own host it also gets SIGTERM at once); the job",
            "in flight is cancelled and recorded CANCELLED, and the session ends with exit code 143."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the session was found (whatever its state)",
            "2:bad usage, or no session with this id",
            "75:the history database unreachable or timing out: retry later"})
final class SessionCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "The session id maintain --detach printed (or was given with --session).")
    String id;

    @Mixin
    HistoryDbOption historyDb;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    AuditCommand.Format format;

    @Option(names = "--cancel", description = "Stop the session if it still runs, from any host (its process checks the "
            + "history database every few seconds; on this host it gets SIGTERM at once).")
    boolean cancel;

    private final Main.Context context;

    SessionCommand(Main.Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String problem = SessionIds.problem(id);
        if (problem != null) {
            context.err().println("delta-agent: " + problem.replace("--session ", "ID "));
            return ExitCode.USAGE;
        }
        try (HistoryStore store = cancel ? historyDb.open(context.env()) : historyDb.openForReading(context.env())) {
            SessionStore sessions = new SessionStore(store);
            Optional<MaintainSession> found = sessions.find(id);
            if (found.isEmpty()) {
                context.err().println("delta-agent: no maintain session " + id + " in the history database " + store.describe()
                        + " (maintain --detach prints the id; was the same --history-db given?)");
                return ExitCode.USAGE;
            }
            MaintainSession session = found.get();
            String message = null;
            if (cancel) {
                message = cancel(sessions, session);
            }
            session = sessions.find(id).orElse(session);
            print(SessionStatus.of(session, sessions.runs(session), message));
            return ExitCode.HEALTHY;
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.ofHistoryFailure(e);
        }
    }

    /** Records the cancel for the session's process to find, and signals it at once when it runs here; says what was done. */
    private String cancel(SessionStore sessions, MaintainSession session) {
        SessionStatus now = SessionStatus.of(session, List.of(), null);
        if (!"RUNNING".equals(now.state())) {
            return "nothing to cancel: the session is " + now.state();
        }
        if (!sessions.requestCancel(id, context.clock().instant())) {
            return "nothing to cancel: the session has just ended";
        }
        OptionalLong pid = RunOwner.localPid(session.owner());
        if (pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::destroy).orElse(false)) {
            return "cancel recorded, and its process " + pid.getAsLong() + " asked to stop (SIGTERM): the job in flight is "
                    + "cancelled and recorded, then the session ends with exit code 143";
        }
        return "cancel recorded in the history database: its process " + session.owner() + " finds it within "
                + SessionCancelWatch.EVERY.toSeconds() + " s, cancels the job in flight and ends the session with exit code 143";
    }

    private void print(SessionStatus status) {
        var out = context.out();
        if (format == AuditCommand.Format.json) {
            try {
                out.println(Json.MAPPER.writeValueAsString(status));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise the session", e);
            }
            return;
        }
        out.println("session " + status.session() + ": " + status.state()
                + (status.exitCode() == null ? "" : " (exit " + status.exitCode() + ")"));
        out.println("  process " + status.owner() + ", started " + status.startedAt()
                + (status.endedAt() == null ? "" : ", ended " + status.endedAt()));
        out.println("  log " + status.log());
        for (SessionRun run : status.runs()) {
            out.println("  run " + run.runId() + ": " + run.action() + io.deltaagent.plan.PlannedAction.unitText(run.unit(), run.units())
                    + " of " + run.table() + ": " + run.state() + (run.runUrl() == null ? "" : "  " + run.runUrl()));
        }
        if (status.result() != null) {
            status.result().path("tables").forEach(t -> out.println("  " + t.path("table").asText() + ": "
                    + t.path("status").asText() + (t.path("error").isObject() ? ": " + t.path("error").path("message").asText() : "")));
        }
        if (status.message() != null) {
            out.println("  " + status.message());
        }
    }
}
