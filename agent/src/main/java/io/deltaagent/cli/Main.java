package io.deltaagent.cli;

import io.deltaagent.config.Host;
import io.deltaagent.error.Redaction;
import io.deltaagent.error.RedactingOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code delta-agent} command line. Results go to stdout; logs and progress to stderr. */
@Command(name = "delta-agent",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Audits Delta Lake tables from their transaction logs and plans their maintenance.",
        subcommands = {AuditCommand.class, PlanCommand.class, MaintainCommand.class, SessionCommand.class, HistoryCommand.class, ReportCommand.class,
            DaemonCommand.class, DoctorCommand.class,
            ConfigReferenceCommand.class, picocli.AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every table healthy",
            "1:at least one table could not be read (the others are still reported)",
            "2:bad usage or config",
            "3:maintenance due on at least one table",
            "75:transient failure (database, catalog, storage): retry later"})
public final class Main implements java.util.concurrent.Callable<Integer> {

    /** What a command needs from its surroundings, injectable for tests. */
    record Context(PrintStream out, PrintStream err, Host host, Clock clock) {
        private static final PrintStream NOWHERE = new PrintStream(java.io.OutputStream.nullOutputStream());

        /** Where notes, warnings and progress go: stderr, or nowhere under {@code --quiet} (errors still go to err). */
        PrintStream notes() {
            return LogSetup.quiet() ? NOWHERE : err;
        }

        /** The environment variables. */
        Map<String, String> env() {
            return host.env();
        }
    }

    @CommandLine.Option(names = "--log-format", paramLabel = "text|json", scope = CommandLine.ScopeType.INHERIT,
            description = "Log lines on stderr: text (dated, the default) or json (one object per line: time, level, logger, "
                    + "table, runId, session, message, exception). Default: $" + "{env:DELTA_AGENT_LOG_FORMAT:-text}.")
    LogSettings.Format logFormat;

    @CommandLine.Option(names = "--log-level", paramLabel = "LEVEL", scope = CommandLine.ScopeType.INHERIT,
            description = "The agent's log level: error, warn, info, debug or trace (default: warn, info for the daemon; "
                    + "DELTA_AGENT_LOG_LEVEL in the environment).")
    LogSettings.LevelName logLevel;

    @CommandLine.Option(names = "--quiet", scope = CommandLine.ScopeType.INHERIT,
            description = "Only errors on stderr (no progress, notes or warnings); results still on stdout.")
    boolean quiet;

    private final Context context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(Context context) {
        this.context = context;
    }

    /** A bare {@code delta-agent}: the usage, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(context.err());
        context.err().println("delta-agent: name a command: audit, plan, maintain, session, history, report, daemon, doctor, config-reference");
        return ExitCode.USAGE;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv(), Clock.systemUTC()));
    }

    /** Runs the CLI and returns its exit code; never calls System.exit. */
    public static int run(String[] args, PrintStream rawOut, PrintStream rawErr, Map<String, String> env, Clock clock) {
        return run(args, rawOut, rawErr, Host.of(env), clock);
    }

    /** As {@link #run(String[], PrintStream, PrintStream, Map, Clock)} on {@code host} (its home and root, for tests). */
    public static int run(String[] args, PrintStream rawOut, PrintStream rawErr, Host host, Clock clock) {
        bridgeJavaUtilLogging();
        // no credentials on either stream, whatever prints them (a table URI with user info, a token in a URL)
        ErrorDocument errors = ErrorDocument.watch(new RedactingOutputStream(rawOut), new RedactingOutputStream(rawErr));
        PrintStream out = new PrintStream(errors.out(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errors.err(), true, StandardCharsets.UTF_8);
        try {
            return execute(args, out, err, host, clock, errors);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Libraries that log through java.util.logging (the GCS connector) go through logback like the rest: its levels
     * and its redaction, not JUL's console handler on stderr.
     */
    private static synchronized void bridgeJavaUtilLogging() {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
    }

    private static int execute(String[] args, PrintStream out, PrintStream err, Host host, Clock clock,
                               ErrorDocument errors) {
        Context context = new Context(out, err, host, clock);
        CommandLine cli = new CommandLine(new Main(context), new Factory(context));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // bash/zsh completion from the commands themselves: source <(delta-agent generate-completion)
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cli.setParameterExceptionHandler((ex, a) -> {
            if (ex.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
                errors.setting(option.longestName());
            }
            err.println("delta-agent: " + Redaction.redact(ex.getMessage()));
            err.println("Try 'delta-agent " + (ex.getCommandLine().getCommandName().equals("delta-agent") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return ExitCode.USAGE;
        });
        cli.setExecutionStrategy(parseResult -> {
            // logging as the command line (or the environment) says, before the command logs anything
            try {
                LogSetup.apply(LogSettings.of(parseResult, host.env()));
            } catch (IllegalArgumentException e) {
                err.println("delta-agent: " + Redaction.redact(e.getMessage()));
                return ExitCode.USAGE;
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("delta-agent: " + Redaction.redact(ex.getMessage()));
            if (parseResult.hasMatchedOption("--verbose")) {
                java.io.StringWriter trace = new java.io.StringWriter();
                ex.printStackTrace(new PrintWriter(trace));
                err.print(Redaction.redact(trace.toString()));
            }
            return ExitCode.USAGE;
        });
        int exit = cli.execute(args);
        out.flush();
        err.flush();
        errors.writeIfDue(java.util.List.of(args), cli.getSubcommands().keySet(), exit, out);
        return exit;
    }

    /** Builds commands with the context. */
    private record Factory(Context context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == AuditCommand.class) {
                return cls.cast(new AuditCommand(context));
            }
            if (cls == MaintainCommand.class) {
                return cls.cast(new MaintainCommand(context));
            }
            if (cls == SessionCommand.class) {
                return cls.cast(new SessionCommand(context));
            }
            if (cls == ReportCommand.class) {
                return cls.cast(new ReportCommand(context));
            }
            if (cls == HistoryCommand.class) {
                return cls.cast(new HistoryCommand(context));
            }
            if (cls == PlanCommand.class) {
                return cls.cast(new PlanCommand(context));
            }
            if (cls == DaemonCommand.class) {
                return cls.cast(new DaemonCommand(context));
            }
            if (cls == DoctorCommand.class) {
                return cls.cast(new DoctorCommand(context));
            }
            if (cls == HistoryDbOption.class) {
                return cls.cast(new HistoryDbOption(context.host()));
            }
            if (cls == ConfigReferenceCommand.class) {
                return cls.cast(new ConfigReferenceCommand(context));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"delta-agent " + Version.current()};
        }
    }
}
