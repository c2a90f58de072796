package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.deltalog.actions.CommitReader;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.LogActionVisitor;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.storage.HadoopLogStore;
import io.deltaagent.deltalog.storage.LogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Add and remove lines are streamed (FileActionLine), every other action read as a tree: both must give a visitor
 * the same values, whatever optional fields, nulls and unknown fields a writer puts in a line.
 */
class CommitReaderTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void fileActionsGiveEveryFieldTheAgentReadsAndSkipTheRest() throws IOException {
        List<String> seen = read(
                "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"WRITE\",\"operationParameters\":{\"mode\":\"Append\"}}}",
                "{\"add\":{\"path\":\"date=2026-01-01/part-0.parquet\",\"partitionValues\":{\"date\":\"2026-01-01\",\"h\":null},"
                        + "\"size\":1234,\"modificationTime\":1700000000001,\"dataChange\":true,"
                        + "\"stats\":\"{\\\"numRecords\\\":10,\\\"minValues\\\":{\\\"a\\\":[1,2]}}\",\"tags\":{\"k\":\"v\"}}}",
                "{\"add\":{\"path\":\"p1\",\"size\":\"77\",\"partitionValues\":{},\"modificationTime\":5,"
                        + "\"deletionVector\":{\"storageType\":\"u\",\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K{vb[*k^\",\"offset\":4,"
                        + "\"sizeInBytes\":40,\"cardinality\":6}}}",
                "{\"add\":{\"path\":\"p2\",\"size\":9,\"partitionValues\":{\"n\":42},\"modificationTime\":6,\"deletionVector\":null}}",
                "{\"remove\":{\"path\":\"p3\",\"deletionTimestamp\":1700000000002,\"dataChange\":true,\"size\":55,"
                        + "\"partitionValues\":{\"date\":\"2026-01-01\"},\"extendedFileMetadata\":true}}",
                "{\"remove\":{\"path\":\"p4\",\"deletionTimestamp\":null,"
                        + "\"deletionVector\":{\"storageType\":\"i\",\"pathOrInlineDv\":\"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L\"}}}",
                "{\"remove\":{\"path\":\"p5\"}}",
                "",
                "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\"],"
                        + "\"writerFeatures\":[\"deletionVectors\"]}}");
        assertThat(seen).containsExactly(
                "commitInfo 1700000000000 WRITE",
                "add date=2026-01-01/part-0.parquet dv=null size=1234 values={date=2026-01-01, h=null} mtime=1700000000001 0/0",
                "add p1 dv=uab^-aqEH.-t@S}K{vb[*k^@4 size=77 values={} mtime=5 6/40",
                "add p2 dv=null size=9 values={n=42} mtime=6 0/0",
                "remove p3 dv=null size=55 ts=1700000000002",
                "remove p4 dv=iwi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L size=0 ts=null",
                "remove p5 dv=null size=0 ts=null",
                "protocol 3/7 [deletionVectors]");
    }

    @Test
    void aLineOfAnotherShapeIsReadTheGeneralWay() throws IOException {
        // path as a number, fields after the action: not the compact form writers emit, still read
        assertThat(read("{\"add\":{\"path\":17,\"size\":3,\"partitionValues\":{\"x\":\"1\"}},\"extra\":1}",
                "{\"remove\":{\"path\":\"q\",\"size\":4,\"partitionValues\":{\"x\":{\"nested\":1}}}}"))
                .containsExactly("add 17 dv=null size=3 values={x=1} mtime=0 0/0", "remove q dv=null size=4 ts=null");
    }

    @Test
    void aTruncatedFileActionNamesTheFileAndLine() throws IOException {
        assertThatThrownBy(() -> read("{\"commitInfo\":{}}", "{\"add\":{\"path\":\"p\",\"size\":1,"))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("_delta_log/00000000000000000003.json line 2");
    }

    @Test
    void countingAddsOnlyNeverParsesFileActions() throws IOException {
        java.nio.file.Path file = write("{\"add\":{\"path\":\"a\"}}", "{\"remove\":{\"path\":\"b\"}}", "{\"add\":not json}");
        int[] adds = {0};
        readFile(file, new LogActionVisitor() {
            @Override
            public void add(String path, String dvId, long size, Map<String, String> values) {
                assertThat(path).isNull();
                adds[0]++;
            }

            @Override
            public boolean wantsFileActionDetails() {
                return false;
            }
        });
        assertThat(adds[0]).isEqualTo(2);
    }

    /** Reads a commit through a store, as the readers do; its length not known (as a one-off read has it). */
    private static void readFile(java.nio.file.Path file, LogActionVisitor visitor) throws IOException {
        try (LogStore store = new HadoopLogStore(fs())) {
            CommitReader.read(store, new Path(file.toUri()).toString(), -1, visitor);
        }
    }

    private List<String> read(String... lines) throws IOException {
        java.nio.file.Path file = write(lines);
        List<String> seen = new ArrayList<>();
        readFile(file, new LogActionVisitor() {
            @Override
            public void addFile(String path, String dvId, long size, Map<String, String> values, long mtime, long card,
                                long dvBytes) {
                seen.add("add " + path + " dv=" + dvId + " size=" + size + " values=" + new HashMap<>(values) + " mtime=" + mtime
                        + " " + card + "/" + dvBytes);
            }

            @Override
            public void remove(String path, String dvId, long size, Long ts) {
                seen.add("remove " + path + " dv=" + dvId + " size=" + size + " ts=" + ts);
            }

            @Override
            public void protocol(ProtocolInfo p) {
                seen.add("protocol " + p.minReaderVersion() + "/" + p.minWriterVersion() + " " + p.readerFeatures());
            }

            @Override
            public void commitInfo(Long timestamp, String operation) {
                seen.add("commitInfo " + timestamp + " " + operation);
            }
        });
        return seen;
    }

    private java.nio.file.Path write(String... lines) throws IOException {
        java.nio.file.Path file = dir.resolve("00000000000000000003.json");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static FileSystem fs() throws IOException {
        return FileSystem.getLocal(new Configuration());
    }
}
