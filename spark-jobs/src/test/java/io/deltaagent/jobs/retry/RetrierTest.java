package io.deltaagent.jobs.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.exceptions.ConcurrentAppendException;
import io.delta.exceptions.ConcurrentDeleteReadException;
import io.deltaagent.jobs.error.ConflictRetriesExhaustedException;
import io.deltaagent.jobs.result.ExitCode;
import io.deltaagent.jobs.spark.DeltaConflicts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** The retry loop with Delta's real conflict exceptions, a recording sleeper and fixed jitter. */
class RetrierTest {
    private final List<Duration> sleeps = new ArrayList<>();
    private final Retrier retrier = new Retrier(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30)),
            DeltaConflicts::isConflict, sleeps::add, () -> 0.5);

    @Test
    void retriesConflictsWithGrowingBackoffUntilAnAttemptSucceeds() {
        AtomicInteger attempts = new AtomicInteger();

        String result = retrier.call("s3a://lake/events", attempts, n -> {
            if (n < 3) {
                throw new ConcurrentAppendException("Files were added to partition [event_date=2024-01-01]");
            }
            return "done on " + n;
        });

        assertThat(result).isEqualTo("done on 3");
        assertThat(attempts).hasValue(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500));
    }

    @Test
    void givesUpAfterMaxAttemptsWithARetryableErrorThatNamesTheTable() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call("s3a://lake/events", attempts, n -> {
            // wrapped, and checked: Spark's Scala code throws SparkException without declaring it
            throw sneaky(new SparkException("job aborted", new ConcurrentDeleteReadException("file was deleted")));
        }))
                .isInstanceOfSatisfying(ConflictRetriesExhaustedException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.exitCode()).isEqualTo(ExitCode.CONFLICT);
                })
                .hasMessageStartingWith("s3a://lake/events: gave up after 3 attempts")
                .hasMessageContaining("SparkException")
                .hasMessageContaining("--max-attempts");
        assertThat(attempts).hasValue(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void rethrowsOtherCheckedFailuresUnchanged() {
        SparkException failure = new SparkException("Job aborted due to stage failure");

        assertThatThrownBy(() -> retrier.call("t", new AtomicInteger(), n -> {
            throw sneaky(failure);
        })).isSameAs(failure);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception e) throws E {
        throw (E) e;
    }

    @Test
    void doesNotRetryOtherFailures() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call("t", attempts, n -> {
            throw new IllegalStateException("disk full");
        })).isInstanceOf(IllegalStateException.class).hasMessage("disk full");
        assertThat(attempts).hasValue(1);
        assertThat(sleeps).isEmpty();
    }
}
