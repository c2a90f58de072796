package io.deltaagent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark scripts at {@code --tiny} size, as CI runs them: every tool (Spark included, in its own JVMs with
 * the spark-jobs runtime) reads the generated table and agrees on its file count, the results parse, and the
 * maintenance jobs change what they should. Timings are not asserted: benchmarks measure, tests check answers.
 *
 * <p>One work directory for all cases, so the tiny seeded table is generated once and shared (bench-audit on disk
 * and on S3, bench-maintain's log table); each Spark tool starts once: {@code spark-describe} in the S3 run (the
 * same seeded table), {@code spark-files} on disk.
 */
class BenchScriptsTest {

    private static final Path REPO = Path.of(System.getProperty("deltaagent.repo.dir")).toAbsolutePath().normalize();

    @TempDir
    static Path work;

    @Test
    void benchAuditTinyEveryToolReadsTheGeneratedTable() throws Exception {
        Path out = work.resolve("audit.jsonl");
        Run run = script("bench-audit", "--tiny", "--tools", "agent,spark-files,standalone-allfiles,standalone-scan,kernel-scan",
                "--work", work.toString(), "--out", out.toString());

        assertThat(run.exit).as(run.err).isZero();
        List<JsonNode> lines = BenchReport.read(out);
        assertThat(lines).extracting(n -> n.path("tool").asText()).containsExactly("agent-auto", "agent-projected", "agent-standalone",
                "agent-kernel", "spark-files", "standalone-allfiles", "standalone-scan", "kernel-scan");
        for (JsonNode n : lines) {
            BenchReport.AuditRun r = BenchReport.AuditRun.of(n);
            assertThat(r.exit()).as(r.tool()).isZero();
            assertThat(r.filesRead()).as(r.tool() + " files").isEqualTo(300);
            assertThat(r.since()).isEqualTo(30);
            assertThat(r.wall()).isPositive();
            assertThat(n.path("peakHeapBytes").asLong()).as(r.tool() + " heap").isPositive();
        }
        assertThat(run.out).contains("#### 300 files, 30 commits since the last checkpoint").contains("| spark-files |")
                .contains("##### Issue 26 targets, 300 files, 30 commits since the last checkpoint, local disk")
                .contains("| local audit (agent-auto, whole process) | " + String.format(java.util.Locale.ROOT, "%.1f s",
                        BenchReport.AuditRun.of(lines.get(0)).wall()) + " | ≤ 1.5 s |");
    }

    @Test
    void benchMaintainTinyCompactsAndCheckpoints() throws Exception {
        Path out = work.resolve("maintain.jsonl");
        Run run = script("bench-maintain", "--tiny", "--work", work.toString(), "--out", out.toString());

        assertThat(run.exit).as(run.err).isZero();
        Map<String, JsonNode> byPhase = BenchReport.read(out).stream()
                .collect(Collectors.toMap(n -> n.path("phase").asText(), n -> n, (a, b) -> b));
        assertThat(byPhase).containsKeys("before", "job-optimize", "after-optimize", "job-zorder", "after-zorder",
                "log-before", "job-checkpoint", "log-after");
        JsonNode before = byPhase.get("before").path("result");
        assertThat(before.path("files").asLong()).isEqualTo(120);
        assertThat(before.path("rows").asLong()).isEqualTo(120 * 200);
        for (String after : List.of("after-optimize", "after-zorder")) {
            JsonNode r = byPhase.get(after).path("result");
            assertThat(r.path("files").asLong()).as(after).isLessThan(120);
            assertThat(r.path("rows").asLong()).as(after).isEqualTo(120 * 200);
            assertThat(r.path("selectiveRows").asLong()).as(after).isEqualTo(before.path("selectiveRows").asLong());
            assertThat(r.path("fullScanMs")).hasSize(5);
        }
        assertThat(byPhase.get("job-zorder").path("result").path("status").asText()).isEqualTo("SUCCEEDED");
        long sinceBefore = byPhase.get("log-before").path("result").path("tables").path(0).path("health").path("log")
                .path("commitsSinceCheckpoint").asLong();
        long sinceAfter = byPhase.get("log-after").path("result").path("tables").path(0).path("health").path("log")
                .path("commitsSinceCheckpoint").asLong();
        assertThat(sinceBefore).isEqualTo(30);
        assertThat(sinceAfter).isZero();
        assertThat(run.out).contains("| after-zorder |").contains("| before | 30 |");
    }

