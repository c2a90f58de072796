package io.deltaagent.jobs.cli;

import io.deltaagent.jobs.request.JobRequest;
import io.deltaagent.jobs.run.RunOptions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Parses the command line into a request, a help exit, or a usage error that still names what it could. */
public final class CliParser {
    private CliParser() {
    }

    /** What the command line asked for. */
    public sealed interface Parsed permits Run, HelpShown, UsageError {
    }

    /** Run {@code request} with {@code options}. */
    public record Run(JobRequest request, RunOptions options) implements Parsed {
    }

    /** Help or version was printed; nothing to run. */
    public record HelpShown() implements Parsed {
    }

    /**
     * The command line is wrong. {@code action}, {@code table} and {@code resultUri} are filled in when they
     * could be parsed, so the failure result can still go where the caller expects it.
     */
    public record UsageError(String message, String action, String table, String resultUri) implements Parsed {
    }

    /**
     * @param out where help goes when asked for
     * @param err where usage goes after an error
     */
    public static Parsed parse(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new RootCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return usageError(e.getMessage(), e.getCommandLine());
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return new HelpShown();
        }
        List<CommandLine> chain = parsed.asCommandLineList();
        CommandLine leaf = chain.get(chain.size() - 1);
        if (!(leaf.getCommand() instanceof ActionCommand command)) {
            commandLine.usage(commandLine.getErr());
            return new UsageError("name an action: optimize, checkpoint or vacuum", null, null, null);
        }
        try {
            return new Run(command.toRequest(), command.common().runOptions());
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage(), leaf);
        }
    }

    private static UsageError usageError(String message, CommandLine where) {
        if (where.getCommand() instanceof ActionCommand command) {
            CommonOptions common = command.common();
            return new UsageError(message, where.getCommandName(), common.table, common.result);
        }
        return new UsageError(message, null, null, null);
    }
}
