package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.error.LogContext;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * --log-format, --log-level, --quiet and their environment variables, on real audits of Spark-written tables (no Spark
 * job): the log lines logback writes to the process's stderr, captured here, and what the command itself prints.
 */
class LoggingCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** ISO-8601 date and time with milliseconds, in UTC. */
    private static final Pattern DATED = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG|TRACE) ");

    @TempDir
    Path tmp;

    /** A CLI run in this JVM and the log lines it wrote (logback's console appender writes to System.err). */
    record Logged(CliRun run, List<String> logs) {
        List<JsonNode> json() {
            return logs.stream().map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON log line: " + l, e);
                }
            }).toList();
        }
    }

    private static synchronized Logged logged(Map<String, String> env, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            CliRun run = CliRun.of(env, args);
            return new Logged(run, logs.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList());
        } finally {
            System.setErr(saved);
            // leave this JVM's logging as a run without options sets it
            CliRun.of(Map.of(), "config-reference");
        }
    }

    @Test
    void jsonLogLinesParseWithJacksonAndCarryTheTable() throws Exception {
        Path table = Fixtures.copy("spark_optimized", tmp);

        Logged r = logged(Map.of(), "audit", "--log-format", "json", "--log-level", "info", table.toString());

        assertThat(r.run().exitCode()).as(r.run().err()).isIn(ExitCode.HEALTHY, ExitCode.MAINTENANCE_DUE);
        assertThat(r.logs()).as("the audit logs its reading at info").isNotEmpty();
        List<JsonNode> lines = r.json();
        for (JsonNode line : lines) {
            assertThat(line.get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            assertThat(line.get("level").asText()).isIn("INFO", "WARN", "ERROR");
            assertThat(line.get("logger").asText()).as("the logger, the agent's or a library's").isNotBlank();
            assertThat(line.has("message")).isTrue();
        }
        assertThat(lines).as("the table as a field of its own, also from the reading thread")
                .anySatisfy(l -> assertThat(l.path("table").asText()).endsWith("spark_optimized")
                        .isEqualTo(l.get("message").asText().substring(0, l.path("table").asText().length())));
        assertThat(r.run().out()).as("the result still on stdout").contains("spark_optimized");
    }

    /** One real job (the local backend's Spark process): the lines of a run carry its id and its table as fields. */
    @Test
    void maintainLogLinesCarryTheRunIdAndTheTable() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n");

        Logged r = logged(Map.of(), "maintain", "--log-format", "json", "--log-level", "info", "--config", config.toString(),
                "--history-db", "jdbc:h2:file:" + tmp.resolve("history"), "--format", "json", "--local-heap", "1g",
                "--session", "logged-1", table.toString());

        assertThat(r.run().exitCode()).as(r.run().err()).isEqualTo(ExitCode.HEALTHY);
        long runId = r.run().json().get("tables").get(0).get("actions").get(0).get("runId").asLong();
        List<JsonNode> ofRun = r.json().stream().filter(l -> l.path("runId").asText().equals(Long.toString(runId))).toList();
        assertThat(ofRun).as("the run's lines: submitted, progress, its end").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(l -> {
                    assertThat(l.get("table").asText()).isEqualTo(r.run().json().get("tables").get(0).get("table").asText());
                    assertThat(l.get("session").asText()).isEqualTo("logged-1");
                });
        assertThat(ofRun).anySatisfy(l -> assertThat(l.get("message").asText()).contains("submitted as run " + runId));
    }

    @Test
    void jsonLinesCarryTheRunIdAndTheExceptionAsAFieldWithSecretsMasked() {
        PrintStream saved = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            CliRun.of(Map.of(), "--log-format", "json", "config-reference");
            try (var table = LogContext.table("s3a://lake/events")) {
                LogContext.run(42);
                LoggerFactory.getLogger("io.deltaagent.maintain.Maintainer").warn("{}: run 42 failed reaching {}", "s3a://lake/events",
                        "jdbc:postgresql://db:5432/agent?password=Hunter2-Secret",
                        new IllegalStateException("Authorization: Bearer abcdefgh12345678 refused"));
            } finally {
                LogContext.endRun();
            }
        } finally {
            System.setErr(saved);
            CliRun.of(Map.of(), "config-reference");
        }
        String out = logs.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("Hunter2-Secret").doesNotContain("abcdefgh12345678");
        JsonNode line = new Logged(null, out.lines().filter(l -> !l.isBlank()).toList()).json().get(0);
        assertThat(line.get("table").asText()).isEqualTo("s3a://lake/events");
        assertThat(line.get("runId").asText()).isEqualTo("42");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("message").asText()).startsWith("s3a://lake/events: run 42 failed reaching jdbc:postgresql://db:5432/agent?password=***");
        assertThat(line.get("exception").asText()).startsWith("java.lang.IllegalStateException: Authorization: Bearer ***");
    }

    @Test
    void textLogLinesCarryTheDate() throws Exception {
        Path table = Fixtures.copy("spark_optimized", tmp);

        Logged r = logged(Map.of(), "audit", "--log-level", "debug", table.toString());

        assertThat(r.logs()).isNotEmpty();
        // a stack trace's own lines follow their dated line; every line that starts an event is dated
        assertThat(r.logs().stream().filter(l -> !l.startsWith("\t") && !l.startsWith("Caused by") && !l.startsWith("java.")))
                .allSatisfy(l -> assertThat(l).matches(DATED.pattern() + ".*"));
        assertThat(r.logs()).anySatisfy(l -> assertThat(l).contains(" DEBUG "));
    }

    @Test
    void levelsQuietAndTheEnvironmentFilterWhatStderrCarries() throws Exception {
        Path a = Fixtures.copy("spark_optimized", tmp);
        Path b = Fixtures.copy("spark_v2_checkpoint", tmp);
        String[] tables = {a.toString(), b.toString()};

        Logged byDefault = logged(Map.of(), concat(new String[] {"audit"}, tables));
        Logged info = logged(Map.of(), concat(new String[] {"audit", "--log-level", "info"}, tables));
        Logged errorOnly = logged(Map.of(), concat(new String[] {"audit", "--log-level", "error"}, tables));
        Logged quiet = logged(Map.of(), concat(new String[] {"audit", "--quiet"}, tables));
        Logged fromEnv = logged(Map.of("DELTA_AGENT_LOG_LEVEL", "info", "DELTA_AGENT_LOG_FORMAT", "json"), concat(new String[] {"audit"}, tables));

        assertThat(byDefault.run().err()).contains("[1/2] auditing");
        assertThat(byDefault.logs()).as("warn by default").noneSatisfy(l -> assertThat(l).contains(" INFO "));
        assertThat(info.logs()).anySatisfy(l -> assertThat(l).contains(" INFO ").contains("spark_v2_checkpoint"));
        assertThat(errorOnly.logs()).noneSatisfy(l -> assertThat(l).containsAnyOf(" INFO ", " WARN ", " DEBUG "));
        assertThat(quiet.run().err()).as("no progress under --quiet").doesNotContain("auditing");
        assertThat(quiet.logs()).isEmpty();
        assertThat(quiet.run().out()).as("results still on stdout").contains("spark_optimized").contains("spark_v2_checkpoint");
        assertThat(quiet.run().exitCode()).isEqualTo(byDefault.run().exitCode());
        assertThat(fromEnv.json()).isNotEmpty().anySatisfy(l -> assertThat(l.get("level").asText()).isEqualTo("INFO"));

        Logged both = logged(Map.of(), concat(new String[] {"audit", "--quiet", "--log-level", "info"}, tables));
        assertThat(both.run().exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(both.run().err()).contains("--quiet and --log-level info");
        Logged badEnv = logged(Map.of("DELTA_AGENT_LOG_FORMAT", "yaml"), concat(new String[] {"audit"}, tables));
        assertThat(badEnv.run().exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badEnv.run().err()).contains("DELTA_AGENT_LOG_FORMAT=yaml").contains("[text, json]");
        Logged badLevel = logged(Map.of(), "history", "--log-level", "loud");
        assertThat(badLevel.run().exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badLevel.run().err()).contains("--log-level").contains("loud");
    }

    @Test
    void aFreshProcessLogsJsonFromItsFirstLineAndVerboseStillMeansDebug() throws Exception {
        Path table = Fixtures.copy("spark_optimized", tmp);

        CliRun json = CliRun.forked("audit", "--log-format", "json", "--verbose", table.toString());

        List<String> lines = json.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        List<JsonNode> parsed = new Logged(json, lines).json();
        assertThat(parsed).as("--verbose: debug").anySatisfy(l -> assertThat(l.get("level").asText()).isEqualTo("DEBUG"));
        assertThat(Files.readString(table.resolve("_delta_log").resolve("00000000000000000000.json"))).isNotEmpty();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
