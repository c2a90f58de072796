package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
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

    @BeforeEach
    void table() throws Exception {
        table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n");
        db = "jdbc:h2:file:" + tmp.resolve("history");
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

    @Test
    void aCancelledSessionCancelsItsJobAndEndsWith143() throws Exception {
        assertThat(detach("to-cancel").exitCode()).isZero();
        await("to-cancel", s -> s.get("runs").size() == 1 && s.get("runs").get(0).get("state").asText().equals("RUNNING"));

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

    private JsonNode await(String session, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            CliRun run = CliRun.of("session", session, "--history-db", db, "--format", "json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            status = run.json();
            if (until.test(status)) {
                return status;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("session " + session + " did not get there within " + WAIT + ": " + status);
    }
}
