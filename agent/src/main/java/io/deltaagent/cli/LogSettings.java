package io.deltaagent.cli;

import ch.qos.logback.classic.Level;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * How a command logs: the format of its stderr log lines, the agent's level, {@code --quiet}, {@code --verbose}, and
 * whether it is the daemon (whose default is info, not warn). Options on the command line win over the environment
 * ({@code DELTA_AGENT_LOG_FORMAT}, {@code DELTA_AGENT_LOG_LEVEL}: for a daemon under systemd or Helm).
 *
 * @param level the level asked for, or null for the command's default
 */
record LogSettings(Format format, Level level, boolean quiet, boolean verbose, boolean daemon) {

    static final String FORMAT_ENV = "DELTA_AGENT_LOG_FORMAT";
    static final String LEVEL_ENV = "DELTA_AGENT_LOG_LEVEL";

    /** Log line formats. */
    enum Format { text, json }

    /** The levels {@code --log-level} takes. */
    enum LevelName { error, warn, info, debug, trace }

    /** The settings of the command {@code parsed} names; a bad value (option or environment) throws, naming it. */
    static LogSettings of(CommandLine.ParseResult parsed, Map<String, String> env) {
        Format format = null;
        LevelName level = null;
        boolean quiet = false;
        boolean verbose = false;
        CommandLine.ParseResult leaf = parsed;
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            leaf = p;
            format = p.matchedOptionValue("--log-format", format);
            level = p.matchedOptionValue("--log-level", level);
            quiet |= p.hasMatchedOption("--quiet");
            verbose |= p.hasMatchedOption("--verbose");
        }
        if (quiet && level != null) {
            throw new IllegalArgumentException("--quiet and --log-level " + level + " contradict each other: give one of them");
        }
        if (format == null) {
            format = fromEnv(env, FORMAT_ENV, Format.class);
        }
        if (level == null && !quiet) {
            level = fromEnv(env, LEVEL_ENV, LevelName.class);
        }
        boolean daemon = "daemon".equals(leaf.commandSpec().name());
        return new LogSettings(format == null ? Format.text : format,
                level == null ? null : Level.toLevel(level.name()), quiet, verbose, daemon);
    }

    private static <E extends Enum<E>> E fromEnv(Map<String, String> env, String name, Class<E> type) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variable " + name + "=" + value.strip() + ": expected one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
        }
    }
}
