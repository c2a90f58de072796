package io.deltaagent.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.Sboms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a user gets it (after {@code package}): unpacked in an empty directory, started through a
 * symlink on PATH with no checkout and no build around it, it audits a real Delta table and maintains it on its
 * default backend (a local Spark process from the archive's jobs/), recording the run in its default history database.
 */
class ReleaseArchiveIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            return JSON.readTree(lines.get(lines.size() - 1));
        }
    }

    @Test
    void theUnpackedArchiveAuditsAndMaintainsATableOnItsOwn() throws Exception {
        Path archive = Path.of(System.getProperty("deltaagent.release.archive"));
        String version = System.getProperty("deltaagent.version");
        assertThat(archive).as("mvn package builds it").isRegularFile();
        Path unpacked = tmp.resolve("opt");
        Files.createDirectories(unpacked);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString()).inheritIO().start();
        assertThat(tar.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(tar.exitValue()).isZero();
        Path home = unpacked.resolve("delta-agent-" + version);

        assertThat(home.resolve("bin/delta-agent")).isExecutable();
        assertThat(home.resolve("delta-agent.jar")).isRegularFile();
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(home.resolve("delta-agent.jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version")).isEqualTo(version);
        }
        assertThat(jars(home.resolve("lib"))).anyMatch(n -> n.startsWith("delta-kernel-api-")).anyMatch(n -> n.startsWith("picocli-"));
        assertThat(jars(home.resolve("jobs"))).singleElement().satisfies(n -> assertThat(n).startsWith("delta-agent-spark-jobs-"));
        assertThat(jars(home.resolve("jobs/spark-runtime"))).anyMatch(n -> n.startsWith("spark-core_2.12-"))
                .anyMatch(n -> n.startsWith("delta-spark_2.12-"));
        // the Spark 4 jobs beside them (backends.local.spark-runtime: 4)
        assertThat(jars(home.resolve("jobs/spark4"))).singleElement().satisfies(n -> assertThat(n).startsWith("delta-agent-spark-jobs-spark4-"));
        assertThat(jars(home.resolve("jobs/spark4/spark-runtime"))).anyMatch(n -> n.startsWith("spark-core_2.13-4."))
                .anyMatch(n -> n.startsWith("delta-spark_2.13-4."));
        Sboms.listsEveryJar(home.resolve("sbom/spark-jobs-spark4-sbom.json"), home.resolve("jobs/spark4/spark-runtime"), "spark-core_2.13",
                "delta-spark_2.13");
        Sboms.listsEveryJar(home.resolve("sbom/delta-agent-sbom.json"), home.resolve("lib"), "picocli", "jackson-core");
        Sboms.listsEveryJar(home.resolve("sbom/spark-jobs-sbom.json"), home.resolve("jobs/spark-runtime"), "spark-core_2.12",
                "delta-spark_2.12");
        assertThat(home.resolve("config/agent.yaml")).isRegularFile();
        assertThat(home.resolve("docs/CONFIG.md")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(Files.readString(home.resolve("NOTICE"))).contains("THIRD-PARTY-agent.txt");
        String agentLicenses = Files.readString(home.resolve("licenses/THIRD-PARTY-agent.txt"));
        String jobLicenses = Files.readString(home.resolve("licenses/THIRD-PARTY-spark-jobs.txt"));
        assertThat(agentLicenses).contains("ch.qos.logback:logback-classic:").contains("io.delta:delta-kernel-api:");
        assertThat(jobLicenses).contains("org.apache.spark:spark-core_2.12:").contains("oro:oro:2.0.8");
        assertThat((agentLicenses + jobLicenses).lines().filter(l -> l.contains("Unknown license")))
                .as("every library but the agent's own modules declares its license").allMatch(l -> l.contains("(io.deltaagent:"));
        for (String jar : jars(home.resolve("lib"))) {
            String coordinates = jar.replaceAll("-\\d.*$", "");
            assertThat(agentLicenses).as("every bundled jar is listed: " + jar).contains(":" + coordinates + ":");
        }

        // on PATH through a symlink, nothing of the checkout in reach: the archive's jobs/ and ~/.local/state/delta-agent/history
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path launcher = Files.createSymbolicLink(bin.resolve("delta-agent"), home.resolve("bin/delta-agent"));
        Path userHome = Files.createDirectories(tmp.resolve("home"));
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        long rows = DeltaFiles.rows(table);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n");

        Run v = run(launcher, userHome, "--version");
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out().trim()).isEqualTo("delta-agent " + version);

        Run audit = run(launcher, userHome, "audit", "--config", config.toString(), "--format", "json", table.toString());
        assertThat(audit.exit()).as(audit.err()).isEqualTo(3);
        assertThat(audit.json().get("agentVersion").asText()).isEqualTo(version);
        assertThat(audit.json().get("tables").get(0).get("health").get("files").get("activeFiles").asLong()).isEqualTo(150);

        Run maintain = run(launcher, userHome, "maintain", "--config", config.toString(), "--format", "json", "--local-heap",
                "1g", table.toString());
        assertThat(maintain.exit()).as(maintain.err()).isZero();
        JsonNode healed = maintain.json().get("tables").get(0);
        assertThat(healed.get("status").asText()).isEqualTo("HEALED");
        assertThat(healed.get("after").get("files").asLong()).isEqualTo(3);
        assertThat(DeltaFiles.rows(table)).isEqualTo(rows);
        assertThat(maintain.err()).as("progress on stderr while the job ran").containsPattern("run 1: local Spark process \\d+")
                .contains("run 1: SUCCEEDED after");
        assertThat(userHome.resolve(".local/state/delta-agent/history.mv.db")).as("the default history database").isRegularFile();

        Run history = run(launcher, userHome, "history", table.toString());
        assertThat(history.out()).contains("OPTIMIZE").contains("SUCCEEDED");

        Run completion = run(launcher, userHome, "generate-completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("maintain").contains("session");
    }

    @Test
    void theSlimArchiveAuditsWithoutTheJobsAndItsSbomListsItsJars() throws Exception {
        Path archive = Path.of(System.getProperty("deltaagent.slim.archive"));
        String version = System.getProperty("deltaagent.version");
        assertThat(archive).as("mvn package builds it").isRegularFile();
        Path unpacked = Files.createDirectories(tmp.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString()).inheritIO().start();
        assertThat(tar.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(tar.exitValue()).isZero();
        Path home = unpacked.resolve("delta-agent-slim-" + version);

        assertThat(home.resolve("bin/delta-agent")).isExecutable();
        assertThat(home.resolve("delta-agent.jar")).isRegularFile();
        assertThat(home.resolve("jobs")).as("no local backend's Spark runtime").doesNotExist();
        for (String kept : List.of("config/agent.yaml", "docs/DEPLOY.md", "deploy/systemd/delta-agent.service",
                "airflow-provider/pyproject.toml", "LICENSE", "NOTICE", "README.md", "licenses/THIRD-PARTY-agent.txt")) {
            assertThat(home.resolve(kept)).as(kept).isRegularFile();
        }
        Sboms.listsEveryJar(home.resolve("sbom/delta-agent-sbom.json"), home.resolve("lib"), "picocli", "jackson-core");

        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path launcher = Files.createSymbolicLink(bin.resolve("delta-agent"), home.resolve("bin/delta-agent"));
        Path userHome = Files.createDirectories(tmp.resolve("home"));
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n");

        Run v = run(launcher, userHome, "--version");
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out().trim()).isEqualTo("delta-agent " + version);
        Run audit = run(launcher, userHome, "audit", "--config", config.toString(), "--format", "json", table.toString());
        assertThat(audit.exit()).as(audit.err()).isEqualTo(3);
        assertThat(audit.json().get("tables").get(0).get("health").get("files").get("activeFiles").asLong()).isEqualTo(150);
    }

    private Run run(Path launcher, Path userHome, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.remove("DELTA_AGENT_SPARK_JOBS_DIR");
        // the lookups of a fresh user's machine: no config or history named, the state directory under HOME
        List.of("DELTA_AGENT_CONFIG", "DELTA_AGENT_HISTORY_DB", "XDG_CONFIG_HOME", "XDG_STATE_HOME").forEach(env::remove);
        env.put("HOME", userHome.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        // user.home follows HOME only through the JVM's own lookup: set it the way a user's login would
        env.put("DELTA_AGENT_JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Duser.home=" + userHome);
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> jars(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
    }
}
