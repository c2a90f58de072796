package io.deltaagent.deltalog.segment;

import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.storage.HadoopListing;
import io.deltaagent.deltalog.storage.ListedObject;
import io.deltaagent.deltalog.storage.LogStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects below {@code _delta_log}, in key order, optionally only those after a key (S3's start-after): what a
 * re-audit lists to find the commits since the last one, at one request per 1,000 keys past that key. The listing
 * itself is the audit's {@link LogStore}'s (counted on it); over Hadoop, {@link HadoopListing} says how each store
 * is listed.
 */
public final class LogObjects {

    /** One object: its key relative to {@code _delta_log/} (e.g. {@code 00000000000000000010.json}). */
    public record LogObject(String key, long length, long modified) {
    }

    private LogObjects() {
    }

    /**
     * The log's objects, listed through the audit's store (and counted on it).
     *
     * @param logDir      the {@code _delta_log} directory as the store names it (a full URI)
     * @param startAfter  list only keys after this one (relative to {@code logDir}); null for all
     * @param versionHint a version the log is known to reach (the checkpoint {@code _last_checkpoint} names), or -1:
     *                    on S3 a long log is then listed in ranges at once, each from its own start-after key, instead
     *                    of one page of 1,000 keys after another (ten sequential round trips for 10,000 commits)
     * @return the objects in key order; empty when the directory holds none or does not exist (object stores cannot tell)
     * @throws FileNotFoundException when a local directory does not exist
     */
    public static List<LogObject> list(LogStore store, String logDir, String startAfter, long versionHint) throws IOException {
        List<ListedObject> listed;
        try {
            listed = store.list(logDir, startAfter, versionHint);
        } catch (HadoopListing.DirectoryNamedLikeAFile e) {
            throw new CorruptLogException("_delta_log/" + e.name() + " is a directory, not a log file: the table's "
                    + "log is damaged at that version; restore the file from a backup or the writer's copy");
        }
        List<LogObject> out = new ArrayList<>(listed.size());
        listed.forEach(o -> out.add(of(o)));
        return out;
    }

    /** The object a store listed, as the readers keep it. */
    public static LogObject of(ListedObject o) {
        return new LogObject(o.key(), o.length(), o.modified());
    }

    /** Listings of one log at once, at most. */
    static final int MAX_RANGES = HadoopListing.MAX_RANGES;
}
