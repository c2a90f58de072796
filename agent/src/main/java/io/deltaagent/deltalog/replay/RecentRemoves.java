package io.deltaagent.deltalog.replay;

import java.util.HashMap;
import java.util.Map;

/**
 * The files the commits after the checkpoint removed and did not add again, by {@link FileKeys key hash}: all a
 * re-audit needs of those commits to count tombstones, kept without the files' paths or partition values (a daemon
 * keeps one per table between cycles).
 */
public final class RecentRemoves {

    private final Map<Long, RecentFiles.Removed> byKey = new HashMap<>();

    /** A later commit added the file with this key again: it is no tombstone (any more). */
    public void added(long key) {
        byKey.remove(key);
    }

    /** A commit removed the file with this key; a later remove of the same key replaces it. */
    public void removed(long key, long size, Long deletionTimestamp) {
        byKey.put(key, new RecentFiles.Removed(size, deletionTimestamp));
    }

    public Iterable<RecentFiles.Removed> all() {
        return byKey.values();
    }

    /** Roughly the heap held: a map entry, a boxed key and a record per remove. */
    public long bytes() {
        return byKey.size() * 96L;
    }
}
