package io.deltaagent.deltalog.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.deltaagent.deltalog.storage.LogPaths;

/**
 * Log compaction files ({@code x.y.compacted.json}, PROTOCOL.md "Log Compaction Files"): the reconciled actions of
 * commits x to y in one file. A replay of the commits after a checkpoint may read one instead of the commits it covers
 * when all of them are in that replay; the result is the same, for one GET instead of y - x + 1.
 */
public final class LogCompactions {

    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.(\\d{20})\\.compacted\\.json");

    /** One compaction file, as a commit the replay reads: its {@code version} is the last one it covers. */
    public record Compaction(long start, CommitFile file) {
    }

    private LogCompactions() {
    }

    /** The compaction files among the listed objects (top level of {@code _delta_log} only). */
    /** @param logDir the {@code _delta_log} directory as the store names it (a full URI) */
    public static List<Compaction> in(String logDir, List<LogObjects.LogObject> objects) {
        List<Compaction> out = new ArrayList<>();
        for (LogObjects.LogObject o : objects) {
            Matcher m = NAME.matcher(o.key());
            if (m.matches()) {
                long start = Long.parseLong(m.group(1));
                long end = Long.parseLong(m.group(2));
                if (start <= end) {
                    out.add(new Compaction(start, new CommitFile(end, LogPaths.child(logDir, o.key()), o.length(),
                            o.modified())));
                }
            }
        }
        return out;
    }

    public static boolean isCompaction(CommitFile file) {
        return file.path().endsWith(".compacted.json");
    }

    /**
     * What to read for {@code commits} (contiguous, in version order): the commits, each run covered by a compaction
     * file replaced by it (the longest where several start at one version).
     */
    public static List<CommitFile> sources(List<CommitFile> commits, List<Compaction> compactions) {
        if (compactions.isEmpty() || commits.isEmpty()) {
            return commits;
        }
        long first = commits.get(0).version();
        long last = commits.get(commits.size() - 1).version();
        List<CommitFile> out = new ArrayList<>();
        int i = 0;
        while (i < commits.size()) {
            long v = commits.get(i).version();
            Compaction best = null;
            for (Compaction c : compactions) {
                if (c.start() == v && c.start() >= first && c.file().version() <= last && c.file().version() > v
                        && (best == null || c.file().version() > best.file().version())) {
                    best = c;
                }
            }
            if (best == null) {
                out.add(commits.get(i++));
            } else {
                out.add(best.file());
                i += (int) (best.file().version() - v + 1);
            }
        }
        return out;
    }
}
