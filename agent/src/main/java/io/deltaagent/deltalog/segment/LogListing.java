package io.deltaagent.deltalog.segment;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStore;

/**
 * One recursive listing of {@code _delta_log} (on S3 a flat LIST, a page per 1,000 keys): object count and
 * bytes, the commits in version order, the complete checkpoints, and the objects themselves in key order.
 */
public record LogListing(long objects, long bytes, List<CommitFile> commits, List<Checkpoint> checkpoints,
                         boolean hasLastCheckpointHint, List<LogObjects.LogObject> entries) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogListing.class);

    public static final String LAST_CHECKPOINT = "_last_checkpoint";
    /** Where a catalog-managed table's writers put commits before the catalog ratifies and publishes them. */
    public static final String STAGED_COMMITS = "_staged_commits/";

    public LogListing {
        commits = List.copyOf(commits);
        checkpoints = List.copyOf(checkpoints);
        entries = List.copyOf(entries);
    }

    /**
     * The log listed through the audit's store, counted on it.
     *
     * @param logDir      the {@code _delta_log} directory as the store names it (a full URI)
     * @param versionHint a version the log reaches (from {@code _last_checkpoint}), -1 when none: see {@link LogObjects}
     */
    public static LogListing list(LogStore store, String logDir, long versionHint)
            throws IOException {
        return of(logDir, LogObjects.list(store, logDir, null, versionHint));
    }

    /** The listing of these objects (all of {@code _delta_log}, or those after a key). */
    static LogListing of(String logDir, List<LogObjects.LogObject> listed) {
        long objects = 0;
        long bytes = 0;
        boolean hint = false;
        List<CommitFile> commits = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        Map<Long, Map<String, PartGroup>> checkpointParts = new TreeMap<>();
        for (LogObjects.LogObject o : listed) {
            objects++;
            bytes += o.length();
            String name = o.key();
            if (name.indexOf('/') >= 0) {
                continue; // _sidecars/, _commits/, _staged_commits/: counted, not classified
            }
            if (name.equals(LAST_CHECKPOINT)) {
                hint = true;
                continue;
            }
            Optional<LogFile> parsed = LogFile.parse(name);
            if (parsed.isEmpty()) {
                if (!name.startsWith(".") && !name.startsWith("_") && unexpected.size() < 5) {
                    unexpected.add(name);
                }
                continue;
            }
            LogFile file = parsed.get();
            String path = LogPaths.child(logDir, name);
            if (file.type() == LogFile.Type.COMMIT) {
                commits.add(new CommitFile(file.version(), path, o.length(), o.modified()));
            } else if (file.isCheckpoint()) {
                // multi-part checkpoints of one version may exist in several sizes (a retried writer); group by part count
                String group = file.type() == LogFile.Type.CHECKPOINT_MULTIPART ? "multi-" + file.parts() : file.name();
                checkpointParts.computeIfAbsent(file.version(), v -> new TreeMap<>())
                        .computeIfAbsent(group, g -> new PartGroup(file.type(), file.parts()))
                        .add(file.part(), path, o.length(), o.modified());
            }
        }
        if (!unexpected.isEmpty()) {
            LOG.warn("{}: _delta_log holds files the Delta protocol does not name, left alone: {}", logDir, unexpected);
        }
        commits.sort(Comparator.comparingLong(CommitFile::version));
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (Map.Entry<Long, Map<String, PartGroup>> e : checkpointParts.entrySet()) {
            e.getValue().values().stream()
                    .filter(PartGroup::complete)
                    // prefer a classic single-file checkpoint, then the one with fewest parts
                    .min(Comparator.comparingInt((PartGroup g) -> g.expectedParts))
                    .ifPresent(g -> checkpoints.add(g.toCheckpoint(e.getKey())));
        }
        return new LogListing(objects, bytes, commits, checkpoints, hint, listed);
    }

    /** Log compaction files ({@code x.y.compacted.json}) among these objects. */
    public static long compactionFiles(List<LogObjects.LogObject> objects) {
        return objects.stream().filter(o -> o.key().endsWith(".compacted.json") && o.key().indexOf('/') < 0
                && LogFile.parse(o.key()).map(f -> f.type() == LogFile.Type.COMPACTED_COMMITS).orElse(false)).count();
    }

    /** Staged commits ({@code _staged_commits/<v>.<uuid>.json}) among these objects. */
    public static long stagedCommitFiles(List<LogObjects.LogObject> objects) {
        return objects.stream().filter(o -> o.key().startsWith(STAGED_COMMITS) && o.key().endsWith(".json")).count();
    }

    /** The newest complete checkpoint at or below {@code version}. */
    public Optional<Checkpoint> latestCheckpointAtOrBelow(long version) {
        Checkpoint best = null;
        for (Checkpoint c : checkpoints) {
            if (c.version() <= version) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    public Optional<Checkpoint> checkpointAt(long version) {
        return checkpoints.stream().filter(c -> c.version() == version).findFirst();
    }

    public long latestCommitVersion() {
        return commits.isEmpty() ? -1 : commits.get(commits.size() - 1).version();
    }

    private static final class PartGroup {
        private final LogFile.Type type;
        private final int expectedParts;
        private final TreeMap<Integer, String> paths = new TreeMap<>();
        private long bytes;
        private long modified;

        PartGroup(LogFile.Type type, int expectedParts) {
            this.type = type;
            this.expectedParts = expectedParts;
        }

        void add(int part, String path, long len, long mtime) {
            paths.put(part, path);
            bytes += len;
            modified = Math.max(modified, mtime);
        }

        boolean complete() {
            return paths.size() == expectedParts;
        }

        Checkpoint toCheckpoint(long version) {
            return new Checkpoint(version, type, new ArrayList<>(paths.values()), bytes, Instant.ofEpochMilli(modified));
        }
    }
}
