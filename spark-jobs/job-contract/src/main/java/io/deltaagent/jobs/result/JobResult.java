package io.deltaagent.jobs.result;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The one JSON document every run produces (schema version 1, documented in docs/JOB-RESULT.md). Numbers
 * that are unknown (for example because the run failed before measuring them) are null, never guessed.
 */
@JsonPropertyOrder({"schemaVersion", "action", "table", "status", "versionBefore", "versionAfter", "commitVersion",
        "commitVersions", "filesRemoved", "filesAdded", "bytesRemoved", "bytesAdded", "partitionColumns", "clusteringColumns", "where", "zOrderBy",
        "minFileSize", "maxFileSize", "maxBytesPerCommit", "partitionsOptimized", "log", "vacuum", "attempts", "durationMs", "startedAt", "endedAt",
        "sparkApplicationId", "error"})
public record JobResult(
        int schemaVersion,
        String action,
        String table,
        Status status,
        Long versionBefore,
        Long versionAfter,
        Long commitVersion,
        List<Long> commitVersions,
        Long filesRemoved,
        Long filesAdded,
        Long bytesRemoved,
        Long bytesAdded,
        List<String> partitionColumns,
        List<String> clusteringColumns,
        String where,
        List<String> zOrderBy,
        Long minFileSize,
        Long maxFileSize,
        Long maxBytesPerCommit,
        Long partitionsOptimized,
        LogDetails log,
        VacuumDetails vacuum,
        int attempts,
        long durationMs,
        String startedAt,
        String endedAt,
        String sparkApplicationId,
        ErrorInfo error) {

    public static final int SCHEMA_VERSION = 1;

    public JobResult {
        requireNonNull(status, "status");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(endedAt, "endedAt");
        partitionColumns = partitionColumns == null ? null : List.copyOf(partitionColumns);
        zOrderBy = zOrderBy == null ? null : List.copyOf(zOrderBy);
        commitVersions = commitVersions == null ? null : List.copyOf(commitVersions);
        clusteringColumns = clusteringColumns == null ? null : List.copyOf(clusteringColumns);
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion must be " + SCHEMA_VERSION);
        }
        if ((status == Status.FAILED) != (error != null)) {
            throw new IllegalArgumentException("a FAILED result needs an error and a SUCCEEDED one must not have one");
        }
        if (attempts < 0 || durationMs < 0) {
            throw new IllegalArgumentException("attempts and durationMs must be >= 0");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Assembles a result field by field; the runner fills in what it knows as the run goes. */
    public static final class Builder {
        private String action;
        private String table;
        private Status status;
        private Long versionBefore;
        private Long versionAfter;
        private Long commitVersion;
        private List<Long> commitVersions;
        private List<String> clusteringColumns;
        private Long minFileSize;
        private Long maxFileSize;
        private Long maxBytesPerCommit;
        private Long filesRemoved;
        private Long filesAdded;
        private Long bytesRemoved;
        private Long bytesAdded;
        private List<String> partitionColumns;
        private String where;
        private List<String> zOrderBy;
        private Long partitionsOptimized;
        private LogDetails log;
        private VacuumDetails vacuum;
        private int attempts;
        private long durationMs;
        private String startedAt;
        private String endedAt;
        private String sparkApplicationId;
        private ErrorInfo error;

        private Builder() {
        }

        public Builder action(String value) {
            action = value;
            return this;
        }

        public Builder table(String value) {
            table = value;
            return this;
        }

        public Builder status(Status value) {
            status = value;
            return this;
        }

        public Builder versionBefore(Long value) {
            versionBefore = value;
            return this;
        }

        public Builder versionAfter(Long value) {
            versionAfter = value;
            return this;
        }

        public Builder commitVersion(Long value) {
            commitVersion = value;
            return this;
        }

        public Builder clusteringColumns(List<String> value) {
            clusteringColumns = value;
            return this;
        }

        public Builder commitVersions(List<Long> value) {
            commitVersions = value;
            return this;
        }

        /** The sizes an OPTIMIZE run compacted with; null where Delta's defaults applied. */
        public Builder sizes(Long min, Long max, Long perCommit) {
            minFileSize = min;
            maxFileSize = max;
            maxBytesPerCommit = perCommit;
            return this;
        }

        public Builder files(Long removed, Long added) {
            filesRemoved = removed;
            filesAdded = added;
            return this;
        }

        public Builder bytes(Long removed, Long added) {
            bytesRemoved = removed;
            bytesAdded = added;
            return this;
        }

        public Builder partitionColumns(List<String> value) {
            partitionColumns = value;
            return this;
        }

        public Builder where(String value) {
            where = value;
            return this;
        }

        public Builder zOrderBy(List<String> value) {
            zOrderBy = value;
            return this;
        }

        public Builder partitionsOptimized(Long value) {
            partitionsOptimized = value;
            return this;
        }

        public Builder log(LogDetails value) {
            log = value;
            return this;
        }

        public Builder vacuum(VacuumDetails value) {
            vacuum = value;
            return this;
        }

        public Builder attempts(int value) {
            attempts = value;
            return this;
        }

        public Builder timing(String started, String ended, long millis) {
            startedAt = started;
            endedAt = ended;
            durationMs = millis;
            return this;
        }

        public Builder sparkApplicationId(String value) {
            sparkApplicationId = value;
            return this;
        }

        public Builder error(ErrorInfo value) {
            error = value;
            return this;
        }

        public JobResult build() {
            return new JobResult(SCHEMA_VERSION, action, table, status, versionBefore, versionAfter, commitVersion,
                    commitVersions, filesRemoved, filesAdded, bytesRemoved, bytesAdded, partitionColumns, clusteringColumns, where,
                    zOrderBy,
                    minFileSize, maxFileSize, maxBytesPerCommit, partitionsOptimized, log, vacuum, attempts, durationMs, startedAt, endedAt, sparkApplicationId,
                    error);
        }
    }
}
