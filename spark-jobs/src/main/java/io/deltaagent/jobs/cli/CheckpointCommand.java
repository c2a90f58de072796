package io.deltaagent.jobs.cli;

import io.deltaagent.jobs.request.CheckpointRequest;
import io.deltaagent.jobs.request.JobRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = "Write a checkpoint at the latest version, then remove log files the table's retention "
                + "(delta.logRetentionDuration) lets Delta remove.")
final class CheckpointCommand implements ActionCommand {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public CommonOptions common() {
        return common;
    }

    @Override
    public JobRequest toRequest() {
        return new CheckpointRequest(common.table);
    }
}
