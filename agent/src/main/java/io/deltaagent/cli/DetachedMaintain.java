package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.maintain.RunOwner;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.MaintainSession;
import io.deltaagent.store.SessionStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code maintain --detach}: the same maintain in a background agent process of its own session, so the caller (an
 * Airflow worker slot) is free while jobs run for hours. The background process records its session in the history
 * database before it audits; this returns once it sees that record, printing the session, or, when the process ended
 * before (bad usage or config), passes on its exit code and message. {@code delta-agent session ID} follows it.
 */
final class DetachedMaintain {

    /** How long the background process may take to record its session (JVM start and schema check). */
    static final Duration START_WAIT = Duration.ofSeconds(Long.getLong("deltaagent.detach.startSeconds", 120));
    private static final Path SETSID = Paths.get("/usr/bin/setsid");

    /** {@code statusFile}: the session's status file on the background process's host ({@link SessionStatusFile}). */
    record Detached(int schemaVersion, String command, boolean detached, String session, String owner, String log,
                    String statusFile, Instant startedAt, boolean existing) {
    }

    private final Main.Context context;

    DetachedMaintain(Main.Context context) {
        this.context = context;
    }

    /**
     * Starts the background maintain for {@code args} (the command line as given) as session {@code id} or a new one.
     * The session is claimed in the history database (its primary key) before anything starts, so of several callers
     * with one id exactly one starts a process; the others print the session as existing and start nothing.
     */
    int start(List<String> args, String id, HistoryDbOption historyDb) throws InterruptedException {
        String session = id != null ? id : "maintain-" + UUID.randomUUID();
        String caller = RunOwner.current();
        try (HistoryStore store = historyDb.open(context.env())) {
            SessionStore sessions = new SessionStore(store);
            Path log = SessionIds.logOf(session, context.host());
            if (!sessions.started(session, caller, context.clock().instant(), log.toString())) {
                Optional<MaintainSession> existing = sessions.find(session);
                if (existing.isPresent()) {
                    return print(existing.get(), true);
                }
                context.err().println("delta-agent: maintain session " + session + " was being started by another caller "
                        + "whose background maintain ended before it began; started nothing: try again");
                return ExitCode.TABLE_FAILED;
            }
            Process process;
            try {
                Files.createDirectories(log.getParent());
                process = new ProcessBuilder(command(args, session, log, caller))
                        .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
            } catch (IOException e) {
                sessions.release(session, caller);
                context.err().println("delta-agent: cannot start the background maintain (its log " + log + "): " + e.getMessage());
                return ExitCode.TABLE_FAILED;
            }
            long deadline = System.nanoTime() + START_WAIT.toNanos();
            while (true) {
                Optional<MaintainSession> started = adopted(sessions, session, caller);
                if (started.isPresent()) {
                    return print(started.get(), false);
                }
                if (!process.isAlive()) {
                    started = adopted(sessions, session, caller);
                    if (started.isPresent()) {
                        return print(started.get(), false);
                    }
                    sessions.release(session, caller);
                    context.err().print(tail(log));
                    context.err().println("delta-agent: the background maintain ended before it started (exit "
                            + process.exitValue() + "); its log: " + log);
                    return process.exitValue() == 0 ? ExitCode.TABLE_FAILED : process.exitValue();
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    process.waitFor();
                    // false when it took the session over just before it was stopped: 'session ID' then shows it LOST
                    boolean released = sessions.release(session, caller);
                    context.err().println("delta-agent: the background maintain did not record session " + session + " within "
                            + START_WAIT.toSeconds() + " s and was stopped" + (released ? "" : " (it recorded it as it was stopped)")
                            + "; its log: " + log);
                    return ExitCode.TABLE_FAILED;
                }
                Thread.sleep(200);
            }
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.USAGE;
        }
    }

    /** The session once its background process took it over from {@code caller}'s claim. */
    private static Optional<MaintainSession> adopted(SessionStore sessions, String session, String caller) {
        return sessions.find(session).filter(s -> !s.owner().equals(caller));
    }

    /**
     * This JVM again (same options, class path and main class) with the same arguments, less {@code --detach}, plus the
     * session and its log; in a session of its own (setsid) so a signal to the caller's process group does not reach it.
     */
    private static List<String> command(List<String> args, String session, Path log, String caller) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            cmd.add(SETSID.toString());
        }
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        cmd.addAll(jvmArgs);
        // the agent's own settings (where the spark-jobs build is, ...) even when they were not JVM arguments
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("deltaagent."))
                .filter(k -> jvmArgs.stream().noneMatch(a -> a.startsWith("-D" + k + "=")))
                .sorted().forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--detach")) {
                continue;
            }
            if (a.equals("--session")) {
                i++;
                continue;
            }
            if (a.startsWith("--session=")) {
                continue;
            }
            cmd.add(a);
        }
        cmd.addAll(List.of("--session", session, "--session-log", log.toString(), "--session-claim", caller));
        return cmd;
    }

    private int print(MaintainSession s, boolean existing) {
        try {
            context.out().println(Json.MAPPER.writeValueAsString(new Detached(JsonAuditWriter.SCHEMA_VERSION, "maintain", true,
                    s.id(), s.owner(), s.logPath(), SessionIds.statusOf(s.id(), s.logPath(), context.host()).toString(), s.startedAt(), existing)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the session", e);
        }
        if (existing) {
            context.err().println("delta-agent: maintain session " + s.id() + " already exists" + (s.ended() ? " (ended)" : "")
                    + ": started nothing; follow it with: delta-agent session " + s.id());
        }
        return ExitCode.HEALTHY;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 20), lines.size()))
                    + (lines.isEmpty() ? "" : System.lineSeparator());
        } catch (IOException e) {
            return "";
        }
    }
}
