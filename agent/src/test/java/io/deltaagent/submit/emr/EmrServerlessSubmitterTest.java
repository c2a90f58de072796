package io.deltaagent.submit.emr;

import static io.deltaagent.submit.emr.EmrTestSupport.CREDENTIALS;
import static io.deltaagent.submit.emr.EmrTestSupport.optimize;
import static io.deltaagent.submit.emr.EmrTestSupport.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.error.ConfigException;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.testing.S3TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emr-serverless backend against a loopback EMR Serverless API stub and a real S3 protocol server. */
class EmrServerlessSubmitterTest {

    private static final String APP = "00fabcdefghijk09";
    private static final String ROLE = "arn:aws:iam::123456789012:role/delta-agent-job";
    private static JobResultWriter writer;
    private EmrServerlessStub stub;
    private EmrServerlessSubmitter submitter;

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
        stub = new EmrServerlessStub(writer, APP);
        submitter = new EmrServerlessSubmitter(settings(3, Duration.ofHours(2)), CREDENTIALS, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        submitter.close();
        stub.close();
    }

    private EmrServerlessSettings settings(int maxAttempts, Duration executionTimeout) {
        return new EmrServerlessSettings(EmrTestSupport.api(EmrServerlessSettings.PREFIX, stub.endpoint(), maxAttempts),
                EmrTestSupport.job(EmrServerlessSettings.PREFIX), APP, ROLE, executionTimeout);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static long millisBetween(AwsStubServer.Call a, AwsStubServer.Call b) {
        return TimeUnit.NANOSECONDS.toMillis(b.nanos() - a.nanos());
    }

    @Test
    void startsOneJobRunWalksItsStatesAndReadsItsResult() throws Exception {
        stub.next(null, "PENDING", "SCHEDULED", "QUEUED", "RUNNING", "RUNNING", "SUCCESS");
        JobSpec spec = optimize(table());
        String token = spec.idempotencyToken();

        JobOutcome outcome = submitter.run(spec, Duration.ofMinutes(30));

        assertThat(outcome.state()).as(outcome.message()).isEqualTo(JobState.SUCCEEDED);
        JsonNode result = AwsStubServer.JSON.readTree(outcome.resultJson());
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("table").asText()).isEqualTo(spec.table());
        assertThat(stub.calls("GetJobRun")).hasSize(6);

        AwsStubServer.Call start = stub.calls("StartJobRun").get(0);
        assertThat(start.method()).isEqualTo("POST");
        assertThat(start.path()).isEqualTo("/applications/" + APP + "/jobruns");
        assertThat(start.header("Content-Type")).startsWith("application/json");
        assertThat(start.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + S3TestServer.ACCESS_KEY + "/")
                .contains("/us-east-1/emr-serverless/aws4_request");
        JsonNode r = start.body();
        assertThat(r.has("applicationId")).as("applicationId travels in the path").isFalse();
        assertThat(r.get("clientToken").asText()).isEqualTo(token);
        assertThat(r.get("executionRoleArn").asText()).isEqualTo(ROLE);
        assertThat(r.get("name").asText()).isEqualTo("delta-agent optimize " + spec.table());
        assertThat(r.get("executionTimeoutMinutes").asLong()).isEqualTo(30); // the agent's timeout is shorter than 2h
        JsonNode submit = r.get("jobDriver").get("sparkSubmit");
        String bucket = EmrTestSupport.bucket();
        assertThat(submit.get("entryPoint").asText()).isEqualTo("s3://" + bucket + "/jars/delta-agent-spark-jobs-0.1.0.jar");
        assertThat(texts(submit.get("entryPointArguments"))).containsExactly("optimize", "--table", spec.table(),
                "--where", "event_date >= '2024-01-03'", "--run-tag", token,
                "--result", "s3://" + bucket + "/results/" + token + ".json");
        assertThat(submit.get("sparkSubmitParameters").asText()).isEqualTo("--class io.deltaagent.jobs.MaintenanceJob"
                + " --conf spark.executor.instances=3 --conf spark.dynamicAllocation.maxExecutors=3"
                + " --conf spark.jars=/usr/share/aws/delta/lib/delta-spark.jar,/usr/share/aws/delta/lib/delta-storage.jar"
                + " --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog"
                + " --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension"
                + " --conf spark.executor.memory=8g");
        JsonNode tags = r.get("tags");
        assertThat(tags.get("delta-agent:table").asText()).isEqualTo(spec.table());
        assertThat(tags.get("delta-agent:action").asText()).isEqualTo("optimize");
        assertThat(tags.get("delta-agent:token").asText()).isEqualTo(token);
        assertThat(tags.get("team").asText()).isEqualTo("data-platform");

        String runId = stub.calls("GetJobRun").get(0).path().replaceAll(".*/", "");
        assertThat(stub.calls("GetJobRun")).allMatch(c -> c.path().equals("/applications/" + APP + "/jobruns/" + runId));
        assertThat(stub.calls("CancelJobRun")).isEmpty();
        assertThat(submitter.clusterSpec(spec)).isEqualTo("EMR Serverless application " + APP + ": 3 executors at most");
    }

