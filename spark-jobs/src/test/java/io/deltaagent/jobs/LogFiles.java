package io.deltaagent.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test-side looks at and edits of a local table's files. */
public final class LogFiles {
    private LogFiles() {
    }

    public static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String commit(long version) {
        return String.format("%020d.json", version);
    }

    public static String checkpoint(long version) {
        return String.format("%020d.checkpoint.parquet", version);
    }

    /** Moves the modification time of every file under {@code dir} (recursively) {@code ageMillis} into the past. */
    public static void age(Path dir, long ageMillis) {
        long when = System.currentTimeMillis() - ageMillis;
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                if (!p.toFile().setLastModified(when)) {
                    throw new IllegalStateException("cannot set the modification time of " + p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
