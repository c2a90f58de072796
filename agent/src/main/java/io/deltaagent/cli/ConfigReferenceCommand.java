package io.deltaagent.cli;

import io.deltaagent.config.ConfigReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints the config reference (docs/CONFIG.md is this output). */
@Command(name = "config-reference", mixinStandardHelpOptions = true,
        description = "Print the configuration reference (Markdown), generated from the option definitions.")
final class ConfigReferenceCommand implements Callable<Integer> {

    private final Main.Context context;

    ConfigReferenceCommand(Main.Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        context.out().print(ConfigReference.markdown());
        return ExitCode.HEALTHY;
    }
}
