package io.deltaagent.jobs.checkpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Completes Delta 3.3's metadata cleanup for log compaction files: PROTOCOL.md has cleanup delete every
 * {@code x.y.compacted.json} whose start version x is at or before the cutoff, where delta-spark 3.3 goes by the end
 * version y and keeps a file whose first commits it deleted. Run after Delta's cleanup: a compaction file starting
 * before the oldest commit left covers commits that are gone.
 */
final class CompactionCleanup {

    private static final Pattern COMPACTED = Pattern.compile("(\\d{20})\\.(\\d{20})\\.compacted\\.json");
    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");

    private CompactionCleanup() {
    }

    /** @return the names of the compaction files deleted */
    static List<String> run(FileSystem fs, Path logPath, Iterable<String> names) throws IOException {
        OptionalLong oldest = OptionalLong.empty();
        for (String name : names) {
            Matcher m = COMMIT.matcher(name);
            if (m.matches()) {
                long v = Long.parseLong(m.group(1));
                oldest = OptionalLong.of(oldest.isPresent() ? Math.min(oldest.getAsLong(), v) : v);
            }
        }
        List<String> deleted = new ArrayList<>();
        if (oldest.isEmpty()) {
            return deleted;
        }
        for (String name : names) {
            Matcher m = COMPACTED.matcher(name);
            if (m.matches() && Long.parseLong(m.group(1)) < oldest.getAsLong() && fs.delete(new Path(logPath, name), false)) {
                deleted.add(name);
            }
        }
        return deleted;
    }
}
