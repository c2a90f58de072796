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
 * @param budgetPerDay the daily budget in the backends' currency, or null
 * @param budgetComputeHoursPerDay the daily budget in compute-hours, or null (at most one of the two is set)
 * @param learningRuns the latest measured runs that correct a prediction
 * @param shadow decide and record, never submit
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
        Double budgetPerDay,
        Double budgetComputeHoursPerDay,
        int learningRuns,
        boolean shadow,
        int storageRequestBudget,
        Duration throttleBackoff,
        Duration maxThrottleBackoff) {

    public DaemonSettings {
        maxConcurrentJobsPerBackend = Map.copyOf(maxConcurrentJobsPerBackend);
        Objects.requireNonNull(httpAddress, "httpAddress");
        if (budgetPerDay != null && budgetComputeHoursPerDay != null) {
            throw new IllegalArgumentException("daemon.budget-per-day and daemon.budget-compute-hours-per-day are both set: "
                    + "a budget is counted in one unit; keep one of them");
        }
    }

    /** This settings' daemon, in shadow mode ({@code daemon --shadow}). */
    public DaemonSettings shadowed() {
        return new DaemonSettings(maxConcurrentJobs, maxConcurrentJobsPerBackend, maxConcurrentAudits, jobTimeout, failureBackoff,
                maxFailureBackoff, shutdownGrace, httpAddress, httpTokenEnv, httpTokenFile, instanceId, clusterCheckinInterval,
                incrementalAudits, fullAuditInterval, budgetPerDay, budgetComputeHoursPerDay, learningRuns, true, storageRequestBudget,
                throttleBackoff, maxThrottleBackoff);
    }

    /** True when a daily budget (in either unit) is set. */
    public boolean budgeted() {
        return budgetPerDay != null || budgetComputeHoursPerDay != null;
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
                v.get(DaemonOptions.BUDGET_PER_DAY), v.get(DaemonOptions.BUDGET_COMPUTE_HOURS_PER_DAY),
                v.get(DaemonOptions.LEARNING_RUNS), v.get(DaemonOptions.SHADOW),
                v.get(DaemonOptions.STORAGE_REQUEST_BUDGET), v.get(DaemonOptions.THROTTLE_BACKOFF), v.get(DaemonOptions.MAX_THROTTLE_BACKOFF));
    }

    /** The cap for {@code backend}: its own limit, never above the overall one. */
    public int maxJobsOn(String backendName) {
        return Math.min(maxConcurrentJobs, maxConcurrentJobsPerBackend.getOrDefault(backendName, maxConcurrentJobs));
    }
}
