package io.deltaagent.deltalog.segment;

import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.storage.RequestCounters;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.fs.s3a.S3AUtils;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The objects below {@code _delta_log}, in key order, optionally only those after a key (S3's start-after): what a
 * re-audit lists to find the commits since the last one, at one request per 1,000 keys past that key.
 *
 * <ul>
 *   <li>S3A: ListObjectsV2 through S3A's own client (its credentials, endpoint and retry settings), flat, with
 *       StartAfter; S3A's FileSystem API has no start-after and probes with HEAD requests first.</li>
 *   <li>The local file system: a walk with java.nio, one stat per file kept; Hadoop's recursive listing asks each
 *       file's permissions, which without the native library forks a {@code stat} process per file.</li>
 *   <li>Other stores: Hadoop's recursive listing, filtered.</li>
 * </ul>
 */
public final class LogObjects {

    /** One object: its key relative to {@code _delta_log/} (e.g. {@code 00000000000000000010.json}). */
    public record LogObject(String key, long length, long modified) {
    }

    private LogObjects() {
    }

    /**
     * @param startAfter list only keys after this one (relative to {@code logDir}); null for all
     * @return the objects in key order; empty when the directory holds none or does not exist (object stores cannot tell)
     * @throws FileNotFoundException when a local directory does not exist
     */
    public static List<LogObject> list(FileSystem fs, Path logDir, String startAfter) throws IOException {
        return list(fs, logDir, startAfter, -1, null);
    }

    /** As {@link #list(FileSystem, Path, String, long, java.util.concurrent.ExecutorService)}, on threads of its own. */
    public static List<LogObject> list(FileSystem fs, Path logDir, String startAfter, long versionHint) throws IOException {
        java.util.concurrent.ExecutorService once = java.util.concurrent.Executors.newFixedThreadPool(MAX_RANGES);
        try {
            return list(fs, logDir, startAfter, versionHint, once);
        } finally {
            once.shutdownNow();
        }
    }

    /** As {@link #listS3InRanges(S3AFileSystem, Path, long, int, java.util.concurrent.ExecutorService)}, on threads of its own. */
    public static List<LogObject> listS3InRanges(S3AFileSystem fs, Path logDir, long versionHint, int ranges) throws IOException {
        java.util.concurrent.ExecutorService once = java.util.concurrent.Executors.newFixedThreadPool(ranges);
        try {
            return listS3InRanges(fs, logDir, versionHint, ranges, once);
        } finally {
            once.shutdownNow();
        }
    }

    /**
     * @param versionHint a version the log is known to reach (the checkpoint {@code _last_checkpoint} names), or -1:
     *                    on S3 a long log is then listed in ranges at once, each from its own start-after key, instead
     *                    of one page of 1,000 keys after another (ten sequential round trips for 10,000 commits)
     * @param executor where the ranges are listed at once (the audit's store's); null: not in ranges
     */
    static List<LogObject> list(FileSystem fs, Path logDir, String startAfter, long versionHint,
                                java.util.concurrent.ExecutorService executor) throws IOException {
        List<LogObject> out;
        if (fs instanceof S3AFileSystem s3a && startAfter == null && versionHint >= 2 * PAGE && executor != null) {
            out = listS3InRanges(s3a, logDir, versionHint, (int) Math.min(MAX_RANGES, versionHint / PAGE + 1), executor);
        } else if (fs instanceof S3AFileSystem s3a) {
            out = listS3(s3a, logDir, startAfter);
        } else if ("file".equals(fs.getScheme())) {
            out = listLocal(fs, logDir, startAfter);
        } else {
            out = listHadoop(fs, logDir, startAfter);
        }
        out.sort(Comparator.comparing(LogObject::key));
        return out;
    }

    /**
     * The whole small object, or empty when it does not exist: one GET through S3A's client, where opening it through
     * S3A asks with a HEAD first.
     */
    static java.util.Optional<byte[]> getS3(S3AFileSystem fs, Path file) throws IOException {
        S3Client client = fs.getS3AInternals().getAmazonS3Client("delta-agent small log object read");
        RequestCounters.countDirectGet(fs);
        try {
            return java.util.Optional.of(client.getObjectAsBytes(software.amazon.awssdk.services.s3.model.GetObjectRequest
                    .builder().bucket(fs.getBucket()).key(fs.pathToKey(file)).build()).asByteArray());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return java.util.Optional.empty();
        } catch (SdkException e) {
            throw S3AUtils.translateException("get", file, e);
        }
    }

    /** Keys in one LIST page. */
    private static final int PAGE = 1000;
    /** Listings of one log at once, at most. */
    static final int MAX_RANGES = 8;

    /**
     * Lists the log in {@code ranges} parts at once: versions split evenly below {@code versionHint}, each part from
     * the first key of its versions to the first key of the next part's (the last one to the end). The same objects
     * as one listing, in key order, for a few more requests than pages.
     */
    static List<LogObject> listS3InRanges(S3AFileSystem fs, Path logDir, long versionHint, int ranges,
                                          java.util.concurrent.ExecutorService executor) throws IOException {
        List<java.util.concurrent.Future<List<LogObject>>> parts = new ArrayList<>();
        for (int i = 0; i < ranges; i++) {
            String from = i == 0 ? null : String.format("%020d", versionHint * i / ranges);
            String until = i == ranges - 1 ? null : String.format("%020d", versionHint * (i + 1) / ranges);
            parts.add(executor.submit(() -> listS3(fs, logDir, from, until)));
        }
        List<LogObject> out = new ArrayList<>();
        try {
            for (java.util.concurrent.Future<List<LogObject>> part : parts) {
                out.addAll(CommitFetcher.await(part));
            }
        } catch (IOException | RuntimeException e) {
            parts.forEach(p -> p.cancel(true));
            throw e;
        }
        return out;
    }

    private static List<LogObject> listS3(S3AFileSystem fs, Path logDir, String startAfter) throws IOException {
        return listS3(fs, logDir, startAfter, null);
    }

    /** @param until stop at the first key at or after this one (null: list to the end) */
    private static List<LogObject> listS3(S3AFileSystem fs, Path logDir, String startAfter, String until)
            throws IOException {
        String prefix = fs.pathToKey(logDir) + "/";
        S3Client client = fs.getS3AInternals().getAmazonS3Client("delta-agent log listing with start-after");
        List<LogObject> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(fs.getBucket()).prefix(prefix);
                if (token != null) {
                    request.continuationToken(token);
                } else if (startAfter != null) {
                    request.startAfter(prefix + startAfter);
                }
                RequestCounters.countDirectList(fs);
                ListObjectsV2Response page = client.listObjectsV2(request.build());
                boolean reachedEnd = false;
                for (S3Object o : page.contents()) {
                    String key = o.key().substring(prefix.length());
                    if (until != null && key.compareTo(until) >= 0) {
                        reachedEnd = true; // the next range's
                        break;
                    }
                    if (!key.isEmpty() && !key.endsWith("/")) { // directory markers are not objects of the log
                        out.add(new LogObject(key, o.size(), o.lastModified().toEpochMilli()));
                    }
                }
                token = !reachedEnd && Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw S3AUtils.translateException("list", logDir, e);
        }
        return out;
    }

    private static List<LogObject> listHadoop(FileSystem fs, Path logDir, String startAfter) throws IOException {
        String root = fs.makeQualified(logDir).toUri().getPath();
        List<LogObject> out = new ArrayList<>();
        RemoteIterator<? extends FileStatus> it = fs.listFiles(logDir, true);
        while (it.hasNext()) {
            FileStatus status = it.next();
            String key = status.getPath().toUri().getPath().substring(root.length() + 1);
            if (startAfter == null || key.compareTo(startAfter) > 0) {
                out.add(new LogObject(key, status.getLen(), status.getModificationTime()));
            }
        }
        return out;
    }

    private static List<LogObject> listLocal(FileSystem fs, Path logDir, String startAfter) throws IOException {
        // Hadoop's local file system keeps a hidden .NAME.crc beside each file it writes and hides it from listings
        boolean hideChecksums = fs instanceof ChecksumFileSystem;
        java.nio.file.Path root = java.nio.file.Paths.get(fs.makeQualified(logDir).toUri());
        List<LogObject> out = new ArrayList<>();
        Deque<java.nio.file.Path> dirs = new ArrayDeque<>(List.of(root));
        Deque<String> prefixes = new ArrayDeque<>(List.of(""));
        while (!dirs.isEmpty()) {
            java.nio.file.Path current = dirs.pop();
            String prefix = prefixes.pop();
            try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(current)) {
                for (java.nio.file.Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (hideChecksums && name.startsWith(".") && name.endsWith(".crc")) {
                        continue;
                    }
                    String key = prefix + name;
                    if (startAfter != null && prefix.isEmpty() && key.compareTo(startAfter) <= 0
                            && LogFile.parse(name).isPresent()) {
                        continue; // a log file before the start: not even a stat
                    }
                    BasicFileAttributes attrs;
                    try {
                        attrs = Files.readAttributes(entry, BasicFileAttributes.class);
                    } catch (NoSuchFileException gone) {
                        continue; // deleted since the directory was read (log cleanup): as if listed a moment later
                    }
                    if (attrs.isDirectory()) {
                        if (prefix.isEmpty() && LogFile.parse(name).isPresent()) {
                            // skipping it would silently drop a version from the table
                            throw new CorruptLogException("_delta_log/" + name + " is a directory, not a log file: the table's "
                                    + "log is damaged at that version; restore the file from a backup or the writer's copy");
                        }
                        dirs.push(entry);
                        prefixes.push(key + "/");
                    } else if (startAfter == null || key.compareTo(startAfter) > 0) {
                        out.add(new LogObject(key, attrs.size(), attrs.lastModifiedTime().toMillis()));
                    }
                }
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException(e.getMessage());
            }
        }
        return out;
    }
}
