package io.deltaagent.deltalog.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Checksum files as delta-spark writes them, and as they break: parsing and comparing, with no storage. */
@Tag("fast")
class ChecksumFileTest {

    /** The shape delta-spark 3.3 writes (spark_deletion_vectors' 00000000000000000002.crc, allFiles shortened). */
    static final String SPARK_CRC = """
            {"txnId":"9179a723","tableSizeBytes":6734,"numFiles":4,"numDeletedRecordsOpt":40,"numDeletionVectorsOpt":4,
             "numMetadata":1,"numProtocol":1,"setTransactions":[],"domainMetadata":[],
             "metadata":{"id":"d3b0cd3b","format":{"provider":"parquet","options":{}},"schemaString":"{}",
               "partitionColumns":["date"],"configuration":{"delta.enableDeletionVectors":"true"},"createdTime":1},
             "protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],
               "writerFeatures":["deletionVectors"]},
             "deletedRecordCountsHistogramOpt":{"deletedRecordCounts":[0,1,3]},
             "allFiles":[{"path":"a.parquet","partitionValues":{},"size":1660,"modificationTime":1,"dataChange":false,
               "deletionVector":{"storageType":"u","pathOrInlineDv":"x","offset":1,"sizeInBytes":54,"cardinality":11}}]}
            """;

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final AuditedFigures AGREEING = new AuditedFigures(2, 4, 6734, "d3b0cd3b", 3, 7, 4L);

    @Test
    void readsWhatSparkWritesAndSkipsItsFileList() throws IOException {
        VersionChecksum crc = ChecksumFile.parse(2, in(SPARK_CRC));

        assertThat(crc).isEqualTo(new VersionChecksum(2, 6734, 4, 1, 1, "d3b0cd3b", List.of("date"), 3, 7, null, 4L, 40L));
        assertThat(ChecksumComparison.compare(crc, AGREEING)).isEmpty();
    }

    @Test
    void eachFigureThatDisagreesIsNamedWithBothValues() throws IOException {
        VersionChecksum crc = ChecksumFile.parse(2, in(SPARK_CRC));

        assertThat(ChecksumComparison.compare(crc, new AuditedFigures(2, 5, 6700, "d3b0cd3b", 3, 7, 3L)))
                .containsExactly(new ChecksumMismatch("numFiles", "4", "5"),
                        new ChecksumMismatch("tableSizeBytes", "6734", "6700"),
                        new ChecksumMismatch("numDeletionVectorsOpt", "4", "3"));
        assertThat(ChecksumComparison.compare(crc, new AuditedFigures(2, 4, 6734, "d3b0cd3b", 3, 7, null)))
                .as("a reader that counts no deletion vectors is not compared on them").isEmpty();
        assertThatThrownBy(() -> ChecksumComparison.compare(crc, new AuditedFigures(3, 4, 6734, "d3b0cd3b", 3, 7, 4L)))
                .hasMessageContaining("checksum of version 2 compared with an audit of version 3");
    }

    @Test
    void truncatedNotJsonOrIncompleteFilesAreCorruptAndSayWhy() {
        assertThatThrownBy(() -> ChecksumFile.parse(2, in(SPARK_CRC.substring(0, 200))))
                .isInstanceOf(CorruptChecksumException.class)
                .hasMessageStartingWith("_delta_log/00000000000000000002.crc: not a usable checksum file: not valid JSON");
        assertThatThrownBy(() -> ChecksumFile.parse(2, in("")))
                .isInstanceOf(CorruptChecksumException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ChecksumFile.parse(2, in("[1,2]")))
                .isInstanceOf(CorruptChecksumException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ChecksumFile.parse(2, in(SPARK_CRC.replace("\"numFiles\":4,", ""))))
                .isInstanceOf(CorruptChecksumException.class).hasMessageContaining("required fields missing: [numFiles]");
        assertThatThrownBy(() -> ChecksumFile.parse(2, in(SPARK_CRC.replace("\"numFiles\":4", "\"numFiles\":\"4\""))))
                .isInstanceOf(CorruptChecksumException.class).hasMessageContaining("numFiles is not a whole number");
    }

    @Test
    void aCorruptOrUnreadableFileIsAVerdictNeverAThrow() {
        ChecksumCheck truncated = ChecksumVerifier.verify("/lake/t", AGREEING, () -> in(SPARK_CRC.substring(0, 100)));
        ChecksumCheck failing = ChecksumVerifier.verify("/lake/t", AGREEING, () -> {
            throw new IOException("connection reset");
        });

        assertThat(truncated.status()).isEqualTo(ChecksumCheck.UNREADABLE);
        assertThat(truncated.note()).contains("00000000000000000002.crc", "not valid JSON");
        assertThat(failing.status()).isEqualTo(ChecksumCheck.UNREADABLE);
        assertThat(failing.note()).contains("00000000000000000002.crc: cannot be read: connection reset");
        assertThat(ChecksumVerifier.verify("/lake/t", AGREEING, () -> in(SPARK_CRC)))
                .isEqualTo(new ChecksumCheck(2, ChecksumCheck.AGREES, List.of(), null));
    }

    @Test
    void aHistogramBoundsTheSmallFilesAndMustAddUp() throws IOException {
        String withHistogram = SPARK_CRC.replace("\"numMetadata\":1,", "\"numMetadata\":1,\"fileSizeHistogram\":"
                + "{\"sortedBinBoundaries\":[0,1024,4096],\"fileCounts\":[1,2,1],\"totalBytes\":[500,3000,3234]},");
        VersionChecksum crc = ChecksumFile.parse(2, in(withHistogram));

        assertThat(crc.histogram().files()).isEqualTo(4);
        assertThat(crc.histogram().filesBelow(4096)).containsExactly(3, 3);
        assertThat(crc.histogram().filesBelow(2000)).as("the [1024, 4096) bin straddles 2000").containsExactly(1, 3);
        assertThat(crc.histogram().filesBelow(1 << 30)).as("the open last bin").containsExactly(3, 4);
        assertThat(ChecksumComparison.compare(crc, AGREEING)).isEmpty();

        VersionChecksum inconsistent = ChecksumFile.parse(2, in(withHistogram.replace("[1,2,1]", "[1,2,2]")));
        assertThat(ChecksumComparison.compare(inconsistent, AGREEING))
                .containsExactly(new ChecksumMismatch("fileSizeHistogram.fileCounts", "5", "4"));
        assertThatThrownBy(() -> ChecksumFile.parse(2, in(withHistogram.replace("[0,1024,4096]", "[0,4096,1024]"))))
                .isInstanceOf(CorruptChecksumException.class).hasMessageContaining("not sorted");
    }
}
