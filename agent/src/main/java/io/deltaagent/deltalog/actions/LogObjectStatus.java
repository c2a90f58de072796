package io.deltaagent.deltalog.actions;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * Opens log files whose length the listing already gave, without asking the store again: on S3 every plain open is a
 * HEAD request before the GET, and an audit opens hundreds of commits. (Checkpoint parts are read through the audit's
 * {@link io.deltaagent.deltalog.storage.LogStore}, with the lengths of the listing.)
 */
public final class LogObjectStatus {

    private LogObjectStatus() {
    }

    /** Opens a file of known length (negative: unknown) to be read whole. */
    public static InputStream open(FileSystem fs, Path file, long length) throws IOException {
        if (length < 0) {
            return fs.open(file);
        }
        return FutureIO.awaitFuture(fs.openFile(file)
                .opt("fs.option.openfile.length", Long.toString(length))
                .opt("fs.option.openfile.read.policy", "whole-file")
                .build());
    }
}
