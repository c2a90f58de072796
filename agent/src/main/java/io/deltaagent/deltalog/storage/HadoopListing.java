package io.deltaagent.deltalog.storage;

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
 * Lists the objects below a log directory over a Hadoop FileSystem, in key order, optionally only those after a key
 * (S3's start-after): what {@link HadoopLogStore#list} does.
 *
 * <ul>
 *   <li>S3A: ListObjectsV2 through S3A's own client (its credentials, endpoint and retry settings), flat, with
 *       StartAfter; S3A's FileSystem API has no start-after and probes with HEAD requests first. A long log whose
 *       version is known is listed in ranges at once.</li>
 *   <li>The local file system: a walk with java.nio, one stat per file kept; Hadoop's recursive listing asks each
 *       file's permissions, which without the native library forks a {@code stat} process per file.</li>
 *   <li>Other stores: Hadoop's recursive listing, filtered.</li>
 * </ul>
 */
public final class HadoopListing {

    /** A log file's name starts with its 20-digit version and a dot. */
    private static final java.util.regex.Pattern LOG_FILE = java.util.regex.Pattern.compile("\\d{20}\\.");

    private HadoopListing() {
    }

    /** A directory where the log has a version's file: the log is damaged there, and no listing may hide it. */
    public static final class DirectoryNamedLikeAFile extends IOException {
        private final String name;

        DirectoryNamedLikeAFile(String name) {
            super(name + " is a directory, not a log file");
            this.name = name;
        }

        /** Its name, relative to the listed directory. */
        public String name() {
            return name;
        }
    }

    /**
     * @param versionHint a version the log is known to reach, or -1: on S3 a long log is then listed in ranges at once
     * @param executor    where the ranges are listed at once; null: not in ranges
     * @param counters    where the listing requests are counted; null: nowhere
     * @throws FileNotFoundException when a local directory does not exist
     */
    static List<ListedObject> list(FileSystem fs, Path logDir, String startAfter, long versionHint,
                                   java.util.concurrent.ExecutorService executor, ReadCounters counters) throws IOException {
        List<ListedObject> out;
        if (fs instanceof S3AFileSystem s3a && startAfter == null && versionHint >= 2 * PAGE && executor != null) {
            out = listS3InRanges(s3a, logDir, versionHint, (int) Math.min(MAX_RANGES, versionHint / PAGE + 1), executor,
                    counters);
        } else if (fs instanceof S3AFileSystem s3a) {
            out = listS3(s3a, logDir, startAfter, null, counters);
        } else if ("file".equals(fs.getScheme())) {
            out = listLocal(fs, logDir, startAfter, counters);
        } else {
            out = listHadoop(fs, logDir, startAfter, counters);
        }
        out.sort(Comparator.comparing(ListedObject::key));
        return out;
    }

    /** Keys in one LIST page. */
    private static final int PAGE = 1000;
    /** Listings of one log at once, at most. */
    public static final int MAX_RANGES = 8;

    /**
     * Lists the log in {@code ranges} parts at once: versions split evenly below {@code versionHint}, each part from
     * the first key of its versions to the first key of the next part's (the last one to the end). The same objects
     * as one listing, in key order, for a few more requests than pages.
     */
    public static List<ListedObject> listS3InRanges(S3AFileSystem fs, Path logDir, long versionHint, int ranges,
                                                 java.util.concurrent.ExecutorService executor, ReadCounters counters)
            throws IOException {
        List<java.util.concurrent.Future<List<ListedObject>>> parts = new ArrayList<>();
        for (int i = 0; i < ranges; i++) {
            String from = i == 0 ? null : String.format("%020d", versionHint * i / ranges);
            String until = i == ranges - 1 ? null : String.format("%020d", versionHint * (i + 1) / ranges);
            parts.add(executor.submit(() -> listS3(fs, logDir, from, until, counters)));
        }
        List<ListedObject> out = new ArrayList<>();
        try {
            for (java.util.concurrent.Future<List<ListedObject>> part : parts) {
                out.addAll(ReadExecutor.await(part, "listing the log"));
            }
        } catch (IOException | RuntimeException e) {
            parts.forEach(p -> p.cancel(true));
            throw e;
        }
        return out;
    }


    /** @param until stop at the first key at or after this one (null: list to the end) */
    private static List<ListedObject> listS3(S3AFileSystem fs, Path logDir, String startAfter, String until,
                                            ReadCounters counters) throws IOException {
        String prefix = fs.pathToKey(logDir) + "/";
        S3Client client = fs.getS3AInternals().getAmazonS3Client("delta-agent log listing with start-after");
        List<ListedObject> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(fs.getBucket()).prefix(prefix);
                if (token != null) {
                    request.continuationToken(token);
                } else if (startAfter != null) {
                    request.startAfter(prefix + startAfter);
                }
                if (counters != null) {
                    counters.listed();
                }
                ListObjectsV2Response page = client.listObjectsV2(request.build());
                boolean reachedEnd = false;
                for (S3Object o : page.contents()) {
                    String key = o.key().substring(prefix.length());
                    if (until != null && key.compareTo(until) >= 0) {
                        reachedEnd = true; // the next range's
                        break;
                    }
                    if (!key.isEmpty() && !key.endsWith("/")) { // directory markers are not objects of the log
                        out.add(new ListedObject(key, o.size(), o.lastModified().toEpochMilli()));
                    }
                }
                token = !reachedEnd && Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw S3AUtils.translateException("list", logDir, e);
        }
        return out;
    }

    private static List<ListedObject> listHadoop(FileSystem fs, Path logDir, String startAfter, ReadCounters counters)
            throws IOException {
        if (counters != null) {
            counters.listed();
        }
        String root = fs.makeQualified(logDir).toUri().getPath();
        List<ListedObject> out = new ArrayList<>();
        RemoteIterator<? extends FileStatus> it = fs.listFiles(logDir, true);
        while (it.hasNext()) {
            FileStatus status = it.next();
            String key = status.getPath().toUri().getPath().substring(root.length() + 1);
            if (startAfter == null || key.compareTo(startAfter) > 0) {
                out.add(new ListedObject(key, status.getLen(), status.getModificationTime()));
            }
        }
        return out;
    }

    private static List<ListedObject> listLocal(FileSystem fs, Path logDir, String startAfter, ReadCounters counters)
            throws IOException {
        if (counters != null) {
            counters.listed();
        }
        // Hadoop's local file system keeps a hidden .NAME.crc beside each file it writes and hides it from listings
        boolean hideChecksums = fs instanceof ChecksumFileSystem;
        java.nio.file.Path root = java.nio.file.Paths.get(fs.makeQualified(logDir).toUri());
        List<ListedObject> out = new ArrayList<>();
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
                            && LOG_FILE.matcher(name).lookingAt()) {
                        continue; // a log file before the start: not even a stat
                    }
                    BasicFileAttributes attrs;
                    try {
                        attrs = Files.readAttributes(entry, BasicFileAttributes.class);
                    } catch (NoSuchFileException gone) {
                        continue; // deleted since the directory was read (log cleanup): as if listed a moment later
                    }
                    if (attrs.isDirectory()) {
                        if (prefix.isEmpty() && LOG_FILE.matcher(name).lookingAt()) {
                            throw new DirectoryNamedLikeAFile(name); // skipping it would silently drop a version
                        }
                        dirs.push(entry);
                        prefixes.push(key + "/");
                    } else if (startAfter == null || key.compareTo(startAfter) > 0) {
                        out.add(new ListedObject(key, attrs.size(), attrs.lastModifiedTime().toMillis()));
                    }
                }
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException(e.getMessage());
            }
        }
        return out;
    }
}
