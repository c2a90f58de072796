package io.deltaagent.jobs.table;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Lists a {@code _delta_log/} directory through the Hadoop FileSystem, so it works on local disks and s3a alike. */
public final class LogDirectory {
    private LogDirectory() {
    }

    /** Every file under {@code logPath}, sub-directories ({@code _sidecars/}, {@code _commits/}) included. */
    public static LogListing list(FileSystem fs, Path logPath) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        String root = fs.makeQualified(logPath).toUri().getPath();
        try {
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(logPath, true);
            while (files.hasNext()) {
                LocatedFileStatus status = files.next();
                String path = status.getPath().toUri().getPath();
                String relative = path.startsWith(root + "/") ? path.substring(root.length() + 1) : path;
                sizes.put(relative, status.getLen());
            }
        } catch (FileNotFoundException e) {
            return new LogListing(Map.of());
        }
        return new LogListing(sizes);
    }
}
