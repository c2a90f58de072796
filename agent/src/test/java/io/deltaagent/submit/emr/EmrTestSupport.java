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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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

    /** A submitter's run, as the interrupt tests start it. */
    interface Run {
        Object call() throws InterruptedException;
    }

    /**
     * Starts {@code run} on a thread of its own, interrupts that thread once {@code reached} holds (or after 10 s),
     * and returns what the run returned, or the InterruptedException it threw, within 20 s.
     */
    static Object interruptedWhen(BooleanSupplier reached, Run run) throws Exception {
        CompletableFuture<Thread> runner = new CompletableFuture<>();
        CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
            runner.complete(Thread.currentThread());
            try {
                return run.call();
            } catch (InterruptedException e) {
                return e;
            }
        });
        Thread thread = runner.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!reached.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        thread.interrupt();
        return result.get(20, TimeUnit.SECONDS);
    }
}
