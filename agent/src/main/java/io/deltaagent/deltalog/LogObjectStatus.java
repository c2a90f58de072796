package io.deltaagent.deltalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Opens log files whose length the listing already gave, without asking the store again: on S3 every plain open is a
 * HEAD request before the GET, and an audit opens hundreds of commits. The checkpoints' lengths are remembered from
 * the newest listings (immutable files, bounded to a few thousand entries) for the Parquet readers.
 */
final class LogObjectStatus {

    private static final int REMEMBERED = 4096;
    private static final Map<String, FileStatus> KNOWN = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FileStatus> eldest) {
            return size() > REMEMBERED;
        }
    };

    private LogObjectStatus() {
    }

    /** Remembers a checkpoint file's length and time, as listed. */
    static void remember(Path file, long length, long modified) {
        synchronized (KNOWN) {
            KNOWN.put(file.toString(), new FileStatus(length, false, 1, 0, modified, file));
        }
    }

    /** A Parquet input for the file: from its remembered status when listed, else asking the store. */
    static HadoopInputFile parquet(Path file, Configuration conf) throws IOException {
        FileStatus status;
        synchronized (KNOWN) {
            status = KNOWN.get(file.toString());
        }
        return status != null ? HadoopInputFile.fromStatus(status, conf) : HadoopInputFile.fromPath(file, conf);
    }

    /** Opens a file of known length (negative: unknown) to be read whole. */
    static InputStream open(FileSystem fs, Path file, long length) throws IOException {
        if (length < 0) {
            return fs.open(file);
        }
        return FutureIO.awaitFuture(fs.openFile(file)
                .opt("fs.option.openfile.length", Long.toString(length))
                .opt("fs.option.openfile.read.policy", "whole-file")
                .build());
    }
}
