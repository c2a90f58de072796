package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.PostgresTestServer;
import io.deltaagent.testing.TestConfigs;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maintain --detach} and {@code session}: the maintain runs in a background agent process (a real JVM running
 * real Spark jobs on a real table) while the caller is gone; the session is followed, cancelled and found lost through
 * the history database alone, as an Airflow trigger does.
 */
class DetachedMaintainTest {

    private static final Duration WAIT = Duration.ofMinutes(4);

    @TempDir
    Path tmp;

    private Path table;
    private Path config;
    private String db;
    /** The history database's credentials, for PostgreSQL. */
    private Map<String, String> dbEnv = Map.of();

    @BeforeEach
    void table() throws Exception {
        table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        config = tmp.resolve("agent.yaml");
        TestConfigs.write(config);
        db = HistoryDb.h2(tmp);
        System.setProperty("deltaagent.sessions.dir", tmp.resolve("sessions").toString());
        System.setProperty("deltaagent.progress.heartbeatSeconds", "2");
    }

    @AfterEach
    void properties() {
        System.clearProperty("deltaagent.sessions.dir");
        System.clearProperty("deltaagent.progress.heartbeatSeconds");
    }

    @Test
    void aDetachedMaintainHealsTheTableWhileTheCallerIsGoneAndIsNeverStartedTwice() throws Exception {
        long rows = DeltaFiles.rows(table);
        CliRun detached = detach("airflow.dag.task.run1");
        assertThat(detached.exitCode()).as(detached.err()).isZero();
        JsonNode started = detached.json();
        assertThat(started.get("detached").asBoolean()).isTrue();
        assertThat(started.get("session").asText()).isEqualTo("airflow.dag.task.run1");
        assertThat(started.get("existing").asBoolean()).isFalse();
        assertThat(started.get("owner").asText()).startsWith("cli:").doesNotEndWith(":" + ProcessHandle.current().pid());

        JsonNode ended = await("airflow.dag.task.run1", s -> s.get("state").asText().equals("ENDED"));
        assertThat(ended.get("exitCode").asInt()).as(ended.toString()).isZero();
        JsonNode result = ended.get("result").get("tables").get(0);
        assertThat(result.get("status").asText()).isEqualTo("HEALED");
        assertThat(result.get("after").get("files").asLong()).isEqualTo(3);
        assertThat(ended.get("runs")).hasSize(1);
        assertThat(ended.get("runs").get(0).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(ended.get("runs").get(0).get("runId").asLong()).isEqualTo(result.get("actions").get(0).get("runId").asLong());
        assertThat(DeltaFiles.rows(table)).isEqualTo(rows);

        String log = Files.readString(Path.of(ended.get("log").asText()));
        assertThat(log).as("progress at INFO while the job ran")
                .containsPattern("run 1: OPTIMIZE of .+ on local: submitting")
                .containsPattern("run 1: local Spark process \\d+")
                .containsPattern("run 1: RUNNING after")
                .containsPattern("run 1: SUCCEEDED after");

        CliRun again = detach("airflow.dag.task.run1");
        assertThat(again.exitCode()).isZero();
        assertThat(again.json().get("existing").asBoolean()).isTrue();
        assertThat(again.err()).contains("already exists");
        CliRun history = CliRun.of("history", "--history-db", db, "--format", "json");
        assertThat(history.json()).as("a resubmission started nothing").hasSize(1);
    }

    /**
     * Three callers with one session id at once (three CLI processes, as three Airflow retries racing): the id is claimed
     * in the history database before any process starts, so one starts the background maintain and the other two find
     * its session, start nothing and write nothing into its log. The table is healthy: the session runs no Spark job.
     */
    @Test
    void ofThreeCallersAtOnceWithOneSessionIdExactlyOneStartsIt() throws Exception {
        // PostgreSQL, as callers on several workers share it (an embedded H2 file is one process's at a time)
        PostgresTestServer pg = PostgresTestServer.shared();
        String dbName = "raced_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "agent", "")) {
            c.createStatement().execute("CREATE DATABASE " + dbName);
        }
        db = pg.jdbcUrl().replace("/agent", "/" + dbName);
        dbEnv = Map.of("DELTA_AGENT_DB_USER", "agent", "DELTA_AGENT_DB_PASSWORD", "");
        Path healthy = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("healthy")));
        Path sessionsDir = tmp.resolve("sessions");
        List<String> cmd = CliRun.forkedCommand(List.of("-Ddeltaagent.sessions.dir=" + sessionsDir,
                        "-Ddeltaagent.sparkJobs.dir=" + System.getProperty("deltaagent.sparkJobs.dir")),
                List.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json", "--local-heap", "1g",
                        "--detach", "--session", "raced", healthy.toString()));
        List<Process> callers = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path out = tmp.resolve("caller" + i + ".out");
            outs.add(out);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(tmp.resolve("caller" + i + ".err").toFile());
            pb.environment().putAll(dbEnv);
            callers.add(pb.start());
        }
        StringBuilder said = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            assertThat(callers.get(i).waitFor(3, TimeUnit.MINUTES)).as("caller " + i + " ends").isTrue();
            said.append("\ncaller ").append(i).append(": exit ").append(callers.get(i).exitValue()).append(", out ")
                    .append(Files.readString(outs.get(i)).strip()).append(", err ")
                    .append(Files.readString(tmp.resolve("caller" + i + ".err")).strip());
        }
        List<JsonNode> printed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(callers.get(i).exitValue()).as(said.toString()).isZero();
            List<String> lines = Files.readAllLines(outs.get(i)).stream().filter(l -> !l.isBlank()).toList();
            JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            assertThat(json.get("session").asText()).isEqualTo("raced");
            if (json.get("existing").asBoolean()) {
                assertThat(Files.readString(tmp.resolve("caller" + i + ".err"))).as(said.toString()).contains("already exists");
            }
            printed.add(json);
        }
        assertThat(printed).as("exactly one caller started the session: " + said)
                .filteredOn(j -> !j.get("existing").asBoolean()).hasSize(1);
        assertThat(printed).filteredOn(j -> j.get("existing").asBoolean()).hasSize(2);

        JsonNode ended = await("raced", s -> s.get("state").asText().equals("ENDED"));
        assertThat(ended.get("exitCode").asInt()).as(ended.toString()).isZero();
        assertThat(ended.get("result").get("tables").get(0).get("status").asText()).isEqualTo("HEALTHY");
        String log = Files.readString(sessionsDir.resolve("raced.log"));
        assertThat(log).as("only the session's own process wrote its log").doesNotContain("already exists")
                .doesNotContain("no longer held");
        try (Stream<Path> files = Files.list(sessionsDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("raced.log", "raced.status.json");
        }
    }

    /** A background maintain stopped before it took its session over gives the id back: the caller's claim is released. */
    @Test
    void aSessionWhoseProcessNeverStartedCanBeStartedAgain() throws Exception {
        Path healthy = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("healthy")));
        List<String> args = List.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json",
                "--local-heap", "1g", "--detach", "--session", "retried", healthy.toString());
        // no time at all to start: the caller stops its background process at once
        List<String> impatient = CliRun.forkedCommand(List.of("-Ddeltaagent.detach.startSeconds=0",
                "-Ddeltaagent.sessions.dir=" + tmp.resolve("sessions"),
                "-Ddeltaagent.sparkJobs.dir=" + System.getProperty("deltaagent.sparkJobs.dir")), args);
        Process first = new ProcessBuilder(impatient).redirectErrorStream(true).redirectOutput(tmp.resolve("first.out").toFile())
                .start();
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String said = Files.readString(tmp.resolve("first.out"));
        assertThat(first.exitValue()).as(said).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(said).contains("the background maintain did not record session retried within 0 s and was stopped");
        CliRun unknown = CliRun.of("session", "retried", "--history-db", db);
        assertThat(unknown.err()).as("the claim is gone").contains("no maintain session retried in the history database");

        CliRun again = CliRun.of(args.toArray(String[]::new));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.json().get("existing").asBoolean()).isFalse();
        assertThat(await("retried", s -> s.get("state").asText().equals("ENDED")).get("exitCode").asInt()).isZero();
    }

    /**
     * A detached session keeps a status file beside its log, the document {@code session ID --format json} prints, so an
     * Airflow trigger on this host polls it without starting a JVM (an embedded H2 history is one process's at a time).
     */
    @Test
    void aDetachedSessionKeepsAStatusFileThatSaysWhatTheSessionCommandSays() throws Exception {
        Path healthy = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("healthy")));
        CliRun detached = CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json",
                "--local-heap", "1g", "--detach", "--session", "with-status", healthy.toString());
        assertThat(detached.exitCode()).as(detached.err()).isZero();
        Path statusFile = Path.of(detached.json().get("statusFile").asText());
        assertThat(statusFile).isEqualTo(tmp.resolve("sessions/with-status.status.json"));

        JsonNode ended = await("with-status", s -> s.get("state").asText().equals("ENDED"));
        JsonNode file = new ObjectMapper().readTree(statusFile.toFile());
        for (String field : List.of("schemaVersion", "command", "session", "state", "owner", "exitCode", "result", "runs", "log")) {
            assertThat(file.get(field)).as(field + " of " + file).isEqualTo(ended.get(field));
        }
        assertThat(file.get("result").get("tables").get(0).get("status").asText()).isEqualTo("HEALTHY");
        for (String instant : List.of("startedAt", "endedAt")) {
            assertThat(java.time.Instant.parse(file.get(instant).asText()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                    .as(instant).isEqualTo(java.time.Instant.parse(ended.get(instant).asText())
                            .truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        }
        try (Stream<Path> files = Files.list(statusFile.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("replaced atomically: no temporary file left")
                    .containsExactlyInAnyOrder("with-status.log", "with-status.status.json");
        }
    }

    @Test
    void aCancelledSessionCancelsItsJobAndEndsWith143() throws Exception {
        assertThat(detach("to-cancel").exitCode()).isZero();
        await("to-cancel", s -> s.get("runs").size() == 1 && s.get("runs").get(0).get("state").asText().equals("RUNNING"));
        JsonNode running = new ObjectMapper().readTree(tmp.resolve("sessions/to-cancel.status.json").toFile());
        assertThat(running.get("state").asText()).as("the status file while the job runs").isEqualTo("RUNNING");

        CliRun cancel = CliRun.of("session", "to-cancel", "--history-db", db, "--cancel", "--format", "json");
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        assertThat(cancel.json().get("message").asText()).contains("cancel recorded").contains("SIGTERM");

        JsonNode ended = await("to-cancel", s -> s.get("state").asText().equals("ENDED"));
        assertThat(ended.get("exitCode").asInt()).isEqualTo(143);
        assertThat(ended.get("runs").get(0).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(ended.get("result").get("stoppedBy").asText()).isEqualTo("SIGTERM");
        assertThat(CliRun.of("session", "to-cancel", "--history-db", db, "--cancel").out()).contains("nothing to cancel");
    }

    @Test
    void aCancelFromAnotherHostReachesTheSessionThroughTheHistoryDatabase() throws Exception {
        assertThat(detach("remote-cancel").exitCode()).isZero();
        await("remote-cancel", s -> s.get("runs").size() == 1 && s.get("runs").get(0).get("state").asText().equals("RUNNING"));

        // what 'session ID --cancel' on a host that cannot signal the process does: only the database row changes
        try (io.deltaagent.store.HistoryStore store = io.deltaagent.store.HistoryStore.open(db, "sa", "")) {
            assertThat(new io.deltaagent.store.SessionStore(store).requestCancel("remote-cancel", java.time.Instant.now())).isTrue();
        }

        JsonNode ended = await("remote-cancel", s -> s.get("state").asText().equals("ENDED"));
        assertThat(ended.get("exitCode").asInt()).isEqualTo(143);
        assertThat(ended.get("cancelRequestedAt").isNull()).isFalse();
        assertThat(ended.get("runs").get(0).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(ended.get("result").get("stoppedBy").asText()).isEqualTo("session cancel");
    }

    @Test
    void aSessionWhoseProcessWasKilledIsLostAndItsRunSettledByTheNextMaintain() throws Exception {
        JsonNode started = detach("to-kill").json();
        await("to-kill", s -> s.get("runs").size() == 1 && s.get("runs").get(0).get("state").asText().equals("RUNNING"));
        long pid = Long.parseLong(started.get("owner").asText().replaceAll(".*:", ""));
        ProcessHandle owner = ProcessHandle.of(pid).orElseThrow();
        owner.descendants().forEach(ProcessHandle::destroyForcibly);
        owner.destroyForcibly();
        owner.onExit().get();

        JsonNode lost = await("to-kill", s -> !s.get("state").asText().equals("RUNNING"));
        assertThat(lost.get("state").asText()).isEqualTo("LOST");
        assertThat(lost.get("exitCode").isNull()).isTrue();
        assertThat(lost.get("message").asText()).contains("is gone without ending the session");

        CliRun next = CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json",
                "--local-heap", "1g", table.toString());
        assertThat(next.json().get("reconciled")).as(next.err()).hasSize(1);
        assertThat(CliRun.of("session", "to-kill", "--history-db", db, "--format", "json").json().get("runs").get(0)
                .get("state").asText()).isIn("SUCCEEDED", "FAILED");
    }

    @Test
    void badInputStartsNothingAndSaysWhy() throws Exception {
        CliRun noConfig = CliRun.of("maintain", "--config", tmp.resolve("missing.yaml").toString(), "--history-db", db,
                "--detach", "--session", "never", table.toString());
        assertThat(noConfig.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noConfig.err()).contains("missing.yaml");
        CliRun unknown = CliRun.of("session", "never", "--history-db", db);
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("no maintain session never in the history database");
        CliRun badId = CliRun.of("maintain", "--history-db", db, "--detach", "--session", "../etc", table.toString());
        assertThat(badId.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badId.err()).contains("a session id is");
        assertThat(tmp.resolve("sessions")).doesNotExist();
    }

    private CliRun detach(String session) {
        return CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json", "--local-heap", "1g",
                "--detach", "--session", session, table.toString());
    }

    private JsonNode await(String session, Predicate<JsonNode> until) {
        return Eventually.await("session " + session, WAIT, Duration.ofMillis(500), () -> {
            CliRun run = CliRun.of(dbEnv, "session", session, "--history-db", db, "--format", "json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            return run.json();
        }, until);
    }
}
