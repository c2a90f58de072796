package io.deltaagent.jobs.cli;

import io.deltaagent.jobs.request.JobRequest;
import io.deltaagent.jobs.request.OptimizeRequest;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Compact small files (bin-packing), or Z-order them with --zorder-by.")
final class OptimizeCommand implements ActionCommand {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--where", paramLabel = "PARTITION_PREDICATE",
            description = "Only rewrite the partitions this Spark SQL predicate selects; it may use partition "
                    + "columns only, e.g. \"event_date >= '2024-01-01'\".")
    String where;

    @Option(names = "--zorder-by", paramLabel = "COLUMN", split = ",",
            description = "Z-order by these data columns (comma-separated) instead of plain compaction.")
    List<String> zOrderBy;

    @Option(names = "--min-file-size", paramLabel = "BYTES",
            description = "Bin-packing rewrites only files smaller than this (Delta's optimize.minFileSize for this run; "
                    + "default 1 GiB). Z-order rewrites every file of the selected partitions regardless.")
    Long minFileSize;

    @Option(names = "--max-file-size", paramLabel = "BYTES",
            description = "Files are packed into new files of at most about this size (Delta's optimize.maxFileSize for "
                    + "this run; default 1 GiB).")
    Long maxFileSize;

    @Option(names = "--max-bytes-per-commit", paramLabel = "BYTES",
            description = "Commit the rewrite in batches of about this many bytes, each its own Delta commit, so a "
                    + "failure loses only its batch (Delta's optimize.batchSize for this run; default: one commit).")
    Long maxBytesPerCommit;

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public JobRequest toRequest() {
        return new OptimizeRequest(common.table, where, zOrderBy,
                new OptimizeRequest.FileSizes(minFileSize, maxFileSize, maxBytesPerCommit));
    }
}
