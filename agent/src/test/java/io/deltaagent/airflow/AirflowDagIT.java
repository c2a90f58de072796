package io.deltaagent.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Airflow operator and example DAG under real Airflow: runs {@code scripts/airflow/run-tests} (a pinned
 * Airflow in a cached virtualenv, ruff, {@code airflow dags test} of the example DAG over two small-file tables
 * and one that is not a Delta table, maintained by the packaged agent on its local backend) and fails the
 * build when any of its checks fails. An integration test: it needs {@code target/delta-agent.jar}, so it runs
 * after {@code package}.
 */
class AirflowDagIT {

    private static final Pattern CHECKS = Pattern.compile("airflow-dag-test: (\\d+) passed, (\\d+) failed");

    @Test
    void theExampleDagAuditsAndMaintainsEveryTableAndFailsOnlyTheBadOne() throws Exception {
        Path repo = Path.of(System.getProperty("deltaagent.repo.dir")).toRealPath();
        Path log = repo.resolve("agent/target/airflow-run-tests.log");
        ProcessBuilder builder = new ProcessBuilder("bash", repo.resolve("scripts/airflow/run-tests").toString())
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("DELTA_AGENT_SPARK_JOBS_DIR",
                Path.of(System.getProperty("deltaagent.sparkJobs.dir")).toAbsolutePath().toString());
        long t0 = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            fail("scripts/airflow/run-tests took more than 20 minutes; its output:%n%s", Files.readString(log));
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as("run-tests exit; its output:%n%s", output).isZero();
        Matcher checks = CHECKS.matcher(output);
        assertThat(checks.find()).as("run-tests printed its check count:%n%s", output).isTrue();
        assertThat(Integer.parseInt(checks.group(2))).isZero();
        assertThat(Integer.parseInt(checks.group(1))).isGreaterThanOrEqualTo(20);
        System.out.printf("scripts/airflow/run-tests: %s checks passed in %d s (output in %s)%n", checks.group(1),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), log);
    }
}
