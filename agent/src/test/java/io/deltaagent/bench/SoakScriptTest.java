package io.deltaagent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/soak --short} as CI runs it: the daemon over ten tables for two minutes of SlowDown, resets, latency
 * spikes and a PostgreSQL restart while a writer appends; the script's own checks (every table current, no run open,
 * history at the tables' versions, heap/threads/fds flat) must pass and every kind of fault must have happened.
 */
class SoakScriptTest {

    private static final Path REPO = Path.of(System.getProperty("deltaagent.repo.dir")).toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void aShortSoakUnderEveryFaultEndsWithEveryTableCurrentAndTheDaemonFlat() throws Exception {
        Path stdout = work.resolve("soak.out");
        Path stderr = work.resolve("soak.err");
        ProcessBuilder pb = new ProcessBuilder(List.of(REPO.resolve("scripts/soak").toString(), "--short", "--work", work.toString()))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("BENCH_AGENT_CP", System.getProperty("java.class.path"));
        pb.environment().put("BENCH_SPARK_JOBS_DIR", Path.of(System.getProperty("deltaagent.sparkJobs.dir")).toAbsolutePath().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) { // a guard against a hang, not a timing
            p.destroyForcibly();
            throw new AssertionError("scripts/soak --short did not finish in 15 minutes; stderr: " + Files.readString(stderr));
        }
        String out = Files.readString(stdout);
        assertThat(p.exitValue()).as("stdout:\n%s\nstderr:\n%s", out, Files.readString(stderr)).isZero();
        assertThat(out).contains("soak: OK").contains("heap after GC").contains("open fds");
        JsonNode summary = new ObjectMapper().readTree(work.resolve("soak-summary.json").toFile());
        assertThat(summary.get("violations")).isEmpty();
        assertThat(summary.get("tables").asInt()).isEqualTo(10);
        assertThat(summary.get("appends").asLong()).isPositive();
        assertThat(summary.get("slowDowns").asLong()).isPositive();
        assertThat(summary.get("resets").asLong()).isPositive();
        assertThat(summary.get("latencySpikes").asLong()).isPositive();
        assertThat(summary.get("postgresRestarts").asInt()).isPositive();
        assertThat(summary.get("throttledAudits").asDouble()).as("the SlowDown reached an audit").isPositive();
    }
}
