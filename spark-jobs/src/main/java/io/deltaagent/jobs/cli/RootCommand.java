package io.deltaagent.jobs.cli;

import picocli.CommandLine.Command;

@Command(name = "maintenance-job", mixinStandardHelpOptions = true,
        subcommands = {OptimizeCommand.class, CheckpointCommand.class, VacuumCommand.class},
        description = {"Runs one Delta table maintenance action and prints one JSON result as the last line "
                + "of stdout (logs go to stderr).",
                "Exit codes: 0 success, 1 failed, 2 bad usage or input, 75 conflicts persisted after retries."})
final class RootCommand {
}
