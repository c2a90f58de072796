package io.deltaagent.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one rule every backend uses for whether a job succeeded. */
class JobOutcomeTest {

    private static final Instant T0 = Instant.parse("2026-12-04T01:00:00Z");
    private static final Instant T1 = T0.plusSeconds(40);
    private static final String OK = "{\"status\":\"SUCCEEDED\",\"commitVersion\":25}";
    private static final String FAILED = "{\"status\":\"FAILED\",\"error\":{\"kind\":\"CONFLICT\",\"message\":\"gave up after 3 attempts\"}}";

    private static JobOutcome judged(JobState ended, String document) {
        return JobOutcome.judged("run 7", ended, T0, T1, document, ended == JobState.SUCCEEDED ? null : "run 7 was " + ended,
                "s3://results/7.json", " (log: /tmp/7.log)");
    }

    @Test
    void successNeedsTheBackendAndTheResultDocumentToAgree() {
        JobOutcome ok = judged(JobState.SUCCEEDED, OK);
        assertThat(ok.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(ok.message()).isNull();
        assertThat(ok.commitVersion()).isEqualTo(25L);

        assertThat(judged(JobState.SUCCEEDED, null)).satisfies(o -> {
            assertThat(o.state()).isEqualTo(JobState.FAILED);
            assertThat(o.message()).isEqualTo("run 7 ended well but the job wrote no result document to s3://results/7.json "
                    + "(log: /tmp/7.log)");
        });
        assertThat(judged(JobState.SUCCEEDED, "not json {")).satisfies(o -> {
            assertThat(o.state()).isEqualTo(JobState.FAILED);
            assertThat(o.message()).contains("is not JSON");
            assertThat(o.resultJson()).isNull();
        });
        assertThat(judged(JobState.SUCCEEDED, FAILED)).satisfies(o -> {
            assertThat(o.state()).isEqualTo(JobState.FAILED);
            assertThat(o.message()).isEqualTo("run 7 ended well but its result says FAILED: gave up after 3 attempts (log: /tmp/7.log)");
            assertThat(o.resultJson()).isEqualTo(FAILED);
        });
    }

    @Test
    void aBackendThatDidNotEndWellDecidesWhateverTheDocumentSays() {
        assertThat(judged(JobState.FAILED, OK).state()).as("exit 1 after writing SUCCEEDED: not a success").isEqualTo(JobState.FAILED);
        assertThat(judged(JobState.TIMED_OUT, null)).satisfies(o -> {
            assertThat(o.state()).isEqualTo(JobState.TIMED_OUT);
            assertThat(o.message()).isEqualTo("run 7 was TIMED_OUT (log: /tmp/7.log)");
        });
        assertThat(judged(JobState.FAILED, FAILED).message()).isEqualTo("run 7 was FAILED: gave up after 3 attempts (log: /tmp/7.log)");
    }
}
