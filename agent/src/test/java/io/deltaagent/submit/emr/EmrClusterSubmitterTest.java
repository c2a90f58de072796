package io.deltaagent.submit.emr;

import static io.deltaagent.submit.emr.EmrTestSupport.CREDENTIALS;
import static io.deltaagent.submit.emr.EmrTestSupport.optimize;
import static io.deltaagent.submit.emr.EmrTestSupport.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.error.ConfigException;
import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.testing.S3TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emr backend against a loopback EMR API stub, reading result documents from a real S3 protocol server. */
class EmrClusterSubmitterTest {

    private static JobResultWriter writer;
    private EmrStub stub;
    private EmrClusterSubmitter submitter;

    @BeforeAll
    static void s3() {
        writer = new JobResultWriter(S3TestServer.shared());
        EmrTestSupport.bucket();
    }

    @AfterAll
    static void closeWriter() {
        writer.close();
    }

    @BeforeEach
    void start() throws Exception {
        stub = new EmrStub(writer);
        submitter = new EmrClusterSubmitter(settings(3), CREDENTIALS, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        submitter.close();
        stub.close();
    }

    private EmrSettings settings(int maxAttempts) {
        return new EmrSettings(EmrTestSupport.api(EmrSettings.PREFIX, stub.endpoint(), maxAttempts),
                EmrTestSupport.job(EmrSettings.PREFIX), "emr-7.5.0", "subnet-0a1b2c3d", "EMR_DefaultRole_V2",
                "EMR_EC2_DefaultRole", "s3://logs-bucket/emr/", "m7g.xlarge", List.of("r7g.2xlarge", "r6g.2xlarge"),
                Duration.ofMinutes(15));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void runsTheJobAsTheOnlyStepOfATransientClusterAndReadsItsResult() throws Exception {
        stub.next(EmrStub.Script.steps("PENDING", "RUNNING", "RUNNING", "COMPLETED"));
        JobSpec spec = optimize(table());
        String token = spec.idempotencyToken();

        JobOutcome outcome = submitter.run(spec, Duration.ofMinutes(1));

        assertThat(outcome.state()).as(outcome.message()).isEqualTo(JobState.SUCCEEDED);
        assertThat(outcome.message()).isNull();
        JsonNode result = AwsStubServer.JSON.readTree(outcome.resultJson());
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("table").asText()).isEqualTo(spec.table());
        assertThat(result.get("filesRemoved").asLong()).isEqualTo(150);
        assertThat(outcome.endedAt()).isAfterOrEqualTo(outcome.startedAt());

        // the wire: AWS JSON 1.1, signed for elasticmapreduce with the given (dummy) key
        List<AwsStubServer.Call> runs = stub.calls("RunJobFlow");
        assertThat(runs).hasSize(1);
        AwsStubServer.Call call = runs.get(0);
        assertThat(call.header("X-Amz-Target")).isEqualTo("ElasticMapReduce.RunJobFlow");
        assertThat(call.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(call.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + S3TestServer.ACCESS_KEY + "/")
                .contains("/us-east-1/elasticmapreduce/aws4_request");

        JsonNode r = call.body();
        assertThat(r.get("Name").asText()).isEqualTo("delta-agent " + token);
        assertThat(r.get("ReleaseLabel").asText()).isEqualTo("emr-7.5.0");
        assertThat(r.get("LogUri").asText()).isEqualTo("s3://logs-bucket/emr");
        assertThat(r.get("ServiceRole").asText()).isEqualTo("EMR_DefaultRole_V2");
        assertThat(r.get("JobFlowRole").asText()).isEqualTo("EMR_EC2_DefaultRole");
        assertThat(r.get("Applications")).hasSize(1);
        assertThat(r.get("Applications").get(0).get("Name").asText()).isEqualTo("Spark");

        JsonNode instances = r.get("Instances");
        assertThat(instances.get("KeepJobFlowAliveWhenNoSteps").asBoolean(true)).isFalse();
        assertThat(instances.get("KeepJobFlowAliveWhenNoSteps").isBoolean()).isTrue();
        assertThat(instances.get("TerminationProtected").asBoolean(true)).isFalse();
        assertThat(texts(instances.get("Ec2SubnetIds"))).containsExactly("subnet-0a1b2c3d");
        JsonNode fleets = instances.get("InstanceFleets");
        assertThat(fleets).hasSize(3);
        JsonNode master = fleets.get(0);
        assertThat(master.get("InstanceFleetType").asText()).isEqualTo("MASTER");
        assertThat(master.get("TargetOnDemandCapacity").asInt()).isEqualTo(1);
        assertThat(master.get("TargetSpotCapacity").asInt()).isZero();
        assertThat(master.get("InstanceTypeConfigs").get(0).get("InstanceType").asText()).isEqualTo("m7g.xlarge");
        JsonNode core = fleets.get(1);
        assertThat(core.get("InstanceFleetType").asText()).isEqualTo("CORE");
        assertThat(core.get("TargetOnDemandCapacity").asInt()).isEqualTo(1);
        assertThat(core.get("TargetSpotCapacity").asInt()).isZero();
        JsonNode task = fleets.get(2);
        assertThat(task.get("InstanceFleetType").asText()).isEqualTo("TASK");
        assertThat(task.get("TargetOnDemandCapacity").asInt()).isZero();
        assertThat(task.get("TargetSpotCapacity").asInt()).isEqualTo(3); // 40 GiB at 16 GiB a worker
        assertThat(task.get("InstanceTypeConfigs").findValuesAsText("InstanceType")).containsExactly("r7g.2xlarge", "r6g.2xlarge");
        assertThat(task.get("InstanceTypeConfigs").findValues("WeightedCapacity")).allMatch(n -> n.asInt() == 1);
        JsonNode spot = task.get("LaunchSpecifications").get("SpotSpecification");
        assertThat(spot.get("TimeoutAction").asText()).isEqualTo("SWITCH_TO_ON_DEMAND");
        assertThat(spot.get("TimeoutDurationMinutes").asInt()).isEqualTo(15);
        assertThat(spot.get("AllocationStrategy").asText()).isEqualTo("capacity-optimized");

        JsonNode configs = r.get("Configurations");
        assertThat(configs.get(0).get("Classification").asText()).isEqualTo("delta-defaults");
        assertThat(configs.get(0).get("Properties").get("delta.enabled").asText()).isEqualTo("true");
        assertThat(configs.get(1).get("Classification").asText()).isEqualTo("spark-defaults");
        JsonNode spark = configs.get(1).get("Properties");
        assertThat(spark.get("spark.sql.extensions").asText()).isEqualTo("io.delta.sql.DeltaSparkSessionExtension");
        assertThat(spark.get("spark.sql.catalog.spark_catalog").asText()).isEqualTo("org.apache.spark.sql.delta.catalog.DeltaCatalog");
        assertThat(spark.get("spark.executor.memory").asText()).isEqualTo("8g");

        JsonNode steps = r.get("Steps");
        assertThat(steps).hasSize(1);
        assertThat(steps.get(0).get("ActionOnFailure").asText()).isEqualTo("TERMINATE_CLUSTER");
        assertThat(steps.get(0).get("HadoopJarStep").get("Jar").asText()).isEqualTo("command-runner.jar");
        String bucket = EmrTestSupport.bucket();
        assertThat(texts(steps.get(0).get("HadoopJarStep").get("Args"))).containsExactly(
                "spark-submit", "--deploy-mode", "cluster", "--class", "io.deltaagent.jobs.MaintenanceJob",
                "s3://" + bucket + "/jars/delta-agent-spark-jobs-0.1.0.jar",
                "optimize", "--table", spec.table(), "--where", "event_date >= '2024-01-03'", "--run-tag", token,
                "--result", "s3://" + bucket + "/results/" + token + ".json");

        Map<String, String> tags = new java.util.HashMap<>();
        r.get("Tags").forEach(t -> tags.put(t.get("Key").asText(), t.get("Value").asText()));
        assertThat(tags).containsEntry("delta-agent:table", spec.table()).containsEntry("delta-agent:action", "optimize")
                .containsEntry("delta-agent:token", token).containsEntry("team", "data-platform");

        // it looked for a running cluster of the job first, and only among active ones
        AwsStubServer.Call list = stub.calls("ListClusters").get(0);
        assertThat(texts(list.body().get("ClusterStates"))).containsExactlyInAnyOrder("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING");
        assertThat(stub.calls().indexOf(list)).isLessThan(stub.calls().indexOf(call));
        assertThat(stub.calls("TerminateJobFlows")).isEmpty();
        assertThat(submitter.clusterSpec(spec)).contains("emr-7.5.0", "task 3 spot", "on-demand after 15m", "r7g.2xlarge/r6g.2xlarge");
    }

    @Test
    void failedStepReportsItsFailureDetailsAndTheJobsResult() throws Exception {
        stub.next(new EmrStub.Script(List.of("RUNNING", "FAILED"), Map.of("Reason", "Spark application failed",
                "Message", "Job aborted due to stage failure: Task 3 in stage 2.0 failed 4 times",
                "LogFile", "s3://logs-bucket/emr/j-101/steps/s-101/stderr.gz"), null));
        JobSpec spec = optimize(table());

        JobOutcome outcome = submitter.run(spec, Duration.ofMinutes(1));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.message()).startsWith("EMR step s-").contains(" FAILED: Spark application failed: Job aborted due to stage failure",
                "; log: s3://logs-bucket/emr/j-101/steps/s-101/stderr.gz");
        JsonNode result = AwsStubServer.JSON.readTree(outcome.resultJson());
        assertThat(result.get("status").asText()).isEqualTo("FAILED");
        assertThat(result.get("error").get("class").asText()).isEqualTo("org.apache.spark.SparkException");
    }

    @Test
    void clusterThatFailsToStartFailsTheJobWithTheClustersReason() throws Exception {
        stub.next(new EmrStub.Script(List.of("PENDING"), null, List.of("VALIDATION_ERROR",
                "The subnet subnet-0a1b2c3d does not have enough free addresses")));
        JobOutcome outcome = submitter.run(optimize(table()), Duration.ofMinutes(1));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.message()).contains("TERMINATED_WITH_ERRORS", "VALIDATION_ERROR", "does not have enough free addresses");
        assertThat(outcome.resultJson()).isNull();
    }

