package io.deltaagent.submit.emr;

import io.deltaagent.submit.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.emrserverless.model.JobDriver;
import software.amazon.awssdk.services.emrserverless.model.SparkSubmit;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunRequest;

/** The StartJobRun request of one job. */
final class EmrServerlessRequests {

    /** Delta as EMR Serverless documents it for 7.x: its jars from the image, Delta's extension and catalog. */
    static final Map<String, String> DELTA_CONF = Map.of(
            "spark.jars", "/usr/share/aws/delta/lib/delta-spark.jar,/usr/share/aws/delta/lib/delta-storage.jar",
            "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");

    private EmrServerlessRequests() {
    }

    static StartJobRunRequest startJobRun(EmrServerlessSettings s, JobSpec spec, Duration timeout) {
        List<String> args = new ArrayList<>(spec.jobArguments());
        args.add("--result");
        args.add(s.job().resultUri(spec.idempotencyToken()));
        return StartJobRunRequest.builder()
                .applicationId(s.applicationId())
                .executionRoleArn(s.executionRoleArn())
                // EMR Serverless starts one run per client token: a retried submit returns the first run
                .clientToken(spec.idempotencyToken())
                .name(name(spec))
                .jobDriver(JobDriver.builder().sparkSubmit(SparkSubmit.builder()
                        .entryPoint(s.job().jobsJar())
                        .entryPointArguments(args)
                        .sparkSubmitParameters(sparkSubmitParameters(s, spec))
                        .build()).build())
                .executionTimeoutMinutes(executionTimeoutMinutes(s, timeout))
                .tags(Tags.forJob(s.job().tags(), spec))
                .build();
    }

    static String name(JobSpec spec) {
        String name = EmrClusterRequests.NAME_PREFIX + spec.action().name().toLowerCase(Locale.ROOT) + " " + spec.table();
        return name.length() <= 256 ? name : name.substring(0, 256);
    }

    /**
     * The service-side limit: the configured one, or the agent's own timeout when that is shorter, so a run never
     * outlives the agent's interest in it even when the agent dies before it can cancel.
     */
    static long executionTimeoutMinutes(EmrServerlessSettings s, Duration timeout) {
        long agent = Math.max(1, (timeout.toSeconds() + 59) / 60);
        return Math.min(s.executionTimeout().toMinutes(), agent);
    }

    static int executors(EmrServerlessSettings s, JobSpec spec) {
        return s.job().sizing().workers(spec.bytesToRewrite());
    }

    static String sparkSubmitParameters(EmrServerlessSettings s, JobSpec spec) {
        int executors = executors(s, spec);
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.instances", Integer.toString(executors));
        // the serverless default lets dynamic allocation grow far past what the job was sized for
        conf.put("spark.dynamicAllocation.maxExecutors", Integer.toString(executors));
        conf.putAll(new TreeMap<>(DELTA_CONF));
        conf.putAll(new TreeMap<>(s.job().sparkConf()));
        StringBuilder p = new StringBuilder("--class ").append(EmrClusterRequests.MAIN_CLASS);
        conf.forEach((k, v) -> p.append(" --conf ").append(k).append('=').append(v));
        return p.toString();
    }

    static String describe(EmrServerlessSettings s, JobSpec spec) {
        return "EMR Serverless application " + s.applicationId() + ": " + executors(s, spec) + " executors at most";
    }
}
