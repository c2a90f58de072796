package io.deltaagent.submit.databricks;

import static io.deltaagent.testing.DatabricksStub.CANCEL;
import static io.deltaagent.testing.DatabricksStub.FILES;
import static io.deltaagent.testing.DatabricksStub.GET;
import static io.deltaagent.testing.DatabricksStub.LIST;
import static io.deltaagent.testing.DatabricksStub.SUBMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.core.DatabricksConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.ClusterSizing;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.testing.DatabricksStub;
import io.deltaagent.testing.DatabricksStub.Script;
import io.deltaagent.testing.DatabricksStub.Step;
import io.deltaagent.testing.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatabricksSubmitterTest {

    private static final String TOKEN = "dapi0123456789abcdef-test-only";
    private static final String TABLE = "s3://lake/events";
    private static final String RESULTS = "/Volumes/main/ops/delta_agent/results";
    private static final Duration LONG = Duration.ofMinutes(2);
    private static final long GIB = 1L << 30;

    private DatabricksStub stub;

    @BeforeEach
    void startStub() throws Exception {
        stub = DatabricksStub.start(TOKEN);
    }

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private DatabricksSettings.Builder settings() {
        return DatabricksSettings.builder(stub.url(), "15.4.x-scala2.12",
                        "/Volumes/main/ops/delta_agent/jars/delta-agent-spark-jobs-0.1.0.jar", RESULTS)
                .nodeTypeId("i3.xlarge")
                .pollInterval(Duration.ofMillis(20));
    }

    private DatabricksSubmitter submitter(DatabricksSettings settings) {
        return new DatabricksSubmitter(settings, new DatabricksConfig().setToken(TOKEN), Clock.systemUTC());
    }

    private DatabricksSubmitter submitter() {
        return submitter(settings().build());
    }

    private static JobSpec optimize(long bytes) {
        return new JobSpec(TABLE, MaintenanceAction.OPTIMIZE, "event_date >= '2024-01-03'", List.of(), null, bytes, 3);
    }

    private static String doc(String status) {
        return DatabricksStub.resultDocument(TABLE, "optimize", status, Instant.now());
    }

    @Test
    void aLaterProcessFollowsTheRunByItsHandleAndNeverSubmitsAgain() throws Exception {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            steps.add(Step.RUNNING);
        }
        steps.add(Step.SUCCESS);
        stub.nextRun(new Script(steps, doc("SUCCEEDED")));
        JobSpec spec = optimize(GIB);
        DatabricksSubmitter first = submitter();
        String handle = first.prepare(spec);
        assertThat(handle).isEqualTo(spec.idempotencyToken());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<JobOutcome> running = executor.submit(() -> first.run(spec, handle, LONG));
            // the job is running for its 30 polls only: probe often
            Eventually.await("the run's submission", Duration.ofSeconds(30), Duration.ofMillis(20), () -> stub.received(SUBMIT),
                    received -> !received.isEmpty());
            DatabricksSubmitter later = submitter(); // another agent process: it knows the handle only
            assertThat(later.poll(handle)).as("still running: nothing to settle yet").isEmpty();

            JobOutcome followed = later.resume(handle, LONG);

            assertThat(followed.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(followed.commitVersion()).isEqualTo(4L);
            assertThat(stub.received(SUBMIT)).as("followed, not submitted again").hasSize(1);
            assertThat(stub.runCount()).isEqualTo(1);
            assertThat(stub.received(LIST)).allSatisfy(r -> assertThat(r.query()).contains("run_type=SUBMIT_RUN")
                    .contains("expand_tasks=true").contains("start_time_from="));
            assertThat(later.poll(handle)).get().extracting(JobOutcome::state).isEqualTo(JobState.SUCCEEDED);
            assertThat(running.get(30, TimeUnit.SECONDS).state()).isEqualTo(JobState.SUCCEEDED);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aHandleWhoseJobNeverStartedEndsFailedAndStartsNothing() throws Exception {
        DatabricksSubmitter submitter = submitter();
        String handle = submitter.prepare(optimize(GIB));

        JobOutcome resumed = submitter.resume(handle, LONG);

        assertThat(resumed.state()).isEqualTo(JobState.FAILED);
        assertThat(resumed.message()).contains("job " + handle + " never started");
        assertThat(submitter.poll(handle)).get().extracting(JobOutcome::state).isEqualTo(JobState.FAILED);
        assertThat(stub.received(SUBMIT)).isEmpty();
        assertThat(stub.runCount()).isZero();
    }

    @Test
    void submitsOneJarTaskOnANewClusterAndFollowsItToSuccess() throws Exception {
        DatabricksSettings settings = settings()
                .driverNodeTypeId("r5.large")
                .policyId("POLICY-1")
                .customTags(Map.of("team", "data-platform"))
                .sparkConf(Map.of("spark.sql.shuffle.partitions", "64"))
                .sizing(new ClusterSizing(GIB, 1, 8))
                .runNamePrefix("nightly")
                .build();
        JobSpec spec = optimize(5 * GIB + 1);
        String document = doc("SUCCEEDED");
        stub.nextRun(new Script(List.of(Step.PENDING, Step.PENDING, Step.RUNNING, Step.SUCCESS), document));

        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobOutcome outcome;
        try (var scope = io.deltaagent.submit.JobProgress.install(new io.deltaagent.submit.JobProgress() {
            @Override
            public void submitted(String jobId, String runUrl) {
                progress.add(jobId + " " + runUrl);
            }

            @Override
            public void state(String state) {
                progress.add(state);
            }
        })) {
            outcome = submitter(settings).run(spec, Duration.ofMinutes(90));
        }

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(outcome.message()).isNull();
        assertThat(progress).as("the run's id, then its page from runs/get, then each life-cycle state")
                .startsWith("databricks run 1001 null")
                .contains("databricks run 1001 " + stub.url() + "/#job/0/run/1001", "PENDING", "RUNNING", "TERMINATED");
        assertThat(outcome.resultJson()).isEqualTo(document);
        assertThat(outcome.endedAt()).isAfterOrEqualTo(outcome.startedAt());
        assertThat(stub.received(GET)).hasSize(4); // PENDING, PENDING, RUNNING, TERMINATED
        assertThat(stub.received(CANCEL)).isEmpty();
        assertThat(stub.received(FILES)).singleElement()
                .satisfies(r -> assertThat(r.path()).isEqualTo("/api/2.0/fs/files" + RESULTS + "/" + spec.idempotencyToken() + ".json"));

        JsonNode body = stub.received(SUBMIT).get(0).json();
        assertThat(body.path("run_name").asText()).isEqualTo("nightly optimize " + TABLE);
        assertThat(body.path("idempotency_token").asText()).isEqualTo(spec.idempotencyToken());
        assertThat(body.path("timeout_seconds").asLong()).isEqualTo(5400);
        assertThat(body.path("tasks")).hasSize(1);
        JsonNode task = body.path("tasks").get(0);
        assertThat(task.path("task_key").asText()).isEqualTo("maintenance");
        assertThat(task.has("existing_cluster_id")).isFalse();
        assertThat(task.path("spark_jar_task").path("main_class_name").asText()).isEqualTo("io.deltaagent.jobs.MaintenanceJob");
        List<String> parameters = new ArrayList<>();
        task.path("spark_jar_task").path("parameters").forEach(p -> parameters.add(p.asText()));
        List<String> expected = new ArrayList<>(spec.jobArguments());
        expected.addAll(List.of("--result", RESULTS + "/" + spec.idempotencyToken() + ".json"));
        assertThat(parameters).isEqualTo(expected);
        assertThat(parameters).containsSubsequence("optimize", "--table", TABLE, "--where", "event_date >= '2024-01-03'");
        assertThat(task.path("libraries")).hasSize(1);
        assertThat(task.path("libraries").get(0).path("jar").asText())
                .isEqualTo("/Volumes/main/ops/delta_agent/jars/delta-agent-spark-jobs-0.1.0.jar");
        JsonNode cluster = task.path("new_cluster");
        assertThat(cluster.path("spark_version").asText()).isEqualTo("15.4.x-scala2.12");
        assertThat(cluster.path("num_workers").asLong()).isEqualTo(6); // ceil(5 GiB + 1 byte / 1 GiB)
        assertThat(cluster.path("node_type_id").asText()).isEqualTo("i3.xlarge");
        assertThat(cluster.path("driver_node_type_id").asText()).isEqualTo("r5.large");
        assertThat(cluster.has("instance_pool_id")).isFalse();
        assertThat(cluster.path("aws_attributes").path("availability").asText()).isEqualTo("SPOT_WITH_FALLBACK");
        assertThat(cluster.path("aws_attributes").path("first_on_demand").asLong()).isEqualTo(1);
        assertThat(cluster.path("policy_id").asText()).isEqualTo("POLICY-1");
        assertThat(cluster.path("data_security_mode").asText()).isEqualTo("SINGLE_USER");
        assertThat(cluster.path("spark_conf").path("spark.sql.shuffle.partitions").asText()).isEqualTo("64");
        assertThat(cluster.path("custom_tags").path("team").asText()).isEqualTo("data-platform");
        assertThat(cluster.path("custom_tags").path("delta-agent-table").asText()).isEqualTo(TABLE);
        assertThat(cluster.path("custom_tags").path("delta-agent-action").asText()).isEqualTo("optimize");
    }

    @Test
    void aPoolClusterNamesItsPoolsAndLeavesAvailabilityToThem() throws Exception {
        DatabricksSettings settings = DatabricksSettings.builder(stub.url(), "15.4.x-scala2.12", "dbfs:/jars/jobs.jar", RESULTS)
                .instancePoolId("pool-workers").driverInstancePoolId("pool-driver").pollInterval(Duration.ofMillis(20))
                .build();
        stub.nextRun(new Script(List.of(Step.SUCCESS), doc("SUCCEEDED")));

        DatabricksSubmitter submitter = submitter(settings);
        assertThat(submitter.run(optimize(0), LONG).state()).isEqualTo(JobState.SUCCEEDED);

        JsonNode cluster = stub.received(SUBMIT).get(0).json().path("tasks").get(0).path("new_cluster");
        assertThat(cluster.path("instance_pool_id").asText()).isEqualTo("pool-workers");
        assertThat(cluster.path("driver_instance_pool_id").asText()).isEqualTo("pool-driver");
        assertThat(cluster.has("node_type_id")).isFalse();
        assertThat(cluster.has("aws_attributes")).isFalse();
        assertThat(cluster.path("num_workers").asLong()).isEqualTo(1);
        assertThat(submitter.clusterSpec(optimize(0)))
                .isEqualTo("databricks job cluster 15.4.x-scala2.12, 1 workers, pool pool-workers (driver pool pool-driver)");
    }

    @Test
    void clusterSpecDescribesTheCompute() {
        DatabricksSubmitter submitter = submitter(settings().driverNodeTypeId("r5.large").policyId("P")
                .availability(DatabricksSettings.Availability.ON_DEMAND).sizing(new ClusterSizing(GIB, 2, 4)).build());
        assertThat(submitter.backend()).isEqualTo("databricks");
        assertThat(submitter.clusterSpec(optimize(100 * GIB))).isEqualTo("databricks job cluster 15.4.x-scala2.12, "
                + "4 workers of i3.xlarge (driver r5.large), on-demand (driver on demand), policy P");
    }

    @Test
    void aFailedRunIsFailedWithDatabricksMessageAndTheJobsOwn() throws Exception {
        String document = doc("FAILED");
        stub.nextRun(new Script(List.of(Step.RUNNING, Step.failed("Task maintenance failed with message: exit 2")), document));

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.resultJson()).isEqualTo(document);
        assertThat(outcome.message())
                .startsWith("databricks run 1001 TERMINATED/FAILED (RUN_EXECUTION_ERROR, CLIENT_ERROR): Task maintenance failed with message: exit 2")
                .contains("the job reported: " + TABLE + ": --where references event_id")
                .contains("/#job/0/run/1001");
    }

    @Test
    void anInternalErrorIsFailed() throws Exception {
        stub.nextRun(new Script(List.of(Step.PENDING, Step.internalError("Cluster could not be started: spot capacity")), null));

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.resultJson()).isNull();
        assertThat(outcome.message()).startsWith("databricks run 1001 INTERNAL_ERROR (INTERNAL_ERROR, INTERNAL_ERROR): "
                + "Cluster could not be started: spot capacity");
    }

    @Test
    void aSkippedRunIsFailed() throws Exception {
        stub.nextRun(new Script(List.of(Step.skipped("Skipped: workspace run limit reached")), null));

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.message()).contains("SKIPPED").contains("Skipped: workspace run limit reached");
    }

    @Test
    void aRunDatabricksTimedOutIsTimedOut() throws Exception {
        stub.nextRun(new Script(List.of(Step.RUNNING, Step.timedOut()), null));

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(outcome.message()).contains("TERMINATED/TIMEDOUT").contains("Run timed out after 3600 seconds");
        assertThat(stub.received(CANCEL)).isEmpty();
    }

    @Test
    void aRunCancelledInTheWorkspaceIsCancelled() throws Exception {
        stub.nextRun(new Script(List.of(Step.RUNNING, Step.canceled()), null));

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.CANCELLED);
        assertThat(outcome.message()).contains("TERMINATED/CANCELED (USER_CANCELED, SUCCESS): Run cancelled.");
    }

    @Test
    void theNewerStatusObjectAloneIsUnderstood() throws Exception {
        stub.nextRun(new Script(List.of(Step.statusOnly("QUEUED", null, null, "queued"),
                Step.statusOnly("RUNNING", null, null, ""),
                Step.statusOnly("TERMINATED", "SUCCESS", "SUCCESS", "")), doc("SUCCEEDED")));
        stub.nextRun(new Script(List.of(Step.statusOnly("TERMINATED", "USER_CANCELED", "SUCCESS", "stopped by ops")), null));
        stub.nextRun(new Script(List.of(Step.statusOnly("TERMINATED", "CLUSTER_ERROR", "CLOUD_FAILURE", "no capacity")), null));
        DatabricksSubmitter submitter = submitter();

        assertThat(submitter.run(optimize(GIB), LONG).state()).isEqualTo(JobState.SUCCEEDED);
        JobOutcome cancelled = submitter.run(new JobSpec(TABLE, MaintenanceAction.CHECKPOINT, null, List.of(), null, 0, 3), LONG);
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.message()).contains("TERMINATED (USER_CANCELED, SUCCESS): stopped by ops");
        JobOutcome failed = submitter.run(new JobSpec(TABLE, MaintenanceAction.CHECKPOINT, null, List.of(), null, 0, 4), LONG);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.message()).contains("(CLUSTER_ERROR, CLOUD_FAILURE): no capacity");
    }

    @Test
    void aStateThisSdkDoesNotKnowCountsAsRunning() throws Exception {
        Step future = new Step("HIBERNATING", null, "a state from a later API", "HIBERNATING", null, null);
        stub.nextRun(new Script(List.of(future, future, Step.SUCCESS), doc("SUCCEEDED")));

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stub.received(GET)).hasSize(3);
    }

    @Test
    void successWithoutAResultDocumentIsFailed() throws Exception {
        stub.nextRun(new Script(List.of(Step.RUNNING, Step.SUCCESS), null));
        JobSpec spec = optimize(GIB);

        JobOutcome outcome = submitter().run(spec, LONG);

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.resultJson()).isNull();
        assertThat(outcome.message()).startsWith("databricks run 1001 ended well but the job wrote no result document to "
                + RESULTS + "/" + spec.idempotencyToken() + ".json");
    }

    @Test
    void aResultDocumentFromAnEarlierRunIsNotTaken() throws Exception {
        JobSpec spec = optimize(GIB);
        stub.putFile(RESULTS + "/" + spec.idempotencyToken() + ".json",
                DatabricksStub.resultDocument(TABLE, "optimize", "SUCCEEDED", Instant.now().minus(Duration.ofDays(2))));
        stub.nextRun(new Script(List.of(Step.SUCCESS), null));

        JobOutcome outcome = submitter().run(spec, LONG);

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.message()).contains("is from an earlier run");
    }

    @Test
    void theAgentSideTimeoutCancelsTheRun() throws Exception {
        stub.nextRun(new Script(List.of(Step.PENDING, Step.RUNNING), null));

        JobOutcome outcome = submitter().run(optimize(GIB), Duration.ofMillis(300));

        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(outcome.message()).isEqualTo("databricks run 1001 ran longer than PT0.3S and was cancelled");
        assertThat(stub.received(CANCEL)).singleElement()
                .satisfies(r -> assertThat(r.json().path("run_id").asLong()).isEqualTo(1001));
        assertThat(stub.cancelled(1001)).isTrue();
        assertThat(stub.received(SUBMIT).get(0).json().path("timeout_seconds").asLong()).isEqualTo(1);
    }

    @Test
    void anInterruptCancelsTheRunThenThrows() throws Exception {
        stub.nextRun(new Script(List.of(Step.PENDING, Step.RUNNING), null));
        DatabricksSubmitter submitter = submitter();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<JobOutcome> running = executor.submit(() -> submitter.run(optimize(GIB), LONG));
            stub.await(r -> r.endpoint().equals(GET), Duration.ofSeconds(30));
            running.cancel(true);
            executor.shutdown();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            executor.shutdownNow();
        }
        assertThat(stub.received(CANCEL)).singleElement()
                .satisfies(r -> assertThat(r.json().path("run_id").asLong()).isEqualTo(1001));
        assertThat(stub.cancelled(1001)).isTrue();
    }

    @Test
    void anInterruptSurfacesAsInterruptedException() throws Exception {
        stub.nextRun(new Script(List.of(Step.RUNNING), null));
        DatabricksSubmitter submitter = submitter();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Thread[] worker = new Thread[1];
            Future<Throwable> running = executor.submit(() -> {
                worker[0] = Thread.currentThread();
                try {
                    submitter.run(optimize(GIB), LONG);
                    return null;
                } catch (InterruptedException e) {
                    return e;
                }
            });
            stub.await(r -> r.endpoint().equals(GET), Duration.ofSeconds(30));
            worker[0].interrupt();
            assertThat(running.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        } finally {
            executor.shutdownNow();
        }
        assertThat(stub.cancelled(1001)).isTrue();
    }

    @Test
    void anInterruptDuringARateLimitWaitEndsTheWaitAtOnce() throws Exception {
        stub.fail(SUBMIT, 429, Map.of("Retry-After", "60"), "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}");
        DatabricksSubmitter submitter = submitter();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        long start = System.nanoTime();
        try {
            Thread[] worker = new Thread[1];
            Future<Throwable> running = executor.submit(() -> {
                worker[0] = Thread.currentThread();
                try {
                    submitter.run(optimize(GIB), LONG);
                    return null;
                } catch (InterruptedException e) {
                    return e;
                }
            });
            stub.await(r -> r.endpoint().equals(SUBMIT), Duration.ofSeconds(30));
            worker[0].interrupt();
            assertThat(running.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class)
                    .hasMessageContaining("jobs/runs/submit interrupted");
        } finally {
            executor.shutdownNow();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(stub.received(SUBMIT)).hasSize(1);
        assertThat(stub.runCount()).isZero();
    }

    @Test
    void theSameJobSubmittedTwiceStartsOneRun() throws Exception {
        stub.nextRun(new Script(List.of(Step.RUNNING, Step.SUCCESS), doc("SUCCEEDED")));
        DatabricksSubmitter submitter = submitter();

        JobOutcome first = submitter.run(optimize(GIB), LONG);
        JobOutcome second = submitter.run(optimize(GIB), LONG);

        assertThat(stub.received(SUBMIT)).hasSize(2);
        assertThat(stub.runCount()).isEqualTo(1);
        assertThat(first.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(second.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(second.resultJson()).isEqualTo(first.resultJson());
    }

    @Test
    void aSubmitWhoseResponseIsLostIsRetriedWithoutASecondRun() throws Exception {
        stub.nextRun(new Script(List.of(Step.SUCCESS), doc("SUCCEEDED")));
        stub.dropResponse(SUBMIT);

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        List<DatabricksStub.Received> submits = stub.received(SUBMIT);
        assertThat(submits).hasSize(2);
        assertThat(submits.get(1).json().path("idempotency_token").asText())
                .isEqualTo(submits.get(0).json().path("idempotency_token").asText());
        assertThat(stub.runCount()).isEqualTo(1);
    }

    @Test
    void aRateLimitWithRetryAfterIsWaitedOut() throws Exception {
        stub.nextRun(new Script(List.of(Step.SUCCESS), doc("SUCCEEDED")));
        stub.fail(SUBMIT, 429, Map.of("Retry-After", "2"), "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}");

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        List<DatabricksStub.Received> submits = stub.received(SUBMIT);
        assertThat(submits).hasSize(2);
        assertThat(Duration.ofNanos(submits.get(1).atNanos() - submits.get(0).atNanos())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(stub.runCount()).isEqualTo(1);
    }

    @Test
    void aRateLimitWithoutRetryAfterBacksOffExponentially() throws Exception {
        stub.nextRun(new Script(List.of(Step.SUCCESS), doc("SUCCEEDED")));
        String body = "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}";
        stub.fail(SUBMIT, 429, Map.of(), body).fail(SUBMIT, 429, Map.of(), body);

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        List<DatabricksStub.Received> submits = stub.received(SUBMIT);
        assertThat(submits).hasSize(3);
        assertThat(Duration.ofNanos(submits.get(1).atNanos() - submits.get(0).atNanos())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(submits.get(2).atNanos() - submits.get(1).atNanos())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterOfZeroStillWaitsASecond() throws Exception {
        stub.nextRun(new Script(List.of(Step.SUCCESS), doc("SUCCEEDED")));
        stub.fail(SUBMIT, 429, Map.of("Retry-After", "0"), "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}");

        assertThat(submitter().run(optimize(GIB), LONG).state()).isEqualTo(JobState.SUCCEEDED);

        List<DatabricksStub.Received> submits = stub.received(SUBMIT);
        assertThat(Duration.ofNanos(submits.get(1).atNanos() - submits.get(0).atNanos())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterBeyondTheBudgetFailsAtOnceAsRetryable() throws Exception {
        stub.fail(SUBMIT, 429, Map.of("Retry-After", "3600"), "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}");
        long start = System.nanoTime();

        assertThatThrownBy(() -> submitter().run(optimize(GIB), LONG))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessage("databricks " + stub.url() + ": " + TABLE + ": jobs/runs/submit failed: HTTP 429 "
                        + "REQUEST_LIMIT_EXCEEDED: slow down; a further retry would wait 3600 s after 0 s already, beyond "
                        + "the backends.databricks.api-retry-budget of 120 s; try again later");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(stub.received(SUBMIT)).hasSize(1);
        assertThat(stub.runCount()).isZero();
    }

    @Test
    void serverErrorsAreRetriedByTheSdkThenReportedRetryableWithinTheBudget() throws Exception {
        String body = "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"backend hiccup\"}";
        for (int i = 0; i < 4; i++) {
            stub.fail(SUBMIT, 500, Map.of(), body);
        }
        DatabricksSubmitter submitter = submitter(settings().apiRetryBudget(Duration.ofMillis(2500)).build());

        assertThatThrownBy(() -> submitter.run(optimize(GIB), LONG))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageStartingWith("databricks " + stub.url() + ": " + TABLE + ": jobs/runs/submit failed: HTTP 500 "
                        + "INTERNAL_ERROR: backend hiccup; a further retry would wait");

        assertThat(stub.received(SUBMIT)).hasSize(2); // waited ~1 s, the next wait (~2 s) would pass 2.5 s
    }

    @Test
    void aServiceUnavailableIsRetriedToSuccess() throws Exception {
        stub.nextRun(new Script(List.of(Step.SUCCESS), doc("SUCCEEDED")));
        stub.fail(SUBMIT, 503, Map.of(), "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"try later\"}");
        stub.fail(GET, 502, Map.of(), "<html>bad gateway</html>");

        JobOutcome outcome = submitter().run(optimize(GIB), LONG);

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stub.received(SUBMIT)).hasSize(2);
        assertThat(stub.received(GET)).hasSize(2);
        assertThat(stub.runCount()).isEqualTo(1);
    }

    @Test
    void aRunWhoseStateCannotBeReadIsGivenUpAsRetryableAndFollowedAgainOnResubmit() throws Exception {
        stub.nextRun(new Script(List.of(Step.RUNNING, Step.SUCCESS), doc("SUCCEEDED")));
        for (int i = 0; i < 50; i++) {
            stub.fail(GET, 503, Map.of(), "{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"down\"}");
        }
        DatabricksSubmitter submitter = submitter(settings().apiRetryBudget(Duration.ofMillis(1500)).build());

        assertThatThrownBy(() -> submitter.run(optimize(GIB), LONG))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageStartingWith("databricks " + stub.url() + ": " + TABLE + ": jobs/runs/get of run 1001 failed: "
                        + "HTTP 503 TEMPORARILY_UNAVAILABLE: down")
                .hasMessageEndingWith("run 1001 may still be running: submitting the same job again follows it "
                        + "(same idempotency token)");
        int failedGets = stub.received(GET).size();
        assertThat(failedGets).isGreaterThanOrEqualTo(4); // more than one SDK call: failures were tolerated a while
        assertThat(stub.received(CANCEL)).isEmpty();

        stub.clearFaults();
        JobOutcome resumed = submitter.run(optimize(GIB), LONG);

        assertThat(resumed.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stub.runCount()).isEqualTo(1);
    }

    @Test
    void anUnreachableWorkspaceIsRetryable() throws Exception {
        DatabricksSettings settings = settings().apiRetryBudget(Duration.ofMillis(1500)).build();
        stub.close(); // nothing listens on its port any more

        assertThatThrownBy(() -> submitter(settings).run(optimize(GIB), LONG))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageStartingWith("databricks " + settings.host() + ": " + TABLE + ": jobs/runs/submit failed: ")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void forbiddenIsNotRetryableAndNeverShowsTheToken() throws Exception {
        stub.fail(SUBMIT, 403, Map.of(), "{\"error_code\":\"PERMISSION_DENIED\",\"message\":\"User lacks cluster create "
                + "permission\"}");

        assertThatThrownBy(() -> submitter().run(optimize(GIB), LONG))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("databricks " + stub.url() + ": " + TABLE + ": jobs/runs/submit failed: HTTP 403 "
                        + "PERMISSION_DENIED: User lacks cluster create permission; the identity the Databricks SDK "
                        + "authenticated as lacks the permission (or its credentials are invalid)")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain(TOKEN));

        assertThat(stub.received(SUBMIT)).hasSize(1); // no retries
    }

    @Test
    void aWrongTokenIsNotRetryable() {
        DatabricksSubmitter wrong = new DatabricksSubmitter(settings().build(),
                new DatabricksConfig().setToken("dapi-wrong-token-value"), Clock.systemUTC());

        assertThatThrownBy(() -> wrong.run(optimize(GIB), LONG))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageStartingWith("databricks " + stub.url() + ": " + TABLE + ": jobs/runs/submit failed: HTTP 401")
                .hasMessageContaining("check the credentials")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain("dapi-wrong-token-value"));
        assertThat(stub.runCount()).isZero();
    }

    @Test
    void aBadRequestNamesTheSettingsAndIsNotRetryable() {
        stub.fail(SUBMIT, 400, Map.of(), "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Node type i3.xlarge "
                + "is not supported\"}");

        assertThatThrownBy(() -> submitter().run(optimize(GIB), LONG))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageEndingWith("HTTP 400 INVALID_PARAMETER_VALUE: Node type i3.xlarge is not supported; check the "
                        + "backends.databricks.* settings");
    }

    @Test
    void missingCredentialsAreNotRetryableAndSayWhereToPutThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DATABRICKS_TOKEN") == null
                && System.getenv("DATABRICKS_CLIENT_ID") == null && System.getenv("DATABRICKS_CONFIG_PROFILE") == null,
                "the environment carries Databricks credentials");
        DatabricksSubmitter noCredentials = new DatabricksSubmitter(settings().build(),
                new DatabricksConfig().setConfigFile(dir.resolve("absent.databrickscfg").toString()), Clock.systemUTC());

        assertThatThrownBy(() -> noCredentials.run(optimize(GIB), LONG))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageStartingWith("databricks " + stub.url() + ": " + TABLE + ": no usable credentials: ")
                .hasMessageContaining("DATABRICKS_TOKEN");
        assertThat(stub.received(SUBMIT)).isEmpty();
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> submitter().run(optimize(GIB), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(TABLE);
        assertThat(stub.received(SUBMIT)).isEmpty();
    }

    private static String stackText(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t).append('\n');
        }
        return s.toString();
    }
}