    @Test
    void cancelledStepIsCancelled() throws Exception {
        stub.next(EmrStub.Script.steps("RUNNING", "CANCELLED"));
        JobOutcome outcome = submitter.run(optimize(table()), Duration.ofMinutes(1));

        assertThat(outcome.state()).isEqualTo(JobState.CANCELLED);
        assertThat(outcome.message()).contains("CANCELLED");
        assertThat(outcome.resultJson()).isNull();
    }

    @Test
    void stepThatOutlivesTheTimeoutHasItsClusterTerminated() throws Exception {
        stub.next(EmrStub.Script.steps("PENDING", "RUNNING"));
        JobOutcome outcome = submitter.run(optimize(table()), Duration.ofMillis(400));

        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        String clusterId = stub.calls("ListSteps").get(0).body().get("ClusterId").asText();
        assertThat(outcome.message()).contains("longer than PT0.4S", clusterId + " was terminated");
        List<AwsStubServer.Call> terminate = stub.calls("TerminateJobFlows");
        assertThat(terminate).hasSize(1);
        assertThat(texts(terminate.get(0).body().get("JobFlowIds"))).containsExactly(clusterId);
        assertThat(stub.clusterState(clusterId)).isEqualTo("TERMINATED");
    }

    @Test
    void interruptTerminatesTheClusterThenRethrows() throws Exception {
        stub.next(EmrStub.Script.steps("PENDING", "RUNNING"));
        JobSpec spec = optimize(table());
        Object ended = EmrTestSupport.interruptedWhen(() -> stub.calls("DescribeStep").size() >= 3,
                () -> submitter.run(spec, Duration.ofMinutes(5)));
        assertThat(ended).isInstanceOf(InterruptedException.class);
        List<AwsStubServer.Call> terminate = stub.calls("TerminateJobFlows");
        assertThat(terminate).hasSize(1);
        String clusterId = terminate.get(0).body().get("JobFlowIds").get(0).asText();
        assertThat(stub.clusterState(clusterId)).isEqualTo("TERMINATED");
    }

