package io.deltaagent.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.deltaagent.error.RedactingValueMasker;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LogSettings} to logback once the command line is parsed: the levels, and the stderr appender's format
 * (logback.xml's text appender, with the date, or a JSON appender built here). Logging is per process, so this is
 * static; each CLI run in a JVM (the tests run many) sets it afresh.
 */
final class LogSetup {

    /** logback.xml's text appender on stderr. */
    private static final String TEXT = "STDERR";
    private static final String JSON = "STDERR_JSON";

    private static Appender<ILoggingEvent> text;
    private static Appender<ILoggingEvent> json;
    private static volatile boolean quiet;

    private LogSetup() {
    }

    /** True under {@code --quiet}: notes and progress on stderr are left out, errors stay. */
    static boolean quiet() {
        return quiet;
    }

    static synchronized void apply(LogSettings settings) {
        quiet = settings.quiet();
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        levels(ctx, settings);
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (text == null) {
            text = root.getAppender(TEXT);
        }
        if (settings.format() == LogSettings.Format.json) {
            if (json == null) {
                json = jsonAppender(ctx);
            }
            swap(root, text, json);
        } else {
            swap(root, json, text);
        }
    }

    private static void swap(Logger root, Appender<ILoggingEvent> off, Appender<ILoggingEvent> on) {
        if (off != null) {
            root.detachAppender(off);
        }
        if (on != null && root.getAppender(on.getName()) == null) {
            root.addAppender(on);
        }
    }

    /**
     * The agent's loggers at the level asked for (default: warn, info for the daemon; --verbose: debug); libraries at
     * warn (error by default in the CLI, and under --quiet or --log-level error); job progress at info unless a level or
     * --quiet says otherwise.
     */
    private static void levels(LoggerContext ctx, LogSettings s) {
        boolean verbose = s.verbose();
        Level agent;
        Level progress;
        Level libraries;
        if (s.quiet()) {
            agent = Level.ERROR;
            progress = Level.ERROR;
            libraries = Level.ERROR;
        } else if (s.level() != null) {
            agent = s.level();
            progress = s.level();
            libraries = s.level() == Level.ERROR ? Level.ERROR : Level.WARN;
        } else {
            agent = verbose ? Level.DEBUG : s.daemon() ? Level.INFO : Level.WARN;
            progress = verbose ? Level.DEBUG : Level.INFO;
            libraries = verbose || s.daemon() ? Level.WARN : Level.ERROR;
        }
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(libraries);
        ctx.getLogger("io.deltaagent").setLevel(agent);
        ctx.getLogger("io.deltaagent.progress").setLevel(progress);
        boolean debug = verbose || !agent.isGreaterOrEqual(Level.INFO);
        ctx.getLogger("org.quartz").setLevel(s.quiet() ? Level.ERROR : debug ? Level.INFO : Level.WARN);
        // H2's and Flyway's own traces: the agent reports their failures itself; --verbose (or debug) shows them
        ctx.getLogger("h2database").setLevel(debug && !s.quiet() ? Level.ERROR : Level.OFF);
        ctx.getLogger("org.flywaydb").setLevel(s.quiet() ? Level.OFF : debug ? Level.INFO
                : s.daemon() ? Level.WARN : Level.OFF);
    }

    /**
     * One JSON object per line on stderr: time (ISO-8601, UTC), level, logger, thread, the MDC's table, runId and session,
     * message, and the exception's stack trace as a field; every string value through the agent's redaction.
     */
    private static Appender<ILoggingEvent> jsonAppender(LoggerContext ctx) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(ctx);
        LogstashFieldNames names = new LogstashFieldNames();
        names.setTimestamp("time");
        names.setLevel("level");
        names.setLogger("logger");
        names.setThread("thread");
        names.setStackTrace("exception");
        names.setVersion("[ignore]");
        names.setLevelValue("[ignore]");
        encoder.setFieldNames(names);
        encoder.setTimeZone("UTC");
        encoder.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"); // as the text lines
        MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
        masking.addValueMasker(new RedactingValueMasker());
        masking.start();
        encoder.setJsonGeneratorDecorator(masking);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName(JSON);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }
}
