package io.deltaagent.bench;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What to generate. {@code commitsSinceCheckpoint} places the newest checkpoint that many commits before
 * the latest version (rounded down to the checkpoint interval); {@code checkpointsKept} is how many of the
 * newest checkpoints are written (a reader uses only the newest; older ones are omitted, see BENCHMARKS.md).
 */
record GeneratorSettings(Path out, int activeFiles, int latestVersion, int checkpointInterval,
                         int commitsSinceCheckpoint, int checkpointsKept, boolean partitioned, int compactEvery,
                         int compactWindow, boolean data, int rowsPerFile, long seed, Instant endTime,
                         Checksums checksums) {

    /** Which versions get a checksum file ({@code N.crc}): every one (as delta-spark writes them), the newest, none. */
    enum Checksums { ALL, NEWEST, NONE }

    GeneratorSettings {
        require(activeFiles >= 1, "--files must be at least 1, got " + activeFiles);
        require(latestVersion >= 1, "--versions must be at least 1, got " + latestVersion);
        require(checkpointInterval >= 1, "--checkpoint-interval must be at least 1, got " + checkpointInterval);
        require(commitsSinceCheckpoint >= 0 && commitsSinceCheckpoint <= latestVersion,
                "--commits-since-checkpoint must be within 0.." + latestVersion + ", got " + commitsSinceCheckpoint);
        require(checkpointsKept >= 0, "--checkpoints-kept must not be negative, got " + checkpointsKept);
        require(compactEvery >= 0, "--compact-every must not be negative, got " + compactEvery);
        require(!data || compactEvery == 0, "--data tables are written without compactions: add --compact-every 0");
        require(rowsPerFile >= 1, "--rows-per-file must be at least 1, got " + rowsPerFile);
        java.util.Objects.requireNonNull(checksums, "checksums");
    }

    /** The newest checkpoint's version, or -1 when none is written. */
    int lastCheckpointVersion() {
        int v = (latestVersion - commitsSinceCheckpoint) / checkpointInterval * checkpointInterval;
        return checkpointsKept == 0 || v <= 0 ? -1 : v;
    }

    boolean writesChecksumAt(int version) {
        return checksums == Checksums.ALL || (checksums == Checksums.NEWEST && version == latestVersion);
    }

    boolean writesCheckpointAt(int version) {
        int last = lastCheckpointVersion();
        return last > 0 && version > 0 && version <= last && (last - version) % checkpointInterval == 0
                && (last - version) / checkpointInterval < checkpointsKept;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
