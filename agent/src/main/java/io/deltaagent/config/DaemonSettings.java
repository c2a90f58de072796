package io.deltaagent.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The daemon's own settings (the {@code daemon:} section of the config).
 *
 * @param httpTokenEnv environment variable with the HTTP bearer token, or null
 * @param httpTokenFile file with the HTTP bearer token, or null
 * @param instanceId null for the host name
 */
public record DaemonSettings(
        int maxConcurrentJobs,
        Map<String, Integer> maxConcurrentJobsPerBackend,
        int maxConcurrentAudits,
        Duration jobTimeout,
        Duration failureBackoff,
        Duration maxFailureBackoff,
        Duration shutdownGrace,
        String httpAddress,
        String httpTokenEnv,
        String httpTokenFile,
        String instanceId,
        Duration clusterCheckinInterval,
        boolean incrementalAudits,
        Duration fullAuditInterval,
        int storageRequestBudget,
        Duration throttleBackoff,
        Duration maxThrottleBackoff) {

    public DaemonSettings {
        maxConcurrentJobsPerBackend = Map.copyOf(maxConcurrentJobsPerBackend);
        Objects.requireNonNull(httpAddress, "httpAddress");
    }

    public static DaemonSettings defaults() {
        return from(OptionValues.builtIn());
    }

    public static DaemonSettings from(OptionValues v) {
        return new DaemonSettings(v.get(DaemonOptions.MAX_CONCURRENT_JOBS), v.get(DaemonOptions.MAX_CONCURRENT_JOBS_PER_BACKEND),
                v.get(DaemonOptions.MAX_CONCURRENT_AUDITS), v.get(DaemonOptions.JOB_TIMEOUT),
                v.get(DaemonOptions.FAILURE_BACKOFF), v.get(DaemonOptions.MAX_FAILURE_BACKOFF), v.get(DaemonOptions.SHUTDOWN_GRACE),
                v.get(DaemonOptions.HTTP_ADDRESS), v.get(DaemonOptions.HTTP_TOKEN_ENV), v.get(DaemonOptions.HTTP_TOKEN_FILE),
                v.get(DaemonOptions.INSTANCE_ID), v.get(DaemonOptions.CLUSTER_CHECKIN_INTERVAL),
                v.get(DaemonOptions.INCREMENTAL_AUDITS), v.get(DaemonOptions.FULL_AUDIT_INTERVAL),
                v.get(DaemonOptions.STORAGE_REQUEST_BUDGET), v.get(DaemonOptions.THROTTLE_BACKOFF), v.get(DaemonOptions.MAX_THROTTLE_BACKOFF));
    }

    /** The cap for {@code backend}: its own limit, never above the overall one. */
    public int maxJobsOn(String backendName) {
        return Math.min(maxConcurrentJobs, maxConcurrentJobsPerBackend.getOrDefault(backendName, maxConcurrentJobs));
    }
}
