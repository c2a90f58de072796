package io.deltaagent.jobs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing through the Hadoop FileSystem (the local one here; s3a goes through the same calls). */
class ResultFileWriterTest {
    @TempDir
    Path tmp;

    private final ResultFileWriter writer = new ResultFileWriter(new Configuration());

    @Test
    void writesReplacesAndLeavesNoTemporaryFiles() throws Exception {
        Path target = tmp.resolve("runs/2026/result.json");

        writer.write(target.toString(), "{\"a\":1}");
        writer.write("file://" + target, "{\"a\":2}");

        assertThat(Files.readString(target)).isEqualTo("{\"a\":2}\n");
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")))
                    .containsExactly("result.json");
        }
    }

    @Test
    void failsWhenTheDirectoryCannotBeMade() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");

        assertThatThrownBy(() -> writer.write(file.resolve("result.json").toString(), "{}"))
                .isInstanceOf(IOException.class);
    }
}
