package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.config.Host;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.TestRuns;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.FreePort;
import io.deltaagent.testing.SilentEndpoint;
import io.deltaagent.testing.StandaloneTables;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor} on real setups: a Delta table written by Delta Standalone, a real H2 history with a run, the real
 * spark-jobs build, a free port; and on broken ones: a catalog that never answers and one whose port is closed, no jobs
 * jar, an invalid config, a history directory that cannot be created, a port another program holds. No Spark job runs.
 */
class DoctorCliTest {

    @TempDir
    Path tmp;

    private Path home;
    private Path root;
    private Path table;
    private String db;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        root = Files.createDirectories(tmp.resolve("root"));
        table = tmp.resolve("lake/events");
        StandaloneTables.write(table, 2, 2, 1_000, 0, 0);
        db = "jdbc:h2:file:" + tmp.resolve("history");
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            long id = TestRuns.submitted(store, table.toString(), "OPTIMIZE", "{}", "local", "local[2]", 1, Instant.now(), "{}");
            store.runs().finished(id, RunState.SUCCEEDED, Instant.now(), Instant.now(), null, null, 3L, null);
        }
    }

    private CliRun doctor(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of("doctor"));
        all.addAll(List.of(args));
        return CliRun.of(new Host(env, home, root), all.toArray(String[]::new));
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("agent.yaml"), yaml);
    }

    private static JsonNode check(JsonNode doc, String name) {
        return StreamSupport.stream(doc.get("checks").spliterator(), false).filter(c -> c.get("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + name + " in " + doc));
    }

    @Test
    void allOkOnARealTableAndHistory() throws IOException {
        int port = FreePort.pick();
        Path cfg = config("tables:\n  - path: " + table + "\ndiscover:\n  - " + tmp.resolve("lake") + "\n"
                + "daemon:\n  http-address: 127.0.0.1:" + port + "\n  http-token-env: AGENT_TOKEN\n");
        CliRun run = doctor(Map.of("DELTA_AGENT_CONFIG", cfg.toString(), "AGENT_TOKEN", "t0ps3cr3t-token"), "--history-db", db);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).doesNotContain("FAIL").doesNotContain("t0ps3cr3t")
                .containsPattern("OK +config +" + java.util.regex.Pattern.quote(cfg + " (from DELTA_AGENT_CONFIG): valid; 1 tables"))
                .containsPattern("OK +history database +" + java.util.regex.Pattern.quote(db) + " \\(from --history-db\\): reachable, "
                        + "schema \\d+ \\(current\\); newest run 1, high-water mark 1")
                .containsPattern("OK +table " + java.util.regex.Pattern.quote(table.toString()) + " +_delta_log listed")
                .containsPattern("OK +discover ")
                .containsPattern("OK +backend local +ready: the jobs jar and its Spark runtime found")
                .containsPattern("OK +daemon token +present \\(15 characters\\), from the environment variable AGENT_TOKEN")
                .containsPattern("OK +daemon port +127.0.0.1:" + port + " is free")
                .contains("all 8 checks passed");
    }

    @Test
    void eachFailureIsNamedWithItsFixAndTheJsonIsOneDocument() throws IOException {
        int closed = FreePort.pick();
        try (SilentEndpoint silent = new SilentEndpoint();
             ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            Path cfg = config("tables:\n  - path: " + tmp.resolve("lake/missing") + "\n"
                    + "catalogs:\n"
                    + "  silent: {type: unity, uri: 'http://127.0.0.1:" + silent.port() + "', catalog: main, timeout: 30s}\n"
                    + "  closed: {type: unity, uri: 'http://127.0.0.1:" + closed + "', catalog: main, timeout: 2s}\n"
                    + "daemon:\n  http-address: 127.0.0.1:" + taken.getLocalPort() + "\n");
            Files.writeString(tmp.resolve("not-a-dir"), "x");
            Path emptyJobs = Files.createDirectories(tmp.resolve("no-jobs"));
            long t0 = System.nanoTime();
            CliRun run = doctor(Map.of(), "--config", cfg.toString(), "--history-db", "jdbc:h2:file:" + tmp.resolve("not-a-dir/history"),
                    "--spark-jobs-dir", emptyJobs.toString(), "--timeout", "3s", "--format", "json");
            assertThat((System.nanoTime() - t0) / 1_000_000_000).as("bounded by --timeout").isLessThan(30);
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.TABLE_FAILED);
            JsonNode doc = run.json();
            assertThat(run.out().lines().filter(l -> !l.isBlank()).count()).isEqualTo(1);
            assertThat(doc.get("command").asText()).isEqualTo("doctor");
            assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(doc.get("ok").asBoolean()).isFalse();
            assertThat(doc.get("failed").asLong()).isEqualTo(6);

            JsonNode history = check(doc, "history database");
            assertThat(history.get("status").asText()).isEqualTo("FAIL");
            assertThat(history.get("detail").asText()).contains("not-a-dir").contains("cannot create");
            assertThat(history.get("fix").asText()).contains("--history-db");

            JsonNode missing = check(doc, "table " + tmp.resolve("lake/missing"));
            assertThat(missing.get("status").asText()).isEqualTo("FAIL");
            assertThat(missing.get("fix").asText()).contains("Delta table's root");

            JsonNode silentCatalog = check(doc, "catalog silent");
            assertThat(silentCatalog.get("status").asText()).isEqualTo("FAIL");
            assertThat(silentCatalog.get("detail").asText()).isEqualTo("no answer within 3 s");
            assertThat(silentCatalog.get("fix").asText()).contains("catalogs.silent");

            JsonNode closedCatalog = check(doc, "catalog closed");
            assertThat(closedCatalog.get("status").asText()).isEqualTo("FAIL");
            assertThat(closedCatalog.get("detail").asText()).contains("127.0.0.1:" + closed);
            assertThat(closedCatalog.get("fix").asText()).contains("catalogs.closed");

            JsonNode backend = check(doc, "backend local");
            assertThat(backend.get("status").asText()).isEqualTo("FAIL");
            assertThat(backend.get("detail").asText()).contains("no spark-jobs jar in " + emptyJobs);
            assertThat(backend.get("fix").asText()).contains("--spark-jobs-dir");

            JsonNode port = check(doc, "daemon port");
            assertThat(port.get("status").asText()).isEqualTo("FAIL");
            assertThat(port.get("fix").asText()).contains("daemon.http-address");

            assertThat(check(doc, "daemon token").get("status").asText()).isEqualTo("WARN");
            assertThat(check(doc, "config").get("status").asText()).isEqualTo("OK");
        }
    }

    @Test
    void anInvalidConfigFailsWithItsFixAndTheChecksThatNeedItAreLeftOut() throws IOException {
        Path cfg = config("tables:\n  - path: " + table + "\n    min-smal-files: 3\n");
        CliRun run = doctor(Map.of(), "--config", cfg.toString(), "--history-db", db);
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(run.out()).containsPattern("FAIL +config +" + java.util.regex.Pattern.quote(cfg.toString()))
                .contains("min-smal-files").contains("fix: correct the file (delta-agent config-reference lists every setting)")
                .doesNotContain("table " + table).contains("1 of 3 checks failed");
    }

    @Test
    void theOldStateDirectoryIsAWarningThatPasses() throws IOException {
        try (HistoryStore old = HistoryStore.open("jdbc:h2:file:" + home.resolve(".delta-agent/history"), "sa", "")) {
            old.runs().runsSince(Instant.EPOCH);
        }
        CliRun run = doctor(Map.of(), "--spark-jobs-dir", System.getProperty("deltaagent.sparkJobs.dir"));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("WARN +state directory +" + java.util.regex.Pattern.quote(home.resolve(".delta-agent")
                        + " (the old location, which holds a history database while " + home.resolve(".local/state/delta-agent")))
                .containsPattern("WARN +config +none named")
                .containsPattern("OK +history database +jdbc:h2:file:" + java.util.regex.Pattern.quote(home.resolve(".delta-agent/history").toString()));
    }
}
