package io.deltaagent.submit.emr;

import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.submit.ClusterSizing;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.testing.S3TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Settings and jobs the EMR backend tests share. */
final class EmrTestSupport {

    /** Dummy keys that the S3 test server accepts; the EMR stubs only record them. */
    static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY));
    static final Duration POLL = Duration.ofMillis(40);
    static final Duration THROTTLE_BASE = Duration.ofMillis(300);
    /** 16 GiB a worker, 1 to 20: a 40 GiB rewrite gets 3. */
    static final ClusterSizing SIZING = new ClusterSizing(16L << 30, 1, 20);

    private static String bucket;

    private EmrTestSupport() {
    }

    static synchronized String bucket() {
        if (bucket == null) {
            bucket = S3TestServer.shared().createBucket("emr-" + UUID.randomUUID().toString().substring(0, 8));
        }
        return bucket;
    }

    static AwsApiSettings api(String prefix, URI endpoint, int maxAttempts) {
        return new AwsApiSettings(prefix, "us-east-1", endpoint, S3TestServer.shared().endpoint(), maxAttempts, THROTTLE_BASE);
    }

    static EmrJobSettings job(String prefix) {
        return new EmrJobSettings(prefix, "s3://" + bucket() + "/jars/delta-agent-spark-jobs-0.1.0.jar",
                "s3://" + bucket() + "/results/", Map.of("spark.executor.memory", "8g"), SIZING,
                Map.of("team", "data-platform"), POLL);
    }

    /** An OPTIMIZE of two partitions of a table, 40 GiB to rewrite; each test its own table, so its own token. */
    static JobSpec optimize(String table) {
        return new JobSpec(table, MaintenanceAction.OPTIMIZE, "event_date >= '2024-01-03'", List.of(), null, 40L << 30, 7);
    }

    static String table() {
        return "s3://lake/events-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
