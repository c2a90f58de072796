package io.deltaagent.submit.emr;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code emr-serverless} backend: one job run per job on an existing EMR Serverless application (release
 * emr-7.0.0 or later, type Spark), which scales its workers to the run and back to zero.
 *
 * @param applicationId    the EMR Serverless application
 * @param executionRoleArn the IAM role the run assumes: read/write on the tables, write on the result dir
 * @param executionTimeout the service cancels a run after this long even if the agent is gone
 */
public record EmrServerlessSettings(AwsApiSettings api, EmrJobSettings job, String applicationId,
                                    String executionRoleArn, Duration executionTimeout) {

    public static final String PREFIX = "backends.emr-serverless";
    public static final Duration DEFAULT_EXECUTION_TIMEOUT = Duration.ofHours(12);

    public EmrServerlessSettings {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(job, "job");
        String p = api.prefix();
        Settings.requireText(applicationId, p + ".application-id", "00fabcdefghijk09");
        Settings.require(applicationId.matches("[0-9a-z]+") && applicationId.length() <= 64, p + ".application-id",
                "must be an EMR Serverless application id (lower-case letters and digits), got " + applicationId);
        Settings.requireText(executionRoleArn, p + ".execution-role-arn", "arn:aws:iam::123456789012:role/delta-agent-job");
        Settings.require(executionRoleArn.matches("arn:(aws[a-zA-Z-]*):iam::\\d{12}:role/.+"), p + ".execution-role-arn",
                "must be an IAM role ARN such as arn:aws:iam::123456789012:role/delta-agent-job, got " + executionRoleArn);
        executionTimeout = executionTimeout == null ? DEFAULT_EXECUTION_TIMEOUT : executionTimeout;
        Settings.require(executionTimeout.toMinutes() >= 1 && executionTimeout.toMinutes() <= 1_000_000, p + ".execution-timeout",
                "must be at least 1m, got " + executionTimeout);
    }
}
