package io.deltaagent.jobs.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the agent reads from a result document is what the job wrote. */
class ResultDocumentTest {

    private static JobResult.Builder base() {
        return JobResult.builder().action("optimize").table("/data/t").versionBefore(24L).attempts(1)
                .timing("2026-12-04T01:00:00Z", "2026-12-04T01:00:40Z", 40_000);
    }

    @Test
    void aBatchedOptimizeReportsEveryCommit() {
        String line = ResultJson.toLine(base().status(Status.SUCCEEDED).versionAfter(27L).commitVersion(27L)
                .commitVersions(List.of(25L, 26L, 27L)).build());

        ResultDocument doc = ResultDocument.parse(line).orElseThrow();
        assertThat(doc.succeeded()).isTrue();
        assertThat(doc.commitVersion()).isEqualTo(27L);
        assertThat(doc.commitVersions()).containsExactly(25L, 26L, 27L);
        assertThat(doc.errorMessage()).isNull();
        assertThat(doc.startedAt()).isEqualTo("2026-12-04T01:00:00Z");
    }

    @Test
    void oneCommitAFailureAndWhatIsNoDocument() {
        ResultDocument one = ResultDocument.parse(ResultJson.toLine(base().status(Status.SUCCEEDED).commitVersion(25L).build()))
                .orElseThrow();
        assertThat(one.commitVersions()).containsExactly(25L);

        ResultDocument failed = ResultDocument.parse(ResultJson.toLine(base().status(Status.FAILED)
                .error(new ErrorInfo("x.Conflict", "/data/t: gave up after 3 attempts", true, null)).build())).orElseThrow();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.commitVersion()).isNull();
        assertThat(failed.commitVersions()).isEmpty();
        assertThat(failed.errorMessage()).isEqualTo("/data/t: gave up after 3 attempts");

        assertThat(ResultDocument.parse(null)).isEmpty();
        assertThat(ResultDocument.parse("not json {")).isEmpty();
        assertThat(ResultDocument.parse("[1]")).isEmpty();
    }
}
