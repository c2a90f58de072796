package io.deltaagent.jobs.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line the agent submits; CliParserTest in spark-jobs reads every one of these back. */
class JobCommandLineTest {

    @Test
    void optimizeWithEverythingAndTheRunTag() {
        OptimizeRequest request = new OptimizeRequest("s3a://lake/events", "`date` IN ('2024-01-03')", List.of("customer_id", "country"),
                new OptimizeRequest.FileSizes(64L << 20, 128L << 20, 1L << 30));

        assertThat(JobCommandLine.arguments(request, "da-optimize-v25-0a1b")).containsExactly("optimize", "--table", "s3a://lake/events",
                "--where", "`date` IN ('2024-01-03')", "--zorder-by", "customer_id,country", "--min-file-size", "67108864",
                "--max-file-size", "134217728", "--max-bytes-per-commit", "1073741824", "--run-tag", "da-optimize-v25-0a1b");
    }

    @Test
    void theOtherActionsAndNoTag() {
        assertThat(JobCommandLine.arguments(new CheckpointRequest("/data/t"), null)).containsExactly("checkpoint", "--table", "/data/t");
        assertThat(JobCommandLine.arguments(new VacuumRequest("/data/t", Duration.ofDays(7), "168h", true, true), "tag"))
                .containsExactly("vacuum", "--table", "/data/t", "--retain", "168h", "--dry-run",
                        "--unsafe-allow-retention-below-floor", "--run-tag", "tag");
        assertThat(JobCommandLine.arguments(new OptimizeRequest("/data/t", null, List.of()), null)).containsExactly("optimize",
                "--table", "/data/t");
    }
}
