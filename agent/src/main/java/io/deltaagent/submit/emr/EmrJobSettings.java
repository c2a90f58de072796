package io.deltaagent.submit.emr;

import io.deltaagent.submit.ClusterSizing;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What both EMR backends need to run the spark-jobs application.
 *
 * @param jobsJar      s3:// URI of the spark-jobs jar (delta-agent-spark-jobs-*.jar)
 * @param resultDir    s3:// prefix the job writes its {@code --result} document under, as {@code <token>.json}
 * @param sparkConf    extra Spark settings ({@code spark.*}) for every job, e.g. executor memory
 * @param sizing       workers per job from the bytes it rewrites
 * @param tags         extra tags on every cluster / job run (cost allocation); delta-agent adds its own
 * @param pollInterval how often the job's state is read while it runs
 */
public record EmrJobSettings(String prefix, String jobsJar, String resultDir, Map<String, String> sparkConf,
                             ClusterSizing sizing, Map<String, String> tags, Duration pollInterval) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);

    public EmrJobSettings {
        Objects.requireNonNull(prefix, "prefix");
        jobsJar = Settings.requireS3(jobsJar, prefix + ".jobs-jar", "s3://my-bucket/delta-agent/delta-agent-spark-jobs.jar");
        Settings.require(jobsJar.endsWith(".jar"), prefix + ".jobs-jar", "must name the spark-jobs .jar file, got " + jobsJar);
        resultDir = Settings.requireS3(resultDir, prefix + ".result-dir", "s3://my-bucket/delta-agent/results");
        sparkConf = Settings.requireSparkConf(sparkConf, prefix + ".spark-conf");
        sizing = sizing == null ? ClusterSizing.DEFAULT : sizing;
        tags = Tags.validate(tags, prefix + ".tags");
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        Settings.requirePositive(pollInterval, prefix + ".poll-interval", "30s");
    }

    /** Where the job with this idempotency token writes its result document. */
    String resultUri(String token) {
        return resultDir + "/" + token + ".json";
    }
}
