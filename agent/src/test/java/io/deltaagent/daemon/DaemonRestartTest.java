package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon killed (SIGKILL) while its job runs, then started again: the new process follows the job the
 * dead one started, to its end, and records it once. One Spark job in all.
 */
class DaemonRestartTest {

    @TempDir
    Path tmp;

    @Test
    void aJobInFlightWhenTheDaemonDiesIsFollowedAfterTheRestartAndRecordedOnceNeverResubmitted() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, """
                defaults:
                  hot-partition-window: 0s
                  max-log-read-latency: 10m   # this busy test machine reads slowly: only small files count here
                  audit-schedule: "*/5 * * * * ?"
                  cooldown: 0s
                tables:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: restarting-daemon
                """.formatted(table));
        String db = "jdbc:h2:file:" + tmp.resolve("history");
        Path work = tmp.resolve("jobs");

        JsonNode running;
        try (DaemonProcess first = DaemonProcess.start("first", tmp, config, db, work, Map.of(), null)) {
            running = Eventually.await("the job to start", Duration.ofMinutes(3), () -> {
                JsonNode rows = first.json("/api/history");
                return rows.size() > 0 && rows.get(0).get("state").asText().equals("RUNNING") ? rows.get(0) : null;
            }, r -> r != null);
            String handle = running.get("jobHandle").asText();
            Eventually.await("its Spark process", Duration.ofSeconds(60), () -> sparkProcess(handle), Optional::isPresent);
            first.kill();
            assertThat(sparkProcess(handle)).as("the job outlives the daemon").isPresent();
        }

        try (DaemonProcess second = DaemonProcess.start("second", tmp, config, db, work, Map.of(), null)) {
            JsonNode done = Eventually.await("the resumed job to be recorded", Duration.ofMinutes(10), () -> {
                JsonNode rows = second.json("/api/history");
                return rows.size() > 0 && rows.get(0).get("state").asText().matches("SUBMITTED|RUNNING") ? null : rows;
            }, r -> r != null);
            assertThat(done).as("one run, recorded once").hasSize(1);
            JsonNode run = done.get(0);
            assertThat(run.get("id").asLong()).isEqualTo(running.get("id").asLong());
            assertThat(run.get("state").asText()).as(second.log()).isEqualTo("SUCCEEDED");
            assertThat(run.get("jobResult").get("filesRemoved").asLong()).isEqualTo(150);
            assertThat(run.get("after").get("files").asLong()).isEqualTo(3);
            assertThat(second.log()).contains("OPTIMIZE run " + run.get("id").asLong() + " resumed: following its job "
                    + running.get("jobHandle").asText());
            assertThat(second.terminate(Duration.ofSeconds(90))).isZero();
        }

        try (Stream<Path> files = Files.list(work)) {
            assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).as("one Spark job was ever started").isEqualTo(1);
        }
        assertThat(commitsAfter(table, 24)).as("one OPTIMIZE commit, no second one").containsExactly("00000000000000000025.json");
        List<RunRecord> runs;
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            runs = store.runs().history(null, 10);
        }
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(r.commitVersion()).isEqualTo(25);
        });
    }

    static Optional<ProcessHandle> sparkProcess(String handle) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(handle)).orElse(false))
                .findFirst();
    }

    static List<String> commitsAfter(Path table, long version) throws Exception {
        try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
                    .filter(n -> Long.parseLong(n.substring(0, 20)) > version).sorted().toList();
        }
    }
}