    @Test
    void benchRewriteTinyShowsTheAgentRewritingOnlySmallFiles() throws Exception {
        Path out = work.resolve("rewrite.jsonl");
        Run run = script("bench-rewrite", "--tiny", "--work", work.toString(), "--out", out.toString());

        assertThat(run.exit).as(run.err).isZero();
        Map<String, JsonNode> byTool = BenchReport.read(out).stream()
                .collect(Collectors.toMap(n -> n.path("tool").asText(), n -> n, (a, b) -> b));
        JsonNode agent = byTool.get("delta-agent maintain (agent's sizes)");
        JsonNode delta = byTool.get("Delta OPTIMIZE, defaults (1 GiB)");
        assertThat(agent.path("writeAmplification").asDouble()).as(agent.toString()).isEqualTo(1.0);
        assertThat(agent.path("filesAfter").asLong()).isEqualTo(agent.path("plannedFilesAfter").asLong());
        assertThat(delta.path("writeAmplification").asDouble()).as("Delta's defaults rewrite the healthy files too")
                .isGreaterThan(10);
        assertThat(delta.path("filesRewritten").asLong()).isEqualTo(agent.path("filesBefore").asLong());
        assertThat(run.out).contains("| delta-agent maintain (agent's sizes) |").contains("| 1.00x |");
    }

    @Test
    void benchAuditS3TinyReadsTheTableThroughTheLatencyProxyAndCountsRequests() throws Exception {
        Path out = work.resolve("audit-s3.jsonl");
        Run run = script("bench-audit-s3", "--s3", "--tiny", "--latency-ms", "20", "--work", work.toString(), "--out", out.toString());

        assertThat(run.exit).as(run.err).isZero();
        List<JsonNode> lines = BenchReport.read(out);
        assertThat(lines).extracting(n -> n.path("tool").asText())
                .containsExactly("agent-auto", "agent-incremental", "kernel-scan", "spark-describe");
        for (JsonNode n : lines) {
            BenchReport.AuditRun r = BenchReport.AuditRun.of(n);
            assertThat(r.exit()).as(r.tool()).isZero();
            assertThat(r.filesRead()).as(r.tool() + " files").isEqualTo(300);
            assertThat(n.path("storage").asText()).isEqualTo("s3");
            assertThat(n.path("proxyRequests").path("total").asLong()).as(r.tool() + " requests at the server").isPositive();
            assertThat(n.path("proxyRequests").path("put").asLong()).as(r.tool() + " only reads").isZero();
        }
        Map<String, JsonNode> byTool = lines.stream().collect(Collectors.toMap(n -> n.path("tool").asText(), n -> n));
        // the tools' own counters (S3A's) against the server's counts: the same requests
        JsonNode agentSeen = byTool.get("agent-auto").path("proxyRequests");
        JsonNode agentOwn = byTool.get("agent-auto").path("result").path("tables").path(0).path("health").path("readCost")
                .path("requests");
        JsonNode kernelSeen = byTool.get("kernel-scan").path("proxyRequests");
        JsonNode kernelOwn = byTool.get("kernel-scan").path("result").path("requests");
        for (String kind : List.of("list", "get", "head")) {
            assertThat(agentOwn.path(kind).asLong()).as("agent " + kind).isEqualTo(agentSeen.path(kind).asLong());
            assertThat(kernelOwn.path(kind).asLong()).as("kernel " + kind).isEqualTo(kernelSeen.path(kind).asLong());
        }
        JsonNode incremental = byTool.get("agent-incremental").path("result");
        assertThat(incremental.path("first").path("readCost").path("mode").asText()).isEqualTo("full");
        assertThat(incremental.path("second").path("files").asLong()).isEqualTo(300);
        assertThat(incremental.path("second").path("proxy").path("total").asLong())
                .as("the re-audit of an unchanged table asks far less").isLessThan(incremental.path("first").path("proxy").path("total").asLong());
        JsonNode spark = byTool.get("spark-describe").path("result");
        assertThat(spark.path("sizeInBytes").asLong()).isEqualTo(byTool.get("agent-auto").path("result").path("tables").path(0)
                .path("health").path("files").path("totalBytes").asLong());
        assertThat(run.out).contains("#### 300 files, 30 commits since the last checkpoint, S3 with 20 ms per request")
                .contains("| spark-describe |");

        // issue 26's rows: Spark's time over the agent's, and the bytes the server sent the agent against the budget
        JsonNode agentLine = byTool.get("agent-auto");
        JsonNode budget = agentLine.path("bytesBudget");
        assertThat(budget.path("tailCommits").asLong()).isEqualTo(30);
        assertThat(budget.path("neededColumnBytes").asLong()).isPositive().isLessThan(budget.path("checkpointBytes").asLong());
        assertThat(budget.path("budgetBytes").asLong()).isEqualTo(budget.path("neededColumnBytes").asLong()
                + budget.path("footerBytes").asLong() + budget.path("tailCommitBytes").asLong() + 5_000_000);
        long served = agentSeen.path("responseBytes").asLong();
        assertThat(served).as("the server sent at least what S3A says it read")
                .isGreaterThanOrEqualTo(agentOwn.path("bytesRead").asLong()).isPositive();
        assertThat(run.out).contains("##### Issue 26 targets, 300 files, 30 commits since the last checkpoint, S3 with 20 ms per request")
                .contains("| cold audit vs Spark's cold DESCRIBE DETAIL | ")
                .contains("| bytes read by the audit | " + ByteBudget.mb(served) + " at the server");
    }

