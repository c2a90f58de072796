package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.deltalog.history.HistoryReader;
import io.deltaagent.deltalog.segment.LogListing;
import io.deltaagent.deltalog.storage.HadoopLogStore;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.health.WriterActivity;
import io.deltaagent.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The history reads each commit's head, not the whole commit, and its figures are those of reading every commit whole:
 * on Spark-written tables whose commits are of the last day (their commitInfo's metrics count the adds) or older
 * (an add line in the head is enough), with a head shorter than the commitInfo line (read further), and on a commit
 * whose commitInfo is its last line (read whole). Bytes counted by the store.
 */
class HistoryRangeReadTest {
    /** Smaller than the fixtures' commits (a few KB to 19 KB), larger than Spark's commitInfo lines. */
    private static final int HEAD = 1024;

    private record Read(WriterActivity activity, long bytes, LogStore store) {
    }

    private static Read history(Path table, int head, Instant now) throws IOException {
        Configuration conf = new Configuration();
        FileSystem fs = FileSystem.getLocal(conf);
        LogListing listing;
        try (LogStore listingStore = new HadoopLogStore(fs)) { // a store of its own: the bytes counted below are the history's
            listing = LogListing.list(listingStore, fs.makeQualified(new org.apache.hadoop.fs.Path(
                    table.resolve("_delta_log").toUri())).toString(), -1);
        }
        LogStore store = new HadoopLogStore(fs);
        try (store) {
            WriterActivity a = HistoryReader.read(store, listing.commits(), 1000, now, new ConcurrentHashMap<>(), head);
            return new Read(a, store.counters().bytesRead(), store);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_deletion_vectors_partitioned", "spark_optimized", "spark_mixed_sizes",
        "spark_unpartitioned_nocheckpoint", "spark_column_mapping_partitioned"})
    void headReadsGiveTheFiguresOfWholeReadsForFewerBytes(String fixture) throws IOException {
        Path table = Fixtures.table(fixture);
        Instant newest = Instant.ofEpochMilli(Files.getLastModifiedTime(newestCommit(table)).toMillis());
        // the table's commits of the last day (exact counts from the metrics), and all older than a day (any add line)
        for (Instant now : List.of(newest.plusSeconds(60), newest.plus(java.time.Duration.ofDays(30)))) {
            Read whole = history(table, Integer.MAX_VALUE, now);
            Read ranged = history(table, HEAD, now);
            Read tiny = history(table, 64, now); // shorter than any commitInfo line: read further until it ends

            assertThat(ranged.activity()).as("at " + now).isEqualTo(whole.activity());
            assertThat(tiny.activity()).as("at " + now).isEqualTo(whole.activity());
            assertThat(ranged.bytes()).as("heads of the commits larger than " + HEAD + " bytes, at " + now)
                    .isLessThan(whole.bytes());
            assertThat(ranged.store().counters().rangeReads()).isPositive();
        }
    }

    @Test
    void aCommitWhoseCommitInfoIsNotFirstIsReadWhole(@TempDir Path tmp) throws IOException {
        Path table = Fixtures.copy("spark_mixed_sizes", tmp);
        Path newest = newestCommit(table);
        List<String> lines = new ArrayList<>(Files.readAllLines(newest, StandardCharsets.UTF_8));
        String info = lines.stream().filter(l -> l.startsWith("{\"commitInfo\"")).findFirst().orElseThrow();
        lines.remove(info);
        lines.add(info); // another writer's order: commitInfo last
        Files.write(newest, lines, StandardCharsets.UTF_8);
        Files.deleteIfExists(newest.resolveSibling("." + newest.getFileName() + ".crc"));
        assertThat(Files.size(newest)).isGreaterThan(HEAD);

        Instant now = Instant.now(); // the copy's commits are of the last day: their adds must be exact
        Read whole = history(table, Integer.MAX_VALUE, now);
        Read ranged = history(table, HEAD, now);

        assertThat(ranged.activity()).isEqualTo(whole.activity());
        String key = "_delta_log/" + newest.getFileName();
        long size = Files.size(newest);
        assertThat(ranged.store().counters().bytesByObject()).as("the head, then the whole commit")
                .hasEntrySatisfying(ranged.store().counters().bytesByObject().keySet().stream()
                        .filter(k -> k.endsWith(key)).findFirst().orElseThrow(),
                        n -> assertThat(n).isEqualTo(HEAD + size));
    }

    private static Path newestCommit(Path table) throws IOException {
        try (var files = Files.list(table.resolve("_delta_log"))) {
            return files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).max(Path::compareTo).orElseThrow();
        }
    }
}
