package io.deltaagent.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Airflow provider and example DAGs under real Airflow 2.11 and 3.3: runs {@code scripts/airflow/run-tests
 * --all} (for each pinned Airflow, a cached virtualenv with the provider package installed, ruff, {@code airflow
 * dags test} of the example DAG over two small-file tables and one that is not a Delta table, maintained by the
 * packaged agent on its local backend, and of the provider's DAG: connections, hook, deferrable maintain through
 * {@code maintain --detach} and {@code session}, extra link; the provider's pytest unit tests; a deferred maintain
 * whose PostgreSQL history database is stopped and restarted) and fails the build when any check of either
 * version fails. An integration test: it needs {@code target/delta-agent.jar}, so it runs after {@code package}.
 */
class AirflowDagIT {

    private static final Pattern CHECKS = Pattern.compile("airflow-dag-test: (\\d+) passed, (\\d+) failed");
    /** Airflow versions run-tests --all runs: requirements.lock and requirements-airflow3.lock. */
    private static final int AIRFLOW_VERSIONS = 2;

    @Test
    void theExampleDagAuditsAndMaintainsEveryTableAndFailsOnlyTheBadOne() throws Exception {
        Path repo = Path.of(System.getProperty("deltaagent.repo.dir")).toRealPath();
        Path log = repo.resolve("agent/target/airflow-run-tests.log");
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", repo.resolve("scripts/airflow/run-tests").toString(), "--all")
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("DELTA_AGENT_SPARK_JOBS_DIR",
                Path.of(System.getProperty("deltaagent.sparkJobs.dir")).toAbsolutePath().toString());
        long t0 = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(40, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            fail("scripts/airflow/run-tests --all took more than 40 minutes; its output:%n%s", Files.readString(log));
        }
        String output = Files.readString(log);
        assertThat(process.exitValue()).as("run-tests exit; its output:%n%s", output).isZero();
        Matcher checks = CHECKS.matcher(output);
        List<Integer> passed = new ArrayList<>();
        while (checks.find()) {
            assertThat(Integer.parseInt(checks.group(2))).as("failed checks of Airflow run %d:%n%s", passed.size() + 1,
                    output).isZero();
            passed.add(Integer.parseInt(checks.group(1)));
        }
        assertThat(passed).as("run-tests printed a check count per Airflow version:%n%s", output)
                .hasSize(AIRFLOW_VERSIONS)
                .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(56));
        System.out.printf("scripts/airflow/run-tests --all: %s checks passed (Airflow 2.11 and 3.3) in %d s (log %s)%n",
                passed, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), log);
    }
}