    @Test
    void benchFleetTinyRunsTheDaemonOnLocalDiskAndS3() throws Exception {
        Path out = work.resolve("fleet.jsonl");
        Run run = script("bench-fleet", "--tiny", "--s3", "--work", work.toString(), "--out", out.toString());

        assertThat(run.exit).as(run.err).isZero();
        List<JsonNode> lines = BenchReport.read(out);
        assertThat(lines).extracting(n -> n.path("storage").asText() + "/" + n.path("cycle").asInt())
                .containsExactly("local/1", "local/2", "s3/1", "s3/2");
        for (JsonNode n : lines) {
            assertThat(n.path("tables").asLong()).isEqualTo(20);
            assertThat(n.path("tablesAudited").asLong()).as(n.toString()).isEqualTo(20);
            assertThat(n.path("filesCounted").asLong()).as(n.toString()).isEqualTo(n.path("files").asLong());
            assertThat(n.path("files").asLong()).isEqualTo(18 * 100 + 2 * 2000);
            assertThat(n.path("tablesWithWrongFiles").asLong()).isZero();
            assertThat(n.path("admitted").asLong()).as("audit only: every window closed").isZero();
            assertThat(n.path("heapPeakSampledBytes").asLong()).isPositive();
            assertThat(n.path("tookMs").asLong()).isNotNegative();
            if (n.path("cycle").asInt() == 1) {
                assertThat(n.path("modes").path("full").asLong()).as("the first cycle reads every table in full").isEqualTo(20);
            }
            if (n.path("storage").asText().equals("s3")) {
                assertThat(n.path("proxyRequests").path("total").asLong()).isPositive();
                assertThat(n.path("proxyRequests").path("put").asLong()).isZero();
            }
        }
        assertThat(run.out).contains("| S3, 20 ms | 20 |").contains("| local | 20 |")
                .contains("##### Issue 26 targets, 20 tables (5,800 files) on S3 at 20 ms, 4 audits at once")
                .contains("| first daemon cycle (every table read in full) | ").contains("| re-audit cycle | ");
    }

    private record Run(int exit, String out, String err) {
    }

    /** Runs a script with the agent from this test classpath and the Spark runtime of the spark-jobs build. */
    private Run script(String label, String... args) throws IOException, InterruptedException {
        String name = label.replace("-s3", ""); // the script; the label names its output files in the shared work dir
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("scripts").resolve(name).toString());
        command.addAll(List.of(args));
        Path stdout = work.resolve(label + ".out");
        Path stderr = work.resolve(label + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("BENCH_AGENT_CP", System.getProperty("java.class.path"));
        pb.environment().put("BENCH_SPARK_JOBS_DIR",
                Path.of(System.getProperty("deltaagent.sparkJobs.dir")).toAbsolutePath().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) { // a guard against a hang, not a timing: shared CI machines are slow
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish in 30 minutes; stderr: " + Files.readString(stderr));
        }
        return new Run(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }
}
