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

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public JobRequest toRequest() {
        return new OptimizeRequest(common.table, where, zOrderBy);
    }
}
