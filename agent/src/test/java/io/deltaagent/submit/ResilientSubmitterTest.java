package io.deltaagent.submit;

import static io.deltaagent.testing.DatabricksStub.GET;
import static io.deltaagent.testing.DatabricksStub.SUBMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.core.DatabricksConfig;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.submit.databricks.DatabricksSettings;
import io.deltaagent.submit.databricks.DatabricksSubmitter;
import io.deltaagent.testing.DatabricksStub;
import io.deltaagent.testing.DatabricksStub.Script;
import io.deltaagent.testing.DatabricksStub.Step;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker and retries around a real backend client (the Databricks SDK) talking HTTP to a loopback
 * server that speaks the Jobs API: backend failures are retried with backoff and open the breaker; jobs that ran
 * and failed do neither.
 */
class ResilientSubmitterTest {

    private static final String TOKEN = "dapi-resilience-test-token";
    private static final String TABLE = "s3://lake/orders";
    private static final String ERROR = "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"backend hiccup\"}";

    private DatabricksStub stub;
    private DatabricksSubmitter databricks;

    @BeforeEach
    void start() throws Exception {
        stub = DatabricksStub.start(TOKEN);
        DatabricksSettings settings = DatabricksSettings.builder(stub.url(), "15.4.x-scala2.12", "/Volumes/m/o/jars/jobs.jar",
                        "/Volumes/m/o/results")
                .nodeTypeId("i3.xlarge")
                .pollInterval(Duration.ofMillis(20))
                .apiRetryBudget(Duration.ofMillis(1)) // the SDK gives up at once: every attempt below is one HTTP submit
                .build();
        databricks = new DatabricksSubmitter(settings, new DatabricksConfig().setToken(TOKEN), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private static JobSpec spec(long version) {
        return new JobSpec(TABLE, MaintenanceAction.OPTIMIZE, null, List.of(), null, 1L << 30, version);
    }

    private static String doc(String status) {
        return DatabricksStub.resultDocument(TABLE, "optimize", status, Instant.now());
    }

    @Test
    void retriesBackendFailuresWithGrowingWaitsUntilTheJobRuns() throws Exception {
        ResilientSubmitter submitter = new ResilientSubmitter(databricks,
                new ResilientSubmitter.Policy(5, Duration.ofSeconds(120), 3, Duration.ofMillis(400), Duration.ofSeconds(5)));
        stub.fail(SUBMIT, 500, Map.of(), ERROR).fail(SUBMIT, 500, Map.of(), ERROR);
        stub.nextRun(new Script(List.of(Step.RUNNING, Step.SUCCESS), doc("SUCCEEDED")));

        JobOutcome outcome = submitter.run(spec(7), Duration.ofMinutes(1));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        List<DatabricksStub.Received> submits = stub.received(SUBMIT);
        assertThat(submits).hasSize(3);
        assertThat(stub.runCount()).isEqualTo(1);
        long firstWait = submits.get(1).atNanos() - submits.get(0).atNanos();
        long secondWait = submits.get(2).atNanos() - submits.get(1).atNanos();
        // 400 ms then 800 ms, each with +/-50% jitter: never an immediate retry
        assertThat(Duration.ofNanos(firstWait)).isBetween(Duration.ofMillis(200), Duration.ofMillis(1500));
        assertThat(Duration.ofNanos(secondWait)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(submits).extracting(r -> r.json().get("idempotency_token").asText()).containsOnly(spec(7).idempotencyToken());
    }

    @Test
    void aRetryAfterTheBackendStoppedAnsweringGetsWhatIsLeftOfTheJobTimeoutNotAllOfIt() throws Exception {
        // polls every 700 ms and tolerates unanswered polls for about 2.8 s before giving the attempt up
        DatabricksSubmitter slowPolls = new DatabricksSubmitter(DatabricksSettings.builder(stub.url(), "15.4.x-scala2.12",
                "/Volumes/m/o/jars/jobs.jar", "/Volumes/m/o/results").nodeTypeId("i3.xlarge").pollInterval(Duration.ofMillis(700))
                .apiRetryBudget(Duration.ofMillis(1)).build(), new DatabricksConfig().setToken(TOKEN), Clock.systemUTC());
        ResilientSubmitter submitter = new ResilientSubmitter(slowPolls,
                new ResilientSubmitter.Policy(5, Duration.ofSeconds(120), 3, Duration.ofMillis(100), Duration.ofMillis(200)));
        stub.nextRun(new Script(List.of(Step.RUNNING), null)); // runs until cancelled
        for (int i = 0; i < 5; i++) {
            // the workspace stops answering for about 3 s as the job runs: the first attempt gives up, the retry follows the
            // same run (same idempotency token)
            stub.fail(GET, 503, Map.of(), "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"down\"}");
        }
        Duration timeout = Duration.ofSeconds(4);
        long t0 = System.nanoTime();

        JobOutcome outcome = submitter.run(spec(9), timeout);

        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(stub.received(SUBMIT)).as("retried: the same run followed again").hasSizeGreaterThan(1);
        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(stub.runCount()).isEqualTo(1);
        // the retry came about 3 s in: with the whole timeout again it would end after about 7 s
        assertThat(took).as("one timeout for the job, whatever its attempts").isLessThan(timeout.plusSeconds(2));
    }

    @Test
    void opensAfterFiveConsecutiveFailuresRefusesAtOnceAndClosesAfterASuccessfulTrial() throws Exception {
        ResilientSubmitter submitter = new ResilientSubmitter(databricks,
                new ResilientSubmitter.Policy(5, Duration.ofSeconds(2), 1, Duration.ofMillis(100), Duration.ofSeconds(1)));
        for (int i = 0; i < 5; i++) {
            stub.fail(SUBMIT, 500, Map.of(), ERROR);
        }
        for (int i = 0; i < 5; i++) {
            long version = i;
            assertThatThrownBy(() -> submitter.run(spec(version), Duration.ofMinutes(1)))
                    .isInstanceOf(BackendException.class).hasMessageContaining("HTTP 500");
        }
        assertThat(submitter.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThatThrownBy(() -> submitter.run(spec(5), Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageStartingWith("databricks backend: circuit breaker open after repeated failures; not submitting OPTIMIZE for "
                        + TABLE);
        assertThat(stub.received(SUBMIT)).as("an open breaker sends nothing").hasSize(5);

        Thread.sleep(2_200);
        stub.nextRun(new Script(List.of(Step.SUCCESS), doc("SUCCEEDED")));
        assertThat(submitter.run(spec(6), Duration.ofMinutes(1)).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(submitter.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void jobsThatRanAndFailedAreNeitherRetriedNorCounted() throws Exception {
        ResilientSubmitter submitter = new ResilientSubmitter(databricks,
                new ResilientSubmitter.Policy(2, Duration.ofSeconds(120), 3, Duration.ofMillis(100), Duration.ofSeconds(1)));
        for (int i = 0; i < 3; i++) {
            stub.nextRun(new Script(List.of(Step.failed("OPTIMIZE failed: ConcurrentAppendException")), doc("FAILED")));
            JobOutcome outcome = submitter.run(spec(100 + i), Duration.ofMinutes(1));
            assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        }
        assertThat(stub.runCount()).as("one run per job, no retry of a failed job").isEqualTo(3);
        assertThat(submitter.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