    @Test
    void interruptWhileRunJobFlowIsAnsweredStillTerminatesTheClusterItStarted() throws Exception {
        stub.next(EmrStub.Script.steps("PENDING", "RUNNING"));
        stub.delay("RunJobFlow", 1500);
        JobSpec spec = optimize(table());
        Object ended = EmrTestSupport.interruptedWhen(() -> !stub.calls("RunJobFlow").isEmpty(),
                () -> submitter.run(spec, Duration.ofMinutes(5)));
        assertThat(ended).isInstanceOf(InterruptedException.class);
        assertThat(stub.calls("DescribeStep")).isEmpty();
        List<AwsStubServer.Call> terminate = stub.calls("TerminateJobFlows");
        assertThat(terminate).hasSize(1);
        assertThat(stub.clusterState(terminate.get(0).body().get("JobFlowIds").get(0).asText())).isEqualTo("TERMINATED");
    }

    @Test
    void resubmitOfTheSameJobFollowsItsRunningClusterInsteadOfStartingAnother() throws Exception {
        stub.next(EmrStub.Script.steps("PENDING", "RUNNING", "RUNNING", "RUNNING", "COMPLETED"));
        JobSpec spec = optimize(table());
        // the first attempt loses the API while the cluster runs: DescribeStep refused through every retry
        stub.fail("DescribeStep", 3, 500, "InternalServerError", "Internal error", null);
        assertThatThrownBy(() -> submitter.run(spec, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageStartingWith("emr: DescribeStep");
        assertThat(stub.calls("TerminateJobFlows")).isEmpty();

        // the retry (same spec, same token) finds the cluster by name and follows it to its end
        JobOutcome outcome = submitter.run(spec, Duration.ofMinutes(1));

        assertThat(outcome.state()).as(outcome.message()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stub.calls("RunJobFlow")).hasSize(1);
        assertThat(stub.calls("ListClusters")).hasSize(2);
        // a different job (another table version) does get a cluster of its own
        JobSpec next = new JobSpec(spec.table(), spec.action(), spec.where(), spec.zorderBy(), null, spec.bytesToRewrite(), 8);
        assertThat(submitter.run(next, Duration.ofMinutes(1)).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stub.calls("RunJobFlow")).hasSize(2);
    }

    @Test
    void resubmitFindsItsClusterAmongManyActiveOnesPastTheFirstPage() throws Exception {
        stub.next(EmrStub.Script.steps("PENDING", "RUNNING", "RUNNING", "COMPLETED"));
        JobSpec spec = optimize(table());
        stub.fail("DescribeStep", 3, 503, "ServiceUnavailable", "Service unavailable", null);
        assertThatThrownBy(() -> submitter.run(spec, Duration.ofMinutes(1))).isInstanceOf(BackendException.class);
        stub.othersRunning(5); // newer than the job's cluster: it is on the last of 3 pages now

        JobOutcome outcome = submitter.run(spec, Duration.ofMinutes(1));

        assertThat(outcome.state()).as(outcome.message()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stub.calls("RunJobFlow")).hasSize(1);
        List<AwsStubServer.Call> lists = stub.calls("ListClusters");
        assertThat(lists.get(lists.size() - 1).body().get("Marker").asText()).isEqualTo("4");
        assertThat(stub.calls("TerminateJobFlows")).isEmpty();
    }

    @Test
    void completedStepWithoutAResultDocumentIsAFailureThatSaysWhere() throws Exception {
        stub.next(EmrStub.Script.steps("RUNNING", "COMPLETED").withoutResult());
        JobSpec spec = optimize(table());

        JobOutcome outcome = submitter.run(spec, Duration.ofMinutes(1));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.resultJson()).isNull();
        assertThat(outcome.message()).contains("ended well but the job wrote no result document to s3://"
                + EmrTestSupport.bucket() + "/results/" + spec.idempotencyToken() + ".json");
    }

    @Test
    void throttlingIsRetriedWithGrowingWaitsNotStormed() throws Exception {
        stub.fail("RunJobFlow", 2, 400, "ThrottlingException", "Rate exceeded", null);
        JobOutcome outcome = submitter.run(optimize(table()), Duration.ofMinutes(1));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        List<AwsStubServer.Call> attempts = stub.calls("RunJobFlow");
        assertThat(attempts).hasSize(3);
        // half-jitter backoff from a 300 ms base: the first wait is at least 150 ms, the second at least 300 ms
        long first = TimeUnit.NANOSECONDS.toMillis(attempts.get(1).nanos() - attempts.get(0).nanos());
        long second = TimeUnit.NANOSECONDS.toMillis(attempts.get(2).nanos() - attempts.get(1).nanos());
        assertThat(first).isGreaterThanOrEqualTo(150);
        assertThat(second).isGreaterThanOrEqualTo(300);
    }

    @Test
    void throttlingThroughEveryAttemptIsARetryableBackendException() throws Exception {
        stub.fail("RunJobFlow", 10, 400, "ThrottlingException", "Rate exceeded", null);
        JobSpec spec = optimize(table());

        assertThatThrownBy(() -> submitter.run(spec, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageStartingWith("emr: RunJobFlow for " + spec.table() + " was throttled")
                .hasMessageContaining("ThrottlingException: Rate exceeded");
        assertThat(stub.calls("RunJobFlow")).hasSize(3); // api-max-attempts, no more
    }

    @Test
    void refusedAccessIsNotRetriedAndItsMessageCarriesNoSecret() throws Exception {
        stub.fail("ListClusters", 1, 400, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/agent "
                + "(key AKIAIOSFODNN7EXAMPLE) is not authorized to perform: elasticmapreduce:ListClusters", null);
        JobSpec spec = optimize(table());

        assertThatThrownBy(() -> submitter.run(spec, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(BackendException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).startsWith("emr: ListClusters for " + spec.table() + " was refused")
                            .contains("elasticmapreduce:ListClusters", "grant the permission")
                            .doesNotContain("AKIAIOSFODNN7EXAMPLE", S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY);
                });
        assertThat(stub.calls("ListClusters")).hasSize(1);
        assertThat(stub.calls("RunJobFlow")).isEmpty();
    }

    @Test
    void rejectedRequestIsNotRetriedAndPointsAtTheSettings() throws Exception {
        stub.fail("RunJobFlow", 1, 400, "ValidationException", "The instance profile EMR_EC2_DefaultRole is invalid", null);

        assertThatThrownBy(() -> submitter.run(optimize(table()), Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageStartingWith("emr: RunJobFlow")
                .hasMessageContaining("instance profile EMR_EC2_DefaultRole is invalid")
                .hasMessageContaining("check the backends.emr settings");
        assertThat(stub.calls("RunJobFlow")).hasSize(1);
    }

    @Test
    void badSettingsNameTheSetting() {
        var api = EmrTestSupport.api(EmrSettings.PREFIX, stub.endpoint(), 3);
        var job = EmrTestSupport.job(EmrSettings.PREFIX);
        List<String> types = List.of("r7g.2xlarge");
        assertThatThrownBy(() -> new EmrSettings(api, job, "emr-6.15.0", "subnet-0a", "r", "p", "s3://l/x", "m7g.xlarge", types, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.release-label: ")
                .hasMessageContaining("emr-7.0.0");
        assertThatThrownBy(() -> new EmrSettings(api, job, "emr-7.5.0", null, "r", "p", "s3://l/x", "m7g.xlarge", types, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.subnet-id: is required");
        assertThatThrownBy(() -> new EmrSettings(api, job, "emr-7.5.0", "subnet-0a", "r", "p", "/tmp/logs", "m7g.xlarge", types, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.log-uri: must be an s3:// URI");
        assertThatThrownBy(() -> new EmrSettings(api, job, "emr-7.5.0", "subnet-0a", "r", "p", "s3://l/x", "m7g.xlarge", List.of(), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.worker-instance-types: ");
        assertThatThrownBy(() -> new EmrSettings(api, job, "emr-7.5.0", "subnet-0a", "r", "p", "s3://l/x", "m7g.xlarge", types,
                Duration.ofMinutes(2)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.spot-timeout: ");
        assertThatThrownBy(() -> new EmrJobSettings(EmrSettings.PREFIX, "s3://b/jobs.jar", "file:/tmp/results", null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.result-dir: must be an s3:// URI");
        assertThatThrownBy(() -> new EmrJobSettings(EmrSettings.PREFIX, "s3://b/jobs.jar", "s3://b/r", Map.of("spark.a", "x y"), null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.spark-conf.spark.a: ");
        assertThatThrownBy(() -> new EmrJobSettings(EmrSettings.PREFIX, "s3://b/jobs.jar", "s3://b/r", null, null,
                Map.of("delta-agent:table", "x"), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.tags: ");
        assertThatThrownBy(() -> new AwsApiSettings(EmrSettings.PREFIX, "mars-1", null, null, 3, Duration.ofSeconds(1)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.region: ");
        assertThatThrownBy(() -> new AwsApiSettings(EmrSettings.PREFIX, "us-east-1", null, null, 50, Duration.ofSeconds(1)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr.api-max-attempts: ");
    }
}
