package io.deltaagent.deltalog;

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
final class LogObjects {

    /** One object: its key relative to {@code _delta_log/} (e.g. {@code 00000000000000000010.json}). */
    record LogObject(String key, long length, long modified) {
    }

    private LogObjects() {
    }

    /**
     * @param startAfter list only keys after this one (relative to {@code logDir}); null for all
     * @return the objects in key order; empty when the directory holds none or does not exist (object stores cannot tell)
     * @throws FileNotFoundException when a local directory does not exist
     */
    static List<LogObject> list(FileSystem fs, Path logDir, String startAfter) throws IOException {
        List<LogObject> out;
        if (fs instanceof S3AFileSystem s3a) {
            out = listS3(s3a, logDir, startAfter);
        } else if ("file".equals(fs.getScheme())) {
            out = listLocal(fs, logDir, startAfter);
        } else {
            out = listHadoop(fs, logDir, startAfter);
        }
        out.sort(Comparator.comparing(LogObject::key));
        return out;
    }

    private static List<LogObject> listS3(S3AFileSystem fs, Path logDir, String startAfter) throws IOException {
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
                for (S3Object o : page.contents()) {
                    String key = o.key().substring(prefix.length());
                    if (!key.isEmpty() && !key.endsWith("/")) { // directory markers are not objects of the log
                        out.add(new LogObject(key, o.size(), o.lastModified().toEpochMilli()));
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
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
                    // a directory's keys all start with its name plus '/': skip it when all of them sort before startAfter
                    if (startAfter != null && key.compareTo(startAfter) <= 0 && !startAfter.startsWith(key + "/")) {
                        if (prefix.isEmpty() && LogFile.parse(name).isPresent()) {
                            continue; // a log file before the start: not even a stat
                        }
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
