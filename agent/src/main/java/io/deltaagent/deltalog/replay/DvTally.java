package io.deltaagent.deltalog.replay;

import io.deltaagent.health.DeletionVectors;

/** Files with a deletion vector, the rows those mark deleted and their bytes: summed as files stream past. */
public final class DvTally {
    long files;
    long rows;
    long bytes;

    public void count(boolean hasDv, long cardinality, long size) {
        if (hasDv) {
            files++;
            rows += cardinality;
            bytes += size;
        }
    }

    public void uncount(boolean hasDv, long cardinality, long size) {
        if (hasDv) {
            files--;
            rows -= cardinality;
            bytes -= size;
        }
    }

    public DeletionVectors result(long activeFiles) {
        return new DeletionVectors(files, rows, bytes, activeFiles == 0 ? 0.0 : (double) files / activeFiles);
    }
}
