package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.deltalog.history.CommitInfoReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History agrees with the table whatever is killed when, with real processes: {@code maintain} in a JVM of its own
 * running a real local Spark job, stopped by SIGTERM or killed by SIGKILL mid-job. Also: one table however it is spelled,
 * refused within the cooldown a cancelled run starts.
 */
class InterruptedRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB_MAIN = "io.deltaagent.jobs.MaintenanceJob";

    @TempDir
    Path tmp;

    @Test
    void sigtermCancelsTheJobRecordsItAndPrintsTheResultsAndTheCooldownRefusesTheTableUnderAnyName() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp).toRealPath();
        long versionBefore = DeltaFiles.version(table);
        long rowsBefore = DeltaFiles.rows(table);
        Path config = config();
        String db = "jdbc:h2:file:" + tmp.resolve("history");

        Process cli = fork(config, db, table.toString());
        ProcessHandle job = awaitJob(cli);
        cli.destroy(); // SIGTERM
        assertThat(cli.waitFor(2, TimeUnit.MINUTES)).as("maintain ends after SIGTERM").isTrue();
        String out = Files.readString(tmp.resolve("cli.out"));
        String err = Files.readString(tmp.resolve("cli.err"));

        assertThat(cli.exitValue()).as(out + err).isEqualTo(ExitCode.STOPPED_BY_SIGTERM);
        assertThat(job.isAlive()).as("the job process was stopped with the agent").isFalse();
        JsonNode doc = lastJsonLine(out);
        assertThat(doc.get("exitCode").asInt()).isEqualTo(143);
        assertThat(doc.get("stoppedBy").asText()).isEqualTo("SIGTERM");
        JsonNode action = doc.get("tables").get(0).get("actions").get(0);
        assertThat(action.get("state").asText()).isEqualTo("CANCELLED");
        assertThat(err).contains("stopped by SIGTERM");
        RunRecord run = onlyRun(db);
        assertThat(run.state()).isEqualTo(RunState.CANCELLED);
        assertThat(run.error()).contains("SIGTERM");
        assertTableAgrees(table, run, versionBefore);
        assertThat(DeltaFiles.rows(table)).as("no row lost or duplicated").isEqualTo(rowsBefore);

        // the cancelled run starts the cooldown: maintain refuses it for the table however it is spelled (three names, one
        // table, one refusal). --force past the cooldown is MaintainerLifecycleTest.aForcedRunPassesTheCooldownAndIsRecordedForced's
        Path link = Files.createSymbolicLink(tmp.resolve("events-link"), table);
        CliRun refused = CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json",
                table.toString(), link + "/", "file://" + table);
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        assertThat(refused.json().get("tables")).as("three names, one table").hasSize(1);
        assertThat(refused.json().get("tables").get(0).get("actions")).as("no job").isEmpty();
        assertThat(refused.json().get("tables").get(0).get("notes").toString()).contains("within the cooldown");
        assertThat(onlyRun(db).state()).as("nothing more recorded").isEqualTo(RunState.CANCELLED);
        assertThat(DeltaFiles.rows(table)).isEqualTo(rowsBefore);
    }

    @Test
    void sigtermAfterTheJobHadFinishedRecordsTheRunSucceededAndReportCountsWhatItDid() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp).toRealPath();
        long versionBefore = DeltaFiles.version(table);
        long rowsBefore = DeltaFiles.rows(table);
        String db = "jdbc:h2:file:" + tmp.resolve("history");

        Process cli = fork(config(), db, table.toString());
        ProcessHandle job = awaitJob(cli);
        // the window: the job has written its result (its commit made) and its JVM is still shutting Spark down
        awaitSucceededResult(job);
        assertThat(job.isAlive()).as("the job process still runs after writing its result (the window is open)").isTrue();
        cli.destroy(); // SIGTERM
        assertThat(cli.waitFor(2, TimeUnit.MINUTES)).as("maintain ends after SIGTERM").isTrue();
        String out = Files.readString(tmp.resolve("cli.out"));
        String err = Files.readString(tmp.resolve("cli.err"));

        assertThat(cli.exitValue()).as(out + err).isEqualTo(ExitCode.STOPPED_BY_SIGTERM);
        assertThat(err).as("the signal reached maintain while it waited for the job").contains("after its job had finished");
        JsonNode doc = lastJsonLine(out);
        assertThat(doc.get("stoppedBy").asText()).isEqualTo("SIGTERM");
        JsonNode tableDoc = doc.get("tables").get(0);
        assertThat(tableDoc.get("actions").get(0).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(tableDoc.get("status").asText()).as(out).isEqualTo("HEALED");
        RunRecord run = onlyRun(db);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.stoppedBy()).isEqualTo("SIGTERM");
        assertThat(run.error()).isNull();
        assertThat(run.commitVersion()).isEqualTo(versionBefore + 1).isEqualTo(DeltaFiles.version(table));
        assertThat(run.check().filesRewritten()).as("read back from its commit").isPositive();
        assertTableAgrees(table, run, versionBefore);
        assertThat(DeltaFiles.rows(table)).isEqualTo(rowsBefore);
        JsonNode history = JSON.readTree(CliRun.of("history", "--history-db", db, "--format", "json").out());
        assertThat(history.get(0).get("stoppedBy").asText()).isEqualTo("SIGTERM");

        JsonNode report = CliRun.of("report", "--history-db", db, "--format", "json").json().get("report");
        assertThat(report.get("succeeded").asInt()).isEqualTo(1);
        assertThat(report.get("failed").asInt()).isZero();
        assertThat(report.get("filesRewritten").asLong()).isEqualTo(run.check().filesRewritten());
        assertThat(report.get("dueTables")).as("healed, not still due").isEmpty();
        assertThat(report.get("perTable").get(0).get("status").asText()).isEqualTo("HEALTHY");
    }

    @Test
    void aRunWhoseAgentWasKilledIsSettledFromTheLogByTheNextMaintain() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp).toRealPath();
        long versionBefore = DeltaFiles.version(table);
        Path config = config();
        String db = "jdbc:h2:file:" + tmp.resolve("history");

        Process cli = fork(config, db, table.toString());
        ProcessHandle job = awaitJob(cli);
        cli.destroyForcibly(); // SIGKILL: nothing of the agent runs any more; its job does
        cli.waitFor(1, TimeUnit.MINUTES);
        RunRecord orphaned = onlyRun(db);
        assertThat(orphaned.state()).as("the killed agent left its run open").isIn(RunState.SUBMITTED, RunState.RUNNING);
        assertThat(orphaned.commitTag()).startsWith("delta-agent:da-optimize-v" + versionBefore + "-");

        // --force overrides the cooldown, never a job that still runs on the table
        CliRun forced = CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json", "--force",
                table.toString());
        assertThat(forced.exitCode()).as(forced.out() + forced.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        assertThat(job.isAlive()).as("the killed agent's job still ran while --force was refused").isTrue();
        JsonNode refused = forced.json().get("tables").get(0);
        assertThat(refused.get("actions")).as("no second job").isEmpty();
        assertThat(refused.get("notes").get(0).asText()).startsWith("no job started: run " + orphaned.id() + " (OPTIMIZE")
                .contains("its job " + orphaned.jobHandle() + " still runs on backend local").contains("not even with --force");
        assertThat(onlyRun(db).state()).isIn(RunState.SUBMITTED, RunState.RUNNING);

        assertThat(job.onExit().get(3, TimeUnit.MINUTES).isAlive()).isFalse();
        // a backend that leaves no result behind: the log is all there is
        Files.deleteIfExists(Paths.get(orphaned.jobHandle()));

        CliRun next = CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json",
                // one table however it is named: a symlink, a trailing slash, a file: URI
                Files.createSymbolicLink(tmp.resolve("link"), table).toString(), table + "/", "file:" + table);

        assertThat(next.exitCode()).as(next.out() + next.err()).isEqualTo(ExitCode.HEALTHY);
        assertThat(next.err()).contains("run " + orphaned.id() + " (OPTIMIZE) reconciled to SUCCEEDED");
        JsonNode doc = next.json();
        assertThat(doc.get("tables")).as("three spellings, one table").hasSize(1);
        assertThat(doc.get("tables").get(0).get("table").asText()).isEqualTo(table.toString());
        assertThat(doc.get("tables").get(0).get("actions")).as("the job the killed agent started did the work").isEmpty();
        JsonNode settled = doc.get("reconciled").get(0);
        assertThat(settled.get("runId").asLong()).isEqualTo(orphaned.id());
        assertThat(settled.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(settled.get("reason").asText()).contains("settled from the log").contains(orphaned.commitTag());
        RunRecord run = onlyRun(db);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.commitVersion()).isEqualTo(versionBefore + 1).isEqualTo(DeltaFiles.version(table));
        assertThat(run.healthAfter()).as("re-measured from the log").contains("\"activeFiles\":3");
        assertTableAgrees(table, run, versionBefore);
        JsonNode history = JSON.readTree(CliRun.of("history", "--history-db", db, "--format", "json",
                tmp.resolve("link") + "/").out());
        assertThat(history).as("history finds the run by any spelling").hasSize(1);
    }

    /** The run's commit, if any, is in the log with its tag; without one the table did not move. */
    private static void assertTableAgrees(Path table, RunRecord run, long versionBefore) throws Exception {
        CommitInfoReader commits = new CommitInfoReader(new HadoopStorage(new Configuration()));
        List<Long> tagged = commits.taggedCommits(table.toString(), versionBefore, run.commitTag());
        if (run.commitVersion() == null) {
            assertThat(tagged).as("history says no commit: the log has none of the run").isEmpty();
            assertThat(DeltaFiles.version(table)).isEqualTo(versionBefore);
        } else {
            assertThat(tagged).as("history's commit is the run's, by its tag").endsWith(run.commitVersion());
        }
    }

    private Path config() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n");
        return config;
    }

    private Process fork(Path config, String db, String table) throws Exception {
        List<String> cmd = CliRun.forkedCommand(List.of("-Xmx512m"), List.of("maintain", "--config", config.toString(),
                "--history-db", db, "--format", "json", "--local-heap", "1g", "--job-timeout", "10m",
                "--spark-jobs-dir", System.getProperty("deltaagent.sparkJobs.dir"), table));
        return new ProcessBuilder(cmd).redirectOutput(tmp.resolve("cli.out").toFile()).redirectError(tmp.resolve("cli.err").toFile())
                .start();
    }

    /** The local Spark job the CLI started, once it runs (before it can have committed: Spark takes seconds to start). */
    private ProcessHandle awaitJob(Process cli) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> job = cli.descendants()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(JOB_MAIN)).orElse(false))
                    .findFirst();
            if (job.isPresent()) {
                return job.get();
            }
            if (!cli.isAlive()) {
                throw new AssertionError("maintain ended before its job started: " + Files.readString(tmp.resolve("cli.err")));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no job started within 2 minutes: " + Files.readString(tmp.resolve("cli.err")));
    }

    /** Waits for the job's result file (its --result argument) to say SUCCEEDED: the job committed and is ending. */
    private static void awaitSucceededResult(ProcessHandle job) throws Exception {
        List<String> args = job.info().arguments().map(List::of)
                .orElseGet(() -> List.of(job.info().commandLine().orElseThrow().split(" ")));
        Path result = Paths.get(args.get(args.indexOf("--result") + 1));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(result)) {
                try {
                    if ("SUCCEEDED".equals(JSON.readTree(Files.readString(result)).path("status").asText())) {
                        return;
                    }
                } catch (java.io.IOException partlyWritten) {
                    // read again
                }
            }
            if (!job.isAlive()) {
                throw new AssertionError("the job ended without a SUCCEEDED result at " + result);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no SUCCEEDED result at " + result + " within 3 minutes");
    }

    private static RunRecord onlyRun(String db) {
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            List<RunRecord> runs = store.runs().history(null, 10);
            assertThat(runs).hasSize(1);
            return runs.get(0);
        }
    }

    private static JsonNode lastJsonLine(String out) throws Exception {
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).as("stdout: " + out).isNotEmpty();
        return JSON.readTree(lines.get(lines.size() - 1));
    }
}
