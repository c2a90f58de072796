package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class FailureBackoffTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private final FailureBackoff backoff = new FailureBackoff(Duration.ofMinutes(10), Duration.ofHours(1));

    private static RunRecord run(RunState state, Instant ended) {
        return new RunRecord(1, "/t", "OPTIMIZE", "{}", "local", "", 1, ended.minusSeconds(60), ended.minusSeconds(60), ended,
                state, null, "{}", null, null, null, null, null, 1, 1, null, null, false, null, null);
    }

    @Test
    void doublesWithEachConsecutiveFailureUpToTheCeiling() {
        List<RunRecord> one = List.of(run(RunState.FAILED, T));
        assertThat(backoff.until(one, T.plusSeconds(60))).contains(T.plus(Duration.ofMinutes(10)));
        assertThat(backoff.until(one, T.plus(Duration.ofMinutes(10)))).isEmpty();
        List<RunRecord> three = List.of(run(RunState.TIMED_OUT, T), run(RunState.FAILED, T.minusSeconds(3600)),
                run(RunState.FAILED, T.minusSeconds(7200)));
        assertThat(backoff.until(three, T)).contains(T.plus(Duration.ofMinutes(40)));
        List<RunRecord> many = List.of(run(RunState.FAILED, T), run(RunState.FAILED, T), run(RunState.FAILED, T),
                run(RunState.FAILED, T), run(RunState.FAILED, T));
        assertThat(backoff.until(many, T)).contains(T.plus(Duration.ofHours(1)));
    }

    @Test
    void aSuccessEndsTheStreak() {
        List<RunRecord> runs = List.of(run(RunState.SUCCEEDED, T), run(RunState.FAILED, T.minusSeconds(60)));
        assertThat(FailureBackoff.consecutiveFailures(runs)).isZero();
        assertThat(backoff.until(runs, T)).isEmpty();
        assertThat(backoff.until(List.of(), T)).isEmpty();
    }
}
