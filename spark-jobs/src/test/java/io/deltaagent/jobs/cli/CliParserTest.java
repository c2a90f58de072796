package io.deltaagent.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.jobs.request.CheckpointRequest;
import io.deltaagent.jobs.request.JobCommandLine;
import io.deltaagent.jobs.request.JobRequest;
import io.deltaagent.jobs.request.OptimizeRequest;
import io.deltaagent.jobs.request.VacuumRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliParserTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliParser.Parsed parse(String... args) {
        return CliParser.parse(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void optimizeWithEveryOption() {
        CliParser.Run run = (CliParser.Run) parse("optimize", "--table", "s3a://lake/events", "--where",
                "event_date = '2024-01-01'", "--zorder-by", "customer_id, country", "--result", "/tmp/r.json",
                "--max-attempts", "5", "--retry-backoff", "500ms", "--run-tag", "da-optimize-v7-0123abcd");

        assertThat(run.request()).isEqualTo(new OptimizeRequest("s3a://lake/events", "event_date = '2024-01-01'",
                List.of("customer_id", "country")));
        assertThat(run.options().resultUri()).isEqualTo("/tmp/r.json");
        assertThat(run.options().retry().maxAttempts()).isEqualTo(5);
        assertThat(run.options().retry().baseBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(run.options().runTag()).isEqualTo("da-optimize-v7-0123abcd");
    }

    @Test
    void everyCommandLineTheAgentEncodesIsReadBackAsTheSameRequest() {
        List<JobRequest> requests = List.of(
                new OptimizeRequest("s3a://lake/events", "`date` IN ('2024-01-03', '2024-01-04')", List.of("customer_id", "country"),
                        new OptimizeRequest.FileSizes(64L << 20, 128L << 20, 1L << 30)),
                new OptimizeRequest("/data/t", null, List.of(), new OptimizeRequest.FileSizes(1L, 2L, null)),
                new OptimizeRequest("file:/data/with space/t", "p = 'a'", List.of()),
                new CheckpointRequest("/data/t"),
                new VacuumRequest("/data/t", Duration.ofHours(168), "168h", false, false),
                new VacuumRequest("/data/t", Duration.ofDays(2), "2d", true, true));
        for (JobRequest request : requests) {
            List<String> args = JobCommandLine.arguments(request, "da-" + request.action() + "-v7-0123abcd");

            CliParser.Parsed parsed = parse(args.toArray(String[]::new));

            assertThat(parsed).as(String.join(" ", args)).isInstanceOf(CliParser.Run.class);
            assertThat(((CliParser.Run) parsed).request()).as(String.join(" ", args)).isEqualTo(request);
            assertThat(((CliParser.Run) parsed).options().runTag()).isEqualTo("da-" + request.action() + "-v7-0123abcd");
        }
    }

    @Test
    void defaults() {
        CliParser.Run run = (CliParser.Run) parse("checkpoint", "--table", "/data/t");

        assertThat(run.request()).isEqualTo(new CheckpointRequest("/data/t"));
        assertThat(run.options().resultUri()).isNull();
        assertThat(run.options().retry().maxAttempts()).isEqualTo(3);
        assertThat(run.options().retry().baseBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(run.options().runTag()).isNull();
    }

    @Test
    void vacuumFlags() {
        CliParser.Run run = (CliParser.Run) parse("vacuum", "--table", "/data/t", "--retain", "7d", "--dry-run",
                "--unsafe-allow-retention-below-floor");

        assertThat(run.request()).isEqualTo(new VacuumRequest("/data/t", Duration.ofDays(7), "7d", true, true));
    }

    @Test
    void usageErrorsKeepWhatCouldBeParsed() {
        CliParser.UsageError missingRetain = (CliParser.UsageError) parse("vacuum", "--table", "/data/t", "--result",
                "/tmp/r.json");
        CliParser.UsageError badRetain = (CliParser.UsageError) parse("vacuum", "--table", "/data/t", "--retain",
                "a week");
        CliParser.UsageError noAction = (CliParser.UsageError) parse("--table", "/data/t");
        CliParser.UsageError badAttempts = (CliParser.UsageError) parse("checkpoint", "--table", "/data/t",
                "--max-attempts", "0");
        CliParser.UsageError duplicate = (CliParser.UsageError) parse("optimize", "--table", "/data/t",
                "--zorder-by", "a,A");
        CliParser.UsageError badTag = (CliParser.UsageError) parse("checkpoint", "--table", "/data/t", "--run-tag", "a b");

        assertThat(missingRetain.message()).contains("--retain");
        assertThat(missingRetain.action()).isEqualTo("vacuum");
        assertThat(missingRetain.table()).isEqualTo("/data/t");
        assertThat(missingRetain.resultUri()).isEqualTo("/tmp/r.json");
        assertThat(badRetain.message()).contains("'a week' is not a duration");
        assertThat(noAction.action()).isNull();
        assertThat(badAttempts.message()).contains("maxAttempts must be between 1 and 100");
        assertThat(duplicate.message()).isEqualTo("--zorder-by names column 'A' twice");
        assertThat(badTag.message()).contains("--run-tag").contains("'a b'");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage:");
    }

    @Test
    void helpGoesToOutAndRunsNothing() {
        assertThat(parse("optimize", "--help")).isInstanceOf(CliParser.HelpShown.class);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--zorder-by", "--where", "--max-attempts");
    }
}
