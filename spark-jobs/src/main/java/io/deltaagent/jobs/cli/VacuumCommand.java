package io.deltaagent.jobs.cli;

import io.deltaagent.jobs.request.Durations;
import io.deltaagent.jobs.request.JobRequest;
import io.deltaagent.jobs.request.VacuumRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vacuum", mixinStandardHelpOptions = true,
        description = "Delete files the table no longer references and that are older than --retain.")
final class VacuumCommand implements ActionCommand {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--retain", required = true, paramLabel = "DURATION",
            description = "Keep unreferenced files younger than this, e.g. 168h or 7d. Never below 7 days nor the "
                    + "table's delta.deletedFileRetentionDuration unless --unsafe-allow-retention-below-floor.")
    String retain;

    @Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--unsafe-allow-retention-below-floor",
            description = "Accept a retention below the floor. Can break running readers, writers and time travel.")
    boolean allowBelowFloor;

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public JobRequest toRequest() {
        return new VacuumRequest(common.table, Durations.parse(retain), retain.strip(), dryRun, allowBelowFloor);
    }
}
