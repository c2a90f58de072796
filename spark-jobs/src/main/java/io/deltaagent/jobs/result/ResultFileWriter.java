package io.deltaagent.jobs.result;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes the result document to a URI through the Hadoop FileSystem (local paths, {@code file:}, {@code hdfs:},
 * {@code s3a:}, ...). Readers never see a partial document: on object stores a single PUT becomes visible
 * only when complete; elsewhere the bytes go to a hidden temporary file in the same directory that is then
 * renamed over the target (atomically on local disks; on HDFS, which will not rename over a file, the old
 * result is deleted first).
 */
public final class ResultFileWriter {
    /** Schemes whose create() is an atomic single-object PUT, where rename would be a copy. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn");

    private final Configuration hadoopConf;

    public ResultFileWriter(Configuration hadoopConf) {
        this.hadoopConf = requireNonNull(hadoopConf, "hadoopConf");
    }

    public void write(String uri, String json) throws IOException {
        Path target = new Path(uri);
        FileSystem fs = target.getFileSystem(hadoopConf);
        byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        String scheme = fs.getUri().getScheme() == null ? "" : fs.getUri().getScheme().toLowerCase(Locale.ROOT);
        if (OBJECT_STORES.contains(scheme)) {
            try (OutputStream out = fs.create(target, true)) {
                out.write(bytes);
            }
            return;
        }
        Path parent = target.getParent();
        if (parent != null && !fs.exists(parent) && !fs.mkdirs(parent)) {
            throw new IOException(uri + ": cannot create the result directory " + parent);
        }
        Path temp = new Path(parent, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = fs.create(temp, false)) {
                out.write(bytes);
            }
            // Local rename replaces the target atomically; HDFS refuses to rename over an existing file, so
            // there (only) the old result is deleted first.
            if (!fs.rename(temp, target)) {
                if (!fs.exists(target) || !fs.delete(target, false) || !fs.rename(temp, target)) {
                    throw new IOException(uri + ": cannot rename " + temp + " to the result file");
                }
            }
        } finally {
            if (fs.exists(temp)) {
                fs.delete(temp, false);
            }
        }
    }
}
