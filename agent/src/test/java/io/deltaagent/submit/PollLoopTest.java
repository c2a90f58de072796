package io.deltaagent.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The loop every remote backend follows its job with: ends, deadline, interrupt, and a service that cannot answer. */
@Tag("fast")
class PollLoopTest {

    private static final Clock CLOCK = Clock.systemUTC();

    /** A job whose service answers from a script: empty while running, then an outcome; records what was asked of it. */
    private static final class ScriptedJob implements PollLoop.RemoteJob {
        final List<String> calls = new ArrayList<>();
        final int runningLooks;
        final CountDownLatch looked = new CountDownLatch(1);

        ScriptedJob(int runningLooks) {
            this.runningLooks = runningLooks;
        }

        @Override
        public Optional<JobOutcome> look() {
            calls.add("look");
            looked.countDown();
            long looks = calls.stream().filter("look"::equals).count();
            return looks <= runningLooks ? Optional.empty()
                    : Optional.of(new JobOutcome(JobState.SUCCEEDED, null, CLOCK.instant(), "{}", null));
        }

        @Override
        public JobOutcome timedOut() {
            calls.add("timedOut");
            return new JobOutcome(JobState.TIMED_OUT, null, CLOCK.instant(), null, "stopped at the deadline");
        }

        @Override
        public void abandon() {
            calls.add("abandon");
        }
    }

    @Test
    void looksEveryIntervalUntilTheJobEnds() throws Exception {
        ScriptedJob job = new ScriptedJob(2);

        JobOutcome outcome = new PollLoop(CLOCK, Duration.ofMillis(20)).follow(job, CLOCK.instant().plusSeconds(60));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.calls).containsExactly("look", "look", "look");
    }

    @Test
    void atTheDeadlineTheJobIsStoppedOnceAndNotWaitedForAPollIntervalLonger() throws Exception {
        ScriptedJob job = new ScriptedJob(Integer.MAX_VALUE);
        long t0 = System.nanoTime();

        JobOutcome outcome = new PollLoop(CLOCK, Duration.ofMinutes(10)).follow(job, CLOCK.instant().plusMillis(300));

        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(job.calls).endsWith("timedOut").doesNotContain("abandon").filteredOn("timedOut"::equals).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the 10-minute interval is cut at the deadline")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void anInterruptStopsTheJobAndIsPassedOn() throws Exception {
        ScriptedJob job = new ScriptedJob(Integer.MAX_VALUE);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread follower = new Thread(() -> {
            try {
                new PollLoop(CLOCK, Duration.ofMinutes(10)).follow(job, Instant.now().plus(Duration.ofHours(1)));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        follower.start();
        assertThat(job.looked.await(30, TimeUnit.SECONDS)).isTrue();

        follower.interrupt();
        follower.join(30_000);

        assertThat(follower.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(job.calls).containsExactly("look", "abandon");
    }

    @Test
    void aServiceThatCannotAnswerEndsTheLoopWithoutStoppingTheJob() {
        // the job may still run: a retried submit follows it by its idempotency token, so it must not be cancelled here
        List<String> calls = new ArrayList<>();
        PollLoop.RemoteJob unreachable = new PollLoop.RemoteJob() {
            @Override
            public Optional<JobOutcome> look() {
                calls.add("look");
                throw new BackendException("service: connection refused", true, null);
            }

            @Override
            public JobOutcome timedOut() {
                calls.add("timedOut");
                return null;
            }

            @Override
            public void abandon() {
                calls.add("abandon");
            }
        };

        assertThatThrownBy(() -> new PollLoop(CLOCK, Duration.ofMillis(10)).follow(unreachable, CLOCK.instant().plusSeconds(60)))
                .isInstanceOf(BackendException.class).hasMessageContaining("connection refused");
        assertThat(calls).containsExactly("look");
    }
}