    @Test
    void failedRunCarriesTheServicesDetailsAndTheJobsResult() throws Exception {
        stub.next("Job failed, please check complete logs in configured logging destination. ExitCode: 1. Last few exceptions: "
                + "org.apache.spark.SparkException: Job aborted due to stage failure", "RUNNING", "FAILED");
        JobOutcome outcome = submitter.run(optimize(table()), Duration.ofMinutes(30));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.message()).startsWith("EMR Serverless job run ").contains("on application " + APP + " FAILED: Job failed",
                "ExitCode: 1", "Job aborted due to stage failure");
        assertThat(AwsStubServer.JSON.readTree(outcome.resultJson()).get("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void runCancelledOutsideTheAgentIsCancelled() throws Exception {
        stub.next(null, "RUNNING", "CANCELLING", "CANCELLED");
        JobOutcome outcome = submitter.run(optimize(table()), Duration.ofMinutes(30));

        assertThat(outcome.state()).isEqualTo(JobState.CANCELLED);
        assertThat(outcome.message()).contains("CANCELLED");
        assertThat(outcome.resultJson()).isNull();
        assertThat(stub.calls("CancelJobRun")).isEmpty();
    }

    @Test
    void runThatOutlivesTheTimeoutIsCancelled() throws Exception {
        stub.next(null, "PENDING", "RUNNING");
        JobOutcome outcome = submitter.run(optimize(table()), Duration.ofMillis(400));

        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        List<AwsStubServer.Call> cancel = stub.calls("CancelJobRun");
        assertThat(cancel).hasSize(1);
        assertThat(cancel.get(0).method()).isEqualTo("DELETE");
        String runId = cancel.get(0).path().replaceAll(".*/", "");
        assertThat(cancel.get(0).path()).isEqualTo("/applications/" + APP + "/jobruns/" + runId);
        assertThat(outcome.message()).contains("longer than PT0.4S", "job run " + runId + " was cancelled");
        assertThat(stub.calls("StartJobRun").get(0).body().get("executionTimeoutMinutes").asLong()).isEqualTo(1);
    }

    @Test
    void interruptCancelsTheRunThenRethrows() throws Exception {
        stub.next(null, "PENDING", "RUNNING");
        JobSpec spec = optimize(table());
        Object ended = EmrTestSupport.interruptedWhen(() -> stub.calls("GetJobRun").size() >= 3,
                () -> submitter.run(spec, Duration.ofMinutes(5)));
        assertThat(ended).isInstanceOf(InterruptedException.class);
        List<AwsStubServer.Call> cancel = stub.calls("CancelJobRun");
        assertThat(cancel).hasSize(1);
        assertThat(stub.state(cancel.get(0).path().replaceAll(".*/", ""))).isEqualTo("CANCELLING");
    }

    @Test
    void interruptWhileStartJobRunIsAnsweredStillCancelsTheRun() throws Exception {
        stub.next(null, "PENDING", "RUNNING");
        stub.delay("StartJobRun", 1500);
        JobSpec spec = optimize(table());
        Object ended = EmrTestSupport.interruptedWhen(() -> !stub.calls("StartJobRun").isEmpty(),
                () -> submitter.run(spec, Duration.ofMinutes(5)));
        assertThat(ended).isInstanceOf(InterruptedException.class);
        assertThat(stub.runsStarted()).isEqualTo(1);
        assertThat(stub.calls("GetJobRun")).isEmpty();
        List<AwsStubServer.Call> cancel = stub.calls("CancelJobRun");
        assertThat(cancel).hasSize(1);
        assertThat(stub.state(cancel.get(0).path().replaceAll(".*/", ""))).isEqualTo("CANCELLING");
    }

    @Test
    void resubmitOfTheSameJobFollowsTheFirstRunByItsClientToken() throws Exception {
        stub.next(null, "PENDING", "RUNNING", "RUNNING", "RUNNING", "SUCCESS");
        JobSpec spec = optimize(table());
        stub.fail("GetJobRun", 3, 503, "ServiceUnavailableException", "Service unavailable", null);
        assertThatThrownBy(() -> submitter.run(spec, Duration.ofMinutes(30)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageStartingWith("emr-serverless: GetJobRun");
        assertThat(stub.calls("CancelJobRun")).isEmpty();

        JobOutcome outcome = submitter.run(spec, Duration.ofMinutes(30));

        assertThat(outcome.state()).as(outcome.message()).isEqualTo(JobState.SUCCEEDED);
        List<AwsStubServer.Call> starts = stub.calls("StartJobRun");
        assertThat(starts).hasSize(2);
        assertThat(starts).allMatch(c -> c.body().get("clientToken").asText().equals(spec.idempotencyToken()));
        assertThat(stub.runsStarted()).isEqualTo(1);
        // another job (a checkpoint of the same table) is a run of its own
        JobSpec checkpoint = new JobSpec(spec.table(), MaintenanceAction.CHECKPOINT, null, List.of(), null, 0, 7);
        assertThat(submitter.run(checkpoint, Duration.ofMinutes(30)).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(stub.runsStarted()).isEqualTo(2);
    }

    @Test
    void throttlingWithRetryAfterWaitsAsLongAsTheServiceAsks() throws Exception {
        stub.fail("StartJobRun", 1, 429, "ThrottlingException", "Rate exceeded", 2);
        JobOutcome outcome = submitter.run(optimize(table()), Duration.ofMinutes(30));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        List<AwsStubServer.Call> attempts = stub.calls("StartJobRun");
        assertThat(attempts).hasSize(2);
        // 2 s asked for; the backoff alone (300 ms base) would have waited at most 300 ms
        assertThat(millisBetween(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(2000);
    }

    @Test
    void throttlingWithoutRetryAfterBacksOffAndGivesUpAfterTheAttempts() throws Exception {
        stub.fail("StartJobRun", 10, 429, "ThrottlingException", "Rate exceeded", null);
        JobSpec spec = optimize(table());

        assertThatThrownBy(() -> submitter.run(spec, Duration.ofMinutes(30)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageStartingWith("emr-serverless: StartJobRun on application " + APP + " for " + spec.table() + " was throttled")
                .hasMessageContaining("HTTP 429 ThrottlingException: Rate exceeded");
        List<AwsStubServer.Call> attempts = stub.calls("StartJobRun");
        assertThat(attempts).hasSize(3);
        assertThat(millisBetween(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(150);
        assertThat(millisBetween(attempts.get(1), attempts.get(2))).isGreaterThanOrEqualTo(300);
        assertThat(stub.runsStarted()).isZero();
    }

    @Test
    void refusedAccessIsNotRetriedAndItsMessageCarriesNoSecret() throws Exception {
        stub.fail("StartJobRun", 1, 403, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/agent is not "
                + "authorized to perform: emr-serverless:StartJobRun on resource: " + APP + " (ASIAY34FZKBOKMUTVV7A)", null);

        assertThatThrownBy(() -> submitter.run(optimize(table()), Duration.ofMinutes(30)))
                .isInstanceOfSatisfying(BackendException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).startsWith("emr-serverless: StartJobRun on application " + APP)
                            .contains("was refused (HTTP 403 AccessDeniedException", "emr-serverless:StartJobRun",
                                    "grant the permission or fix the credentials")
                            .doesNotContain("ASIAY34FZKBOKMUTVV7A", S3TestServer.SECRET_KEY, S3TestServer.ACCESS_KEY);
                });
        assertThat(stub.calls("StartJobRun")).hasSize(1);
    }

    @Test
    void unknownApplicationIsNotRetriedAndPointsAtTheSettings() throws Exception {
        EmrServerlessSettings wrong = new EmrServerlessSettings(
                EmrTestSupport.api(EmrServerlessSettings.PREFIX, stub.endpoint(), 3),
                EmrTestSupport.job(EmrServerlessSettings.PREFIX), "00fnosuchapp", ROLE, null);
        try (EmrServerlessSubmitter other = new EmrServerlessSubmitter(wrong, CREDENTIALS, Clock.systemUTC())) {
            assertThatThrownBy(() -> other.run(optimize(table()), Duration.ofMinutes(30)))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageStartingWith("emr-serverless: StartJobRun on application 00fnosuchapp")
                    .hasMessageContaining("ResourceNotFoundException: Application 00fnosuchapp does not exist")
                    .hasMessageContaining("check the backends.emr-serverless settings");
        }
        assertThat(stub.calls("StartJobRun")).hasSize(1);
    }

    @Test
    void badSettingsNameTheSetting() {
        var api = EmrTestSupport.api(EmrServerlessSettings.PREFIX, stub.endpoint(), 3);
        var job = EmrTestSupport.job(EmrServerlessSettings.PREFIX);
        assertThatThrownBy(() -> new EmrServerlessSettings(api, job, null, ROLE, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr-serverless.application-id: is required");
        assertThatThrownBy(() -> new EmrServerlessSettings(api, job, APP, "delta-agent-job", null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr-serverless.execution-role-arn: ");
        assertThatThrownBy(() -> new EmrServerlessSettings(api, job, APP, ROLE, Duration.ofSeconds(20)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr-serverless.execution-timeout: ");
        assertThatThrownBy(() -> new EmrJobSettings(EmrServerlessSettings.PREFIX, "s3://b/jobs.txt", "s3://b/r", null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr-serverless.jobs-jar: ");
        assertThatThrownBy(() -> new EmrJobSettings(EmrServerlessSettings.PREFIX, "s3://b/jobs.jar", "s3://b/r", null, null, null,
                Duration.ZERO))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("backends.emr-serverless.poll-interval: ");
    }
}
