package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.config.OptionValues;
import io.deltaagent.config.TableOptions;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.CountingLocalFileSystem;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log compaction files (issue 25): a file {@code x.y.compacted.json} written as PROTOCOL.md describes (the reconciled
 * actions of commits x to y) is read instead of those commits: the same figures, fewer log files read.
 */
class LogCompactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMIT_OR_COMPACTION = "\\d{20}(\\.\\d{20}\\.compacted)?\\.json";

    @TempDir
    Path tmp;

    private final LogHealthReader reader = new LogHealthReader(new HadoopStorage(CountingLocalFileSystem.install(new Configuration())),
            Clock.systemUTC());

    /** A Spark-written table of 25 commits (0 to 24) and no checkpoint: every commit is replayed. */
    private Path table(String name) throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp.resolve(name));
        Files.delete(table.resolve("_delta_log/00000000000000000010.checkpoint.parquet"));
        Files.delete(table.resolve("_delta_log/00000000000000000020.checkpoint.parquet"));
        Files.delete(table.resolve("_delta_log/_last_checkpoint"));
        return table;
    }

    private TableHealth audit(Path table, int historyDepth) {
        TableSettings settings = TableSettings.from(OptionValues.builtIn().with(
                Map.of(TableOptions.HISTORY_DEPTH.key(), historyDepth)), false);
        CountingLocalFileSystem.reset();
        return reader.read(TableLocation.of(table.toString()), io.deltaagent.audit.SettingsThresholds.of(settings));
    }

    @Test
    void aCompactionFileGivesTheSameFiguresForFewerReads() throws Exception {
        Path plain = table("plain");
        Path compacted = table("compacted");
        Path written = compact(compacted, 2, 19);

        TableHealth without = audit(plain, 3);
        int readsWithout = CountingLocalFileSystem.opens(COMMIT_OR_COMPACTION);
        TableHealth with = audit(compacted, 3);
        int readsWith = CountingLocalFileSystem.opens(COMMIT_OR_COMPACTION);

        assertThat(with.files()).isEqualTo(without.files());
        assertThat(with.tombstones()).usingRecursiveComparison().ignoringFields("vacuumableBefore")
                .isEqualTo(without.tombstones());
        assertThat(with.identity().version()).isEqualTo(without.identity().version()).isEqualTo(24);
        assertThat(with.activity()).isEqualTo(without.activity());
        assertThat(with.log().commitsSinceCheckpoint()).isEqualTo(without.log().commitsSinceCheckpoint()).isEqualTo(25);
        assertThat(with.log().compactionFiles()).isEqualTo(1);
        assertThat(with.log().objects()).isEqualTo(without.log().objects() + 1);
        assertThat(readsWithout).as("every commit once").isEqualTo(25);
        assertThat(readsWith).as("commits 0, 1 and 20 to 24, and " + written.getFileName()).isEqualTo(8);
    }

    @Test
    void aCompactionFileTheHistoryReachesIsNotUsed() throws Exception {
        Path compacted = table("compacted");
        compact(compacted, 2, 19);
        TableHealth with = audit(compacted, 200);
        assertThat(CountingLocalFileSystem.opens(".*compacted.*"))
                .as("the history reads those commits anyway: reading the compaction too would add a request").isZero();
        assertThat(CountingLocalFileSystem.opens(COMMIT_OR_COMPACTION)).isEqualTo(25);
        assertThat(with.log().compactionFiles()).isEqualTo(1);
    }

    /**
     * Writes {@code x.y.compacted.json} per PROTOCOL.md: the newest protocol, metaData, each domain's and app's newest
     * domainMetadata/txn, and for every file the last add or remove of commits x to y; no commitInfo.
     */
    static Path compact(Path table, long x, long y) throws Exception {
        Map<String, String> singles = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        for (long v = x; v <= y; v++) {
            for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(String.format("%020d.json", v)))) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode action = JSON.readTree(line);
                String kind = action.fieldNames().next();
                JsonNode body = action.get(kind);
                switch (kind) {
                    case "add", "remove" -> {
                        String key = body.get("path").asText() + "|" + body.path("deletionVector").toString();
                        files.remove(key);
                        files.put(key, line);
                    }
                    case "protocol", "metaData" -> singles.put(kind, line);
                    case "domainMetadata" -> singles.put("domain:" + body.get("domain").asText(), line);
                    case "txn" -> singles.put("txn:" + body.get("appId").asText(), line);
                    default -> { } // commitInfo and anything else of one commit only
                }
            }
        }
        List<String> lines = new ArrayList<>(singles.values());
        lines.addAll(files.values());
        Path file = table.resolve("_delta_log").resolve(String.format("%020d.%020d.compacted.json", x, y));
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }
}
