package io.deltaagent.submit.emr;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code emr} backend: one transient EMR cluster per job, instance fleets with spot task capacity that falls
 * back to on-demand.
 *
 * @param releaseLabel        EMR release, {@code emr-7.0.0} or later (Spark 3.5 with Delta 3, what spark-jobs is built for)
 * @param subnetId            VPC subnet of the cluster
 * @param serviceRole         the EMR service role (e.g. EMR_DefaultRole_V2)
 * @param jobFlowRole         the EC2 instance profile of the cluster's nodes (e.g. EMR_EC2_DefaultRole); it needs
 *                            read/write on the tables and write on the result dir
 * @param logUri              s3:// prefix for the cluster's logs (step logs are what a failure message points at)
 * @param masterInstanceType  instance type of the primary node
 * @param workerInstanceTypes instance types the core and task fleets may use (more types, better spot odds)
 * @param spotTimeout         how long the task fleet waits for spot capacity before it switches to on-demand
 */
public record EmrSettings(AwsApiSettings api, EmrJobSettings job, String releaseLabel, String subnetId,
                          String serviceRole, String jobFlowRole, String logUri, String masterInstanceType,
                          List<String> workerInstanceTypes, Duration spotTimeout) {

    public static final String PREFIX = "backends.emr";
    public static final Duration DEFAULT_SPOT_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern RELEASE = Pattern.compile("emr-(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");

    public EmrSettings {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(job, "job");
        String p = api.prefix();
        Settings.requireText(releaseLabel, p + ".release-label", "emr-7.5.0");
        Matcher m = RELEASE.matcher(releaseLabel);
        Settings.require(m.matches(), p + ".release-label", "must look like emr-7.5.0, got " + releaseLabel);
        Settings.require(Integer.parseInt(m.group(1)) >= 7, p + ".release-label",
                "spark-jobs needs Spark 3.5 with Delta 3, which EMR ships from emr-7.0.0 on; got " + releaseLabel);
        Settings.requireText(subnetId, p + ".subnet-id", "subnet-0123456789abcdef0");
        Settings.require(subnetId.matches("subnet-[0-9a-f]+"), p + ".subnet-id", "must be a subnet id such as subnet-0123456789abcdef0, got " + subnetId);
        Settings.requireText(serviceRole, p + ".service-role", "EMR_DefaultRole_V2");
        Settings.requireText(jobFlowRole, p + ".job-flow-role", "EMR_EC2_DefaultRole (an instance profile)");
        logUri = Settings.requireS3(logUri, p + ".log-uri", "s3://my-bucket/emr-logs");
        Settings.requireText(masterInstanceType, p + ".master-instance-type", "m7g.xlarge");
        Settings.require(INSTANCE_TYPE.matcher(masterInstanceType).matches(), p + ".master-instance-type",
                "must be an EC2 instance type such as m7g.xlarge, got " + masterInstanceType);
        Settings.require(workerInstanceTypes != null && !workerInstanceTypes.isEmpty() && workerInstanceTypes.size() <= 30,
                p + ".worker-instance-types", "needs 1 to 30 EC2 instance types, e.g. [r7g.2xlarge, r6g.2xlarge]");
        workerInstanceTypes = List.copyOf(workerInstanceTypes);
        for (String t : workerInstanceTypes) {
            Settings.require(INSTANCE_TYPE.matcher(t).matches(), p + ".worker-instance-types",
                    "must be EC2 instance types such as r7g.2xlarge, got " + t);
        }
        spotTimeout = spotTimeout == null ? DEFAULT_SPOT_TIMEOUT : spotTimeout;
        Settings.require(spotTimeout.toMinutes() >= 5 && spotTimeout.toMinutes() <= 1440
                        && spotTimeout.equals(Duration.ofMinutes(spotTimeout.toMinutes())), p + ".spot-timeout",
                "must be whole minutes from 5m to 1440m (EMR's spot provisioning timeout), got " + spotTimeout);
    }
}
