package io.deltaagent.submit.databricks;

import com.databricks.sdk.service.compute.AwsAttributes;
import com.databricks.sdk.service.compute.AwsAvailability;
import com.databricks.sdk.service.compute.ClusterSpec;
import com.databricks.sdk.service.compute.DataSecurityMode;
import com.databricks.sdk.service.compute.Library;
import com.databricks.sdk.service.jobs.SparkJarTask;
import com.databricks.sdk.service.jobs.SubmitRun;
import com.databricks.sdk.service.jobs.SubmitTask;
import io.deltaagent.submit.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a {@link JobSpec} into a one-time {@code jobs/runs/submit} request: one {@code spark_jar_task} on a
 * {@code new_cluster} made for the run (never an existing all-purpose cluster), deduplicated by the job's
 * idempotency token.
 */
final class RunRequests {

    static final String MAIN_CLASS = "io.deltaagent.jobs.MaintenanceJob";
    static final String TASK_KEY = "maintenance";
    /** AWS and Azure both cap tag values at 256 characters. */
    private static final int MAX_TAG_VALUE = 256;

    private final DatabricksSettings settings;

    RunRequests(DatabricksSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Where the run writes its result document: one file per job, named by its idempotency token. */
    String resultPath(JobSpec spec) {
        return resultPath(spec.idempotencyToken());
    }

    /** Where the job with {@code idempotencyToken} writes its result: the token names the file. */
    String resultPath(String idempotencyToken) {
        return settings.resultDir() + "/" + idempotencyToken + ".json";
    }

    String runName(JobSpec spec) {
        return settings.runNamePrefix() + " " + action(spec) + " " + spec.table();
    }

    SubmitRun submitRun(JobSpec spec, Duration timeout) {
        List<String> parameters = new ArrayList<>(spec.jobArguments());
        parameters.add("--result");
        parameters.add(resultPath(spec));
        SubmitTask task = new SubmitTask()
                .setTaskKey(TASK_KEY)
                .setSparkJarTask(new SparkJarTask().setMainClassName(MAIN_CLASS).setParameters(parameters))
                .setLibraries(List.of(new Library().setJar(settings.jobsJar())))
                .setNewCluster(cluster(spec));
        return new SubmitRun()
                .setRunName(runName(spec))
                .setIdempotencyToken(spec.idempotencyToken())
                .setTimeoutSeconds(timeoutSeconds(timeout))
                .setTasks(List.of(task));
    }

    ClusterSpec cluster(JobSpec spec) {
        Map<String, String> tags = new LinkedHashMap<>(settings.customTags());
        tags.put("delta-agent-table", truncate(spec.table()));
        tags.put("delta-agent-action", action(spec));
        ClusterSpec cluster = new ClusterSpec()
                .setSparkVersion(settings.sparkVersion())
                .setNumWorkers((long) settings.sizing().workers(spec.bytesToRewrite()))
                .setDataSecurityMode(DataSecurityMode.valueOf(settings.dataSecurityMode()))
                .setCustomTags(tags);
        if (settings.instancePoolId() != null) {
            cluster.setInstancePoolId(settings.instancePoolId()).setDriverInstancePoolId(settings.driverInstancePoolId());
        } else {
            cluster.setNodeTypeId(settings.nodeTypeId()).setDriverNodeTypeId(settings.driverNodeTypeId());
        }
        if (settings.sendsAwsAttributes()) {
            cluster.setAwsAttributes(new AwsAttributes()
                    .setAvailability(AwsAvailability.valueOf(settings.availability().name()))
                    .setFirstOnDemand(1L)); // the driver: losing it to a spot reclaim loses the run
        }
        if (settings.policyId() != null) {
            cluster.setPolicyId(settings.policyId());
        }
        if (!settings.sparkConf().isEmpty()) {
            cluster.setSparkConf(new LinkedHashMap<>(settings.sparkConf()));
        }
        return cluster;
    }

    /** One line for the run record: what compute the job gets. */
    String describe(JobSpec spec) {
        StringBuilder s = new StringBuilder("databricks job cluster ").append(settings.sparkVersion()).append(", ")
                .append(settings.sizing().workers(spec.bytesToRewrite())).append(" workers");
        if (settings.instancePoolId() != null) {
            s.append(", pool ").append(settings.instancePoolId());
            if (settings.driverInstancePoolId() != null) {
                s.append(" (driver pool ").append(settings.driverInstancePoolId()).append(')');
            }
        } else {
            s.append(" of ").append(settings.nodeTypeId());
            if (settings.driverNodeTypeId() != null) {
                s.append(" (driver ").append(settings.driverNodeTypeId()).append(')');
            }
        }
        if (settings.sendsAwsAttributes()) {
            s.append(", ").append(settings.availability().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append(" (driver on demand)");
        }
        if (settings.policyId() != null) {
            s.append(", policy ").append(settings.policyId());
        }
        return s.toString();
    }

    static long timeoutSeconds(Duration timeout) {
        long seconds = timeout.toSeconds();
        return timeout.toNanosPart() > 0 || seconds == 0 ? seconds + 1 : seconds;
    }

    static String action(JobSpec spec) {
        return spec.action().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String truncate(String value) {
        return value.length() <= MAX_TAG_VALUE ? value : value.substring(0, MAX_TAG_VALUE);
    }
}
