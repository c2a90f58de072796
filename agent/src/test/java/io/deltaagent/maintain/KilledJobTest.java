package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local Spark job process killed by a signal is described as killed, by which signal, in the run's error and in the
 * output: not as a job that "ended well but wrote no result document". Real processes: {@code maintain} in a JVM of its
 * own, its real Spark job SIGKILLed mid-job (what the kernel's out-of-memory killer does).
 */
class KilledJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB_MAIN = "io.deltaagent.jobs.MaintenanceJob";

    @TempDir
    Path tmp;

    @Test
    void aJobProcessKilledBySigkillIsRecordedAsKilledBySignal9() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp).toRealPath();
        long versionBefore = DeltaFiles.version(table);
        Path config = Files.writeString(tmp.resolve("agent.yaml"), "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n");
        String db = "jdbc:h2:file:" + tmp.resolve("history");
        List<String> cmd = CliRun.forkedCommand(List.of("-Xmx512m"), List.of("maintain", "--config", config.toString(),
                "--history-db", db, "--format", "json", "--local-heap", "1g", "--job-timeout", "10m",
                "--spark-jobs-dir", System.getProperty("deltaagent.sparkJobs.dir"), table.toString()));
        Process cli = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("cli.out").toFile())
                .redirectError(tmp.resolve("cli.err").toFile()).start();

        ProcessHandle job = awaitJob(cli);
        job.destroyForcibly(); // SIGKILL to the Spark process only: the agent lives on and sees it end
        assertThat(cli.waitFor(3, TimeUnit.MINUTES)).as("maintain ends after its job was killed").isTrue();
        String out = Files.readString(tmp.resolve("cli.out"));
        String err = Files.readString(tmp.resolve("cli.err"));

        assertThat(cli.exitValue()).as(out + err).isEqualTo(ExitCode.TABLE_FAILED);
        RunRecord run;
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            List<RunRecord> runs = store.runs().history(null, 10);
            assertThat(runs).as("one run, not retried as if the backend had failed").hasSize(1);
            run = runs.get(0);
        }
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error()).contains("(process " + job.pid() + ") was killed by signal 9 (SIGKILL")
                .contains("without writing a result").doesNotContain("ended well").doesNotContain("exited with");
        List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
        JsonNode action = JSON.readTree(lines.get(lines.size() - 1)).get("tables").get(0).get("actions").get(0);
        assertThat(action.toString()).contains("was killed by signal 9 (SIGKILL").doesNotContain("ended well");
        assertThat(DeltaFiles.version(table)).as("the killed job committed nothing").isEqualTo(versionBefore);
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
}
