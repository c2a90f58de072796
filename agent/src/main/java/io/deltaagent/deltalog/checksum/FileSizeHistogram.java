package io.deltaagent.deltalog.checksum;

import java.util.List;

/**
 * A checksum's file-size histogram: bin i holds the files of size in [boundaries[i], boundaries[i+1]) (the last bin
 * is open above). Enough to bound how many files are below a size without reading a single file entry.
 */
public record FileSizeHistogram(List<Long> boundaries, List<Long> fileCounts, List<Long> totalBytes) {

    public FileSizeHistogram {
        boundaries = List.copyOf(boundaries);
        fileCounts = List.copyOf(fileCounts);
        totalBytes = List.copyOf(totalBytes);
        if (boundaries.isEmpty() || boundaries.get(0) != 0L || boundaries.size() != fileCounts.size()
                || boundaries.size() != totalBytes.size()) {
            throw new IllegalArgumentException("a file-size histogram needs bins starting at 0 and one count and total per bin");
        }
        for (int i = 1; i < boundaries.size(); i++) {
            if (boundaries.get(i) <= boundaries.get(i - 1)) {
                throw new IllegalArgumentException("file-size histogram bins are not sorted");
            }
        }
    }

    public long files() {
        return fileCounts.stream().mapToLong(Long::longValue).sum();
    }

    public long bytes() {
        return totalBytes.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The fewest and the most files that can be smaller than {@code threshold}: bins wholly below it count for both,
     * the bin that straddles it only for the most.
     */
    public long[] filesBelow(long threshold) {
        long least = 0;
        long most = 0;
        for (int i = 0; i < boundaries.size(); i++) {
            long lower = boundaries.get(i);
            long upper = i + 1 < boundaries.size() ? boundaries.get(i + 1) : Long.MAX_VALUE;
            if (upper <= threshold) {
                least += fileCounts.get(i);
                most += fileCounts.get(i);
            } else if (lower < threshold) {
                most += fileCounts.get(i);
            }
        }
        return new long[] {least, most};
    }
}
