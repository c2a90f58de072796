package io.deltaagent.deltalog.segment;

import java.time.Instant;
import java.util.List;

/**
 * A complete checkpoint found in the listing: every part present.
 *
 * @param files paths of its part files (or the single top-level file of a v2 checkpoint), part order
 */
public record Checkpoint(long version, LogFile.Type type, List<String> files, long bytes, Instant modified) {
    public Checkpoint {
        files = List.copyOf(files);
    }

    public int parts() {
        return files.size();
    }
}
