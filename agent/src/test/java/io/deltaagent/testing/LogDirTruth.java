package io.deltaagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What {@code _delta_log} holds, counted straight from the local file system: the ground truth of log figures. */
public record LogDirTruth(long objects, long bytes, List<String> checkpointFiles, long commits) {

    public static LogDirTruth of(Path table) {
        Path log = table.resolve("_delta_log");
        try (Stream<Path> walk = Files.walk(log)) {
            // Hadoop's local FileSystem keeps a hidden .NAME.crc beside each file it writes; it is no object
            // of the table (object stores have none) and Hadoop hides it from listings
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(p -> !(p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".crc")))
                    .toList();
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            List<String> checkpoints = files.stream().map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".checkpoint.")).sorted().toList();
            long commits = files.stream().map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json")).count();
            return new LogDirTruth(files.size(), bytes, checkpoints, commits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long checkpointBytes(long version) {
        String prefix = String.format("%020d.checkpoint", version);
        return checkpointFiles.stream().filter(n -> n.startsWith(prefix)).count();
    }
}
