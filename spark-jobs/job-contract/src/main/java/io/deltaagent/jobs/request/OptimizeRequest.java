package io.deltaagent.jobs.request;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compact small files (bin-packing) or, when {@code zOrderBy} is not empty, rewrite them Z-ordered.
 *
 * @param table the table URI
 * @param where a partition predicate limiting the rewrite, or null for the whole table
 * @param zOrderBy data columns to Z-order by; empty for plain compaction
 * @param sizes the file sizes to compact with (Delta's optimize.minFileSize/maxFileSize/batchSize for this run), or
 *              null for Delta's defaults
 */
public record OptimizeRequest(String table, String where, List<String> zOrderBy, FileSizes sizes) implements JobRequest {

    /**
     * The sizes the agent plans with. Bin-packing picks only files below {@code minFileSize} and packs them into bins
     * of at most {@code maxFileSize}; with {@code maxBytesPerCommit} the bins are committed in batches of about that
     * many bytes, each its own commit. Null fields keep Delta's defaults.
     */
    public record FileSizes(Long minFileSize, Long maxFileSize, Long maxBytesPerCommit) {
        public FileSizes {
            positive("--min-file-size", minFileSize);
            positive("--max-file-size", maxFileSize);
            positive("--max-bytes-per-commit", maxBytesPerCommit);
            if (minFileSize != null && maxFileSize != null && minFileSize > maxFileSize) {
                throw new IllegalArgumentException("--min-file-size " + minFileSize + " is larger than --max-file-size "
                        + maxFileSize + ": files below the minimum are packed into files of at most the maximum");
            }
        }

        private static void positive(String option, Long value) {
            if (value != null && value < 1) {
                throw new IllegalArgumentException(option + " must be a positive number of bytes, got " + value);
            }
        }

        boolean isEmpty() {
            return minFileSize == null && maxFileSize == null && maxBytesPerCommit == null;
        }
    }

    public OptimizeRequest(String table, String where, List<String> zOrderBy) {
        this(table, where, zOrderBy, null);
    }

    public OptimizeRequest {
        table = JobRequest.requireTable(table);
        if (where != null && where.isBlank()) {
            throw new IllegalArgumentException("--where must not be blank");
        }
        where = where == null ? null : where.strip();
        zOrderBy = zOrderBy == null ? List.of() : zOrderBy.stream().map(String::strip).toList();
        Set<String> seen = new HashSet<>();
        for (String column : zOrderBy) {
            if (column.isEmpty()) {
                throw new IllegalArgumentException("--zorder-by has an empty column name");
            }
            if (!seen.add(column.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--zorder-by names column '" + column + "' twice");
            }
        }
        sizes = sizes == null || sizes.isEmpty() ? null : sizes;
    }

    @Override
    public String action() {
        return "optimize";
    }

    public boolean zOrder() {
        return !zOrderBy.isEmpty();
    }
}
