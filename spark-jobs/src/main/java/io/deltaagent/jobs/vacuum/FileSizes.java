package io.deltaagent.jobs.vacuum;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Sums the sizes of many files by listing each parent directory once (one LIST per partition instead of one
 * HEAD per file, which matters on object stores).
 */
public final class FileSizes {
    private FileSizes() {
    }

    /** Total bytes of the files in {@code paths} that still exist; missing files count as 0. */
    public static long total(Collection<String> paths, Configuration conf) throws IOException {
        Map<Path, Set<String>> byParent = new HashMap<>();
        for (String p : paths) {
            Path path = new Path(p);
            byParent.computeIfAbsent(path.getParent(), k -> new HashSet<>()).add(path.getName());
        }
        long total = 0;
        for (Map.Entry<Path, Set<String>> entry : byParent.entrySet()) {
            FileSystem fs = entry.getKey().getFileSystem(conf);
            FileStatus[] listing;
            try {
                listing = fs.listStatus(entry.getKey());
            } catch (FileNotFoundException e) {
                continue;
            }
            for (FileStatus status : listing) {
                if (status.isFile() && entry.getValue().contains(status.getPath().getName())) {
                    total += status.getLen();
                }
            }
        }
        return total;
    }
}
