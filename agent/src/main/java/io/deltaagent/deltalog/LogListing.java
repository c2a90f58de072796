package io.deltaagent.deltalog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * One recursive listing of {@code _delta_log} (on S3 a flat LIST, a page per 1,000 keys): object count and
 * bytes, the commits in version order, and the complete checkpoints.
 */
public record LogListing(long objects, long bytes, List<CommitFile> commits, List<Checkpoint> checkpoints,
                         boolean hasLastCheckpointHint) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogListing.class);

    public static final String LAST_CHECKPOINT = "_last_checkpoint";

    public LogListing {
        commits = List.copyOf(commits);
        checkpoints = List.copyOf(checkpoints);
    }

    public static LogListing list(FileSystem fs, Path logDir) throws IOException {
        long objects = 0;
        long bytes = 0;
        boolean hint = false;
        List<CommitFile> commits = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        Map<Long, Map<String, PartGroup>> checkpointParts = new TreeMap<>();
        RemoteIterator<? extends FileStatus> it = files(fs, logDir);
        while (it.hasNext()) {
            FileStatus status = it.next();
            objects++;
            bytes += status.getLen();
            String name = status.getPath().getName();
            boolean topLevel = logDir.equals(status.getPath().getParent())
                    || status.getPath().getParent().toUri().getPath().equals(logDir.toUri().getPath());
            if (!topLevel) {
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
            String path = status.getPath().toString();
            if (file.type() == LogFile.Type.COMMIT) {
                commits.add(new CommitFile(file.version(), path, status.getLen(), status.getModificationTime()));
            } else if (file.isCheckpoint()) {
                // multi-part checkpoints of one version may exist in several sizes (a retried writer); group by part count
                String group = file.type() == LogFile.Type.CHECKPOINT_MULTIPART ? "multi-" + file.parts() : file.name();
                checkpointParts.computeIfAbsent(file.version(), v -> new TreeMap<>())
                        .computeIfAbsent(group, g -> new PartGroup(file.type(), file.parts()))
                        .add(file.part(), path, status.getLen(), status.getModificationTime());
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
        return new LogListing(objects, bytes, commits, checkpoints, hint);
    }

    /**
     * Every file below {@code dir}. Object stores: one flat recursive listing. The local file system: a walk with
     * java.nio, one stat per file; Hadoop's recursive listing asks each file's permissions, which without the native
     * library forks a {@code stat} process per file, and even its plain listing stats each file three times.
     */
    private static RemoteIterator<? extends FileStatus> files(FileSystem fs, Path dir) throws IOException {
        if (!"file".equals(fs.getScheme())) {
            return fs.listFiles(dir, true);
        }
        Path qualified = fs.makeQualified(dir);
        // Hadoop's local file system keeps a hidden .NAME.crc beside each file it writes and hides it from listings
        boolean hideChecksums = fs instanceof ChecksumFileSystem;
        java.nio.file.Path root = java.nio.file.Paths.get(qualified.toUri());
        List<FileStatus> out = new ArrayList<>();
        Deque<java.nio.file.Path> dirs = new ArrayDeque<>(List.of(root));
        Deque<Path> parents = new ArrayDeque<>(List.of(qualified));
        while (!dirs.isEmpty()) {
            java.nio.file.Path current = dirs.pop();
            Path parent = parents.pop();
            try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(current)) {
                for (java.nio.file.Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (hideChecksums && name.startsWith(".") && name.endsWith(".crc")) {
                        continue;
                    }
                    BasicFileAttributes attrs;
                    try {
                        attrs = Files.readAttributes(entry, BasicFileAttributes.class);
                    } catch (NoSuchFileException gone) {
                        continue; // deleted since the directory was read (log cleanup): as if listed a moment later
                    }
                    if (attrs.isDirectory()) {
                        if (current.equals(root) && LogFile.parse(name).isPresent()) {
                            // skipping it would silently drop a version from the table
                            throw new CorruptLogException("_delta_log/" + name + " is a directory, not a log file: the table's "
                                    + "log is damaged at that version; restore the file from a backup or the writer's copy");
                        }
                        dirs.push(entry);
                        parents.push(new Path(parent, name));
                    } else {
                        out.add(new FileStatus(attrs.size(), false, 1, 0, attrs.lastModifiedTime().toMillis(),
                                new Path(parent, name)));
                    }
                }
            } catch (NoSuchFileException e) {
                throw new java.io.FileNotFoundException(e.getMessage());
            }
        }
        Iterator<FileStatus> iterator = out.iterator();
        return new RemoteIterator<>() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public FileStatus next() {
                return iterator.next();
            }
        };
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
