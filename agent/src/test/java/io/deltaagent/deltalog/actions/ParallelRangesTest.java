package io.deltaagent.deltalog.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.testing.Fixtures;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The add pass over a large part fetches its projected column chunks as ranges in parallel: it reads the same rows
 * as one stream does, in the same order, and a failed range fails the read naming the part. On the parts of a
 * Spark-written multi-part checkpoint, with pieces of 64 bytes so that each part is many ranges.
 */
class ParallelRangesTest {

    private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(4);

    @AfterAll
    static void stop() {
        EXECUTOR.shutdownNow();
    }

    private static List<File> parts() {
        File[] files = Fixtures.table("spark_multipart_checkpoint").resolve("_delta_log").toFile()
                .listFiles((dir, name) -> name.contains(".checkpoint.") && name.endsWith(".parquet"));
        Arrays.sort(files);
        return List.of(files);
    }

    private static List<String> rows(File part, ParallelRanges ranges) throws IOException {
        byte[] bytes = Files.readAllBytes(part.toPath());
        List<String> out = new ArrayList<>();
        CheckpointAddReader.read(() -> new InMemoryInputFile(bytes, part.getName()), ranges, part.getName(), true, true,
                Map.of(), (path, dv, size, values, mtime, card, dvBytes) -> out.add(path.toStringUsingUTF8() + " " + dv + " "
                        + size + " " + values + " " + mtime + " " + card + " " + dvBytes));
        return out;
    }

    private static byte[] range(File part, long offset, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(part, "r")) {
            byte[] b = new byte[length];
            f.seek(offset);
            f.readFully(b);
            return b;
        }
    }

    @Test
    void rangesReadInParallelGiveTheSameRowsInTheSameOrder() throws IOException {
        for (File part : parts()) {
            AtomicInteger requests = new AtomicInteger();
            ParallelRanges ranges = new ParallelRanges((offset, length) -> {
                requests.incrementAndGet();
                return range(part, offset, length);
            }, EXECUTOR, 64);
            List<String> expected = rows(part, null);
            assertThat(expected).isNotEmpty();
            assertThat(rows(part, ranges)).isEqualTo(expected);
            assertThat(requests.get()).as(part.getName() + ": its add chunks in 64-byte ranges").isGreaterThan(1);
        }
    }

    @Test
    void aFailedRangeFailsTheReadNamingThePart() {
        File part = parts().get(0);
        ParallelRanges ranges = new ParallelRanges((offset, length) -> {
            throw new IOException("503 Slow Down");
        }, EXECUTOR, 64);
        assertThatThrownBy(() -> rows(part, ranges))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("cannot read checkpoint " + part.getName())
                .hasMessageContaining("503 Slow Down");
    }
}
