package io.deltaagent.jobs.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.exceptions.ConcurrentAppendException;
import io.deltaagent.jobs.error.ConflictRetriesExhaustedException;
import io.deltaagent.jobs.error.InvalidInputException;
import io.deltaagent.jobs.error.TableNotFoundException;
import io.deltaagent.jobs.result.ErrorInfo;
import io.deltaagent.jobs.result.ExitCode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void mapsFailuresToExitCodes() {
        assertThat(Failures.exitCode(new TableNotFoundException("t: nope"))).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(Failures.exitCode(new InvalidInputException("t: bad"))).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(Failures.exitCode(new ConflictRetriesExhaustedException("t: gave up", 3,
                new ConcurrentAppendException("x")))).isEqualTo(ExitCode.CONFLICT);
        assertThat(Failures.exitCode(new IllegalStateException("boom"))).isEqualTo(ExitCode.FAILED);
    }

    @Test
    void describesUnexpectedFailuresWithTheTableFirstAndTheRootCause() {
        ErrorInfo info = Failures.describe("s3a://lake/events", "optimize",
                new RuntimeException("stage failed", new IOException("connection reset\nat line 2")));

        assertThat(info.className()).isEqualTo("java.lang.RuntimeException");
        assertThat(info.message()).isEqualTo("s3a://lake/events: optimize failed: RuntimeException: stage failed");
        assertThat(info.retryable()).isFalse();
        assertThat(info.cause()).isEqualTo("java.io.IOException: connection reset");
    }

    @Test
    void keepsOwnMessagesAndMarksExhaustedConflictsRetryable() {
        ErrorInfo info = Failures.describe("t", "optimize",
                new ConflictRetriesExhaustedException("t: gave up after 3 attempts", 3,
                        new ConcurrentAppendException("files added")));

        assertThat(info.message()).isEqualTo("t: gave up after 3 attempts");
        assertThat(info.retryable()).isTrue();
        assertThat(info.cause()).isEqualTo("io.delta.exceptions.ConcurrentAppendException: files added");
    }
}
