package io.deltaagent.submit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend's JVM options come from the spark-jobs jar it runs (one list, the parent pom's
 * spark.add-opens, for every JVM that runs Spark here); a jar without them is refused by name. The jobs
 * themselves run in MaintainCliTest and the daemon tests.
 */
class LocalSparkSubmitterTest {

    @TempDir
    Path tmp;

    @Test
    void theJobsJarNamesTheJvmOptionsItsSparkNeeds() {
        Path target = Paths.get(System.getProperty("deltaagent.sparkJobs.dir"));
        List<String> options = LocalSparkSubmitter.jvmOptions(LocalSparkSubmitter.jobsJar(target));
        assertThat(options).contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED")
                .allSatisfy(o -> assertThat(o).matches("--add-opens=java\\.base/[\\w.]+=ALL-UNNAMED|-D[\\w.]+=\\w+"));
    }

    @Test
    void aJobsJarWithoutThemIsRefusedByName() throws Exception {
        Files.createDirectories(tmp.resolve("spark-runtime"));
        Path jar = tmp.resolve("delta-agent-spark-jobs-0.0.1.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("io/deltaagent/jobs/MaintenanceJob.class"));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> new LocalSparkSubmitter(tmp, tmp.resolve("work"), 1, "1g", Clock.systemUTC()))
                .isInstanceOf(DeltaAgentException.class)
                .hasMessage("local backend: " + jar + " has no io/deltaagent/jobs/spark-jvm-options (built by an older "
                        + "delta-agent?); rebuild it with mvn -B -DskipTests package");
    }

    /**
     * A job whose process another agent process started and which is gone without a result: its exit status is unknown
     * here, and the message says so instead of "ended well but wrote no result document".
     */
    @Test
    void aJobWhoseProcessIsGoneWithoutAResultIsNotSaidToHaveEndedWell() throws Exception {
        LocalSparkSubmitter local = new LocalSparkSubmitter(Paths.get(System.getProperty("deltaagent.sparkJobs.dir")),
                tmp.resolve("work"), 1, "1g", Clock.systemUTC());
        String handle = tmp.resolve("work/optimize-0a1b2c3d.json").toString();

        JobOutcome gone = local.poll(handle).orElseThrow();
        assertThat(gone.state()).isEqualTo(JobState.FAILED);
        assertThat(gone.message()).startsWith("the local Spark job's process is gone without writing a result document to " + handle)
                .contains("exit status is unknown").contains("may have been killed").doesNotContain("ended well");

        Files.createDirectories(tmp.resolve("work"));
        Files.writeString(Paths.get(handle), "{\"status\":\"FAILED\",\"error\":{\"kind\":\"CONFLICT\",\"message\":\"lost a race\"}}");
        assertThat(local.poll(handle).orElseThrow().message())
                .startsWith("the local Spark job's process is gone, and its result says FAILED: lost a race");
    }

    @Test
    void anExitIsToldApartFromAKillingSignal() {
        assertThat(ProcessExit.describe(1)).isEqualTo("exited with code 1");
        assertThat(ProcessExit.describe(137)).startsWith("was killed by signal 9 (SIGKILL");
        assertThat(ProcessExit.describe(143)).isEqualTo("was killed by signal 15 (SIGTERM)");
        assertThat(ProcessExit.describe(134)).isEqualTo("was killed by signal 6 (SIGABRT)");
        assertThat(ProcessExit.describe(255)).isEqualTo("exited with code 255");
    }
}
