package io.deltaagent.submit.databricks;

import io.deltaagent.error.ConfigException;
import io.deltaagent.submit.ClusterSizing;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the Databricks backend runs jobs: the workspace, the job cluster each run gets, where the jobs jar lives
 * and where runs leave their result documents. Credentials are deliberately absent: they come only from the
 * Databricks SDK's default auth chain (DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET,
 * a ~/.databrickscfg profile), so they never sit in the agent's config file.
 *
 * @param host the workspace URL, https (plain http only for 127.0.0.1/localhost, i.e. tests)
 * @param sparkVersion the Databricks runtime, e.g. {@code 15.4.x-scala2.12} (Spark 3.5, as the jobs jar needs)
 * @param nodeTypeId worker node type; exactly one of it and {@code instancePoolId}
 * @param driverNodeTypeId driver node type, or null for the worker type; not with a pool
 * @param instancePoolId worker pool; the pool decides the node type and its spot/on-demand mix
 * @param driverInstancePoolId driver pool, or null for the worker pool; needs {@code instancePoolId}
 * @param policyId cluster policy applied to every job cluster, or null
 * @param availability AWS capacity for node-type clusters; the driver is always on demand (first_on_demand 1)
 * @param dataSecurityMode the cluster access mode; Unity Catalog volumes (jar, results) need
 *                         {@code SINGLE_USER} (dedicated) or {@code USER_ISOLATION} (standard)
 * @param customTags tags on every job cluster (cost attribution), besides the agent's own
 * @param jobsJar the spark-jobs jar: {@code /Volumes/...}, {@code dbfs:/...}, {@code s3://...} (or abfss/gs)
 * @param resultDir a Unity Catalog volume directory, {@code /Volumes/catalog/schema/volume/...}: each run writes
 *                  its result document there and the agent reads it back through the Files API
 * @param sparkConf extra Spark configuration for the job cluster
 * @param sizing workers per run, from the bytes the job rewrites
 * @param pollInterval how often a run's state is read; at least 5 s against a real workspace
 * @param runNamePrefix start of each run's name (then action and table)
 * @param apiRetryBudget the longest the SDK may spend waiting between retries of one API call (Retry-After
 *                       and backoff included); a call that would wait longer fails as retryable instead
 */
public record DatabricksSettings(String host, String sparkVersion, String nodeTypeId, String driverNodeTypeId,
                                 String instancePoolId, String driverInstancePoolId, String policyId,
                                 Availability availability, String dataSecurityMode, Map<String, String> customTags,
                                 String jobsJar, String resultDir, Map<String, String> sparkConf, ClusterSizing sizing,
                                 Duration pollInterval, String runNamePrefix, Duration apiRetryBudget) {

    /** Prefix of the config keys these settings come from; errors name the key. */
    public static final String PREFIX = "backends.databricks.";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_API_RETRY_BUDGET = Duration.ofMinutes(2);
    public static final String DEFAULT_RUN_NAME_PREFIX = "delta-agent";
    public static final String DEFAULT_DATA_SECURITY_MODE = "SINGLE_USER";
    /** Tag keys the agent sets on every cluster itself. */
    static final Set<String> AGENT_TAGS = Set.of("delta-agent-table", "delta-agent-action");

    /** AWS {@code aws_attributes.availability}; {@code UNSET} sends no aws_attributes (Azure, GCP, or a policy decides). */
    public enum Availability { SPOT_WITH_FALLBACK, SPOT, ON_DEMAND, UNSET }

    public DatabricksSettings {
        host = validHost(host);
        sparkVersion = required(sparkVersion, "spark-version");
        nodeTypeId = blankToNull(nodeTypeId);
        driverNodeTypeId = blankToNull(driverNodeTypeId);
        instancePoolId = blankToNull(instancePoolId);
        driverInstancePoolId = blankToNull(driverInstancePoolId);
        policyId = blankToNull(policyId);
        if (nodeTypeId != null && instancePoolId != null) {
            throw invalid("instance-pool-id", "is set together with " + PREFIX + "node-type-id; Databricks refuses a "
                    + "cluster with both (the pool decides the node type): set only one");
        }
        if (nodeTypeId == null && instancePoolId == null) {
            throw invalid("node-type-id", "is missing: set it (e.g. i3.xlarge) or " + PREFIX + "instance-pool-id");
        }
        if (driverInstancePoolId != null && instancePoolId == null) {
            throw invalid("driver-instance-pool-id", "needs " + PREFIX + "instance-pool-id for the workers");
        }
        if (driverNodeTypeId != null && instancePoolId != null) {
            throw invalid("driver-node-type-id", "cannot be used with " + PREFIX + "instance-pool-id: a pool cluster "
                    + "takes its driver from " + PREFIX + "driver-instance-pool-id or the worker pool");
        }
        availability = availability == null ? Availability.SPOT_WITH_FALLBACK : availability;
        dataSecurityMode = dataSecurityMode == null || dataSecurityMode.isBlank() ? DEFAULT_DATA_SECURITY_MODE
                : dataSecurityMode.trim().toUpperCase(Locale.ROOT);
        try {
            com.databricks.sdk.service.compute.DataSecurityMode.valueOf(dataSecurityMode);
        } catch (IllegalArgumentException e) {
            throw invalid("data-security-mode", "'" + dataSecurityMode + "' is not one of "
                    + Arrays.toString(com.databricks.sdk.service.compute.DataSecurityMode.values()));
        }
        customTags = copy(customTags, "custom-tags");
        for (String key : customTags.keySet()) {
            if (AGENT_TAGS.contains(key)) {
                throw invalid("custom-tags", "'" + key + "' is set by the agent on every cluster; choose another key");
            }
        }
        jobsJar = required(jobsJar, "jobs-jar");
        if (!(jobsJar.startsWith("/Volumes/") || jobsJar.matches("(?i)(dbfs|s3|s3a|abfss|gs):/.+"))
                || !jobsJar.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            throw invalid("jobs-jar", "'" + jobsJar + "' must be the spark-jobs jar as a /Volumes/..., dbfs:/, s3://, "
                    + "abfss:// or gs:// path ending in .jar");
        }
        resultDir = required(resultDir, "result-dir");
        while (resultDir.endsWith("/")) {
            resultDir = resultDir.substring(0, resultDir.length() - 1);
        }
        if (!resultDir.matches("/Volumes/[^/]+/[^/]+/[^/]+(/.*)?") || resultDir.contains("..")) {
            throw invalid("result-dir", "'" + resultDir + "' must be a Unity Catalog volume directory "
                    + "/Volumes/<catalog>/<schema>/<volume>[/...]: the agent reads results back through the Files API");
        }
        sparkConf = copy(sparkConf, "spark-conf");
        sizing = sizing == null ? ClusterSizing.DEFAULT : sizing;
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw invalid("poll-interval", "must be positive, got " + pollInterval);
        }
        if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0 && !isLoopback(URI.create(host))) {
            throw invalid("poll-interval", "is " + pollInterval.toMillis() + " ms; poll a workspace at most every "
                    + MIN_POLL_INTERVAL.toSeconds() + " s (runs take minutes; the Jobs API is rate limited)");
        }
        runNamePrefix = runNamePrefix == null || runNamePrefix.isBlank() ? DEFAULT_RUN_NAME_PREFIX : runNamePrefix.trim();
        apiRetryBudget = apiRetryBudget == null ? DEFAULT_API_RETRY_BUDGET : apiRetryBudget;
        if (apiRetryBudget.isNegative() || apiRetryBudget.isZero()) {
            throw invalid("api-retry-budget", "must be positive, got " + apiRetryBudget);
        }
    }

    public static Builder builder(String host, String sparkVersion, String jobsJar, String resultDir) {
        return new Builder(host, sparkVersion, jobsJar, resultDir);
    }

    /** Whether AWS availability is sent: node-type clusters only (a pool carries its own). */
    boolean sendsAwsAttributes() {
        return instancePoolId == null && availability != Availability.UNSET;
    }

    private static String validHost(String host) {
        if (host == null || host.isBlank()) {
            throw invalid("host", "is missing: set it to the workspace URL, or DATABRICKS_HOST in the agent's environment");
        }
        String value = host.trim();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid("host", "'" + value + "' is not a URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw invalid("host", "'" + value + "' must be a workspace URL like https://dbc-1234.cloud.databricks.com");
        }
        if (uri.getUserInfo() != null) {
            // never echo it: it may be a credential
            throw invalid("host", "must not carry user info; credentials come from DATABRICKS_TOKEN, "
                    + "DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET or ~/.databrickscfg");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (!https && !("http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri))) {
            throw invalid("host", "'" + value + "' must use https (plain http only for 127.0.0.1 or localhost)");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("host", "'" + value + "' must be the workspace URL alone, without a path or query");
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
    }

    static boolean isLoopback(URI uri) {
        return "127.0.0.1".equals(uri.getHost()) || "localhost".equalsIgnoreCase(uri.getHost());
    }

    private static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw invalid(key, "is missing");
        }
        return value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Map<String, String> copy(Map<String, String> map, String key) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k == null || k.isBlank() || v == null) {
                throw invalid(key, "has an empty key or a missing value (key '" + k + "')");
            }
            copy.put(k, v);
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    private static ConfigException invalid(String key, String problem) {
        return new ConfigException(PREFIX + key + ": " + problem);
    }

    /** Optional settings with their defaults; the four required ones go to {@link #builder}. */
    public static final class Builder {
        private final String host;
        private final String sparkVersion;
        private final String jobsJar;
        private final String resultDir;
        private String nodeTypeId;
        private String driverNodeTypeId;
        private String instancePoolId;
        private String driverInstancePoolId;
        private String policyId;
        private Availability availability;
        private String dataSecurityMode;
        private Map<String, String> customTags = Map.of();
        private Map<String, String> sparkConf = Map.of();
        private ClusterSizing sizing;
        private Duration pollInterval;
        private String runNamePrefix;
        private Duration apiRetryBudget;

        private Builder(String host, String sparkVersion, String jobsJar, String resultDir) {
            this.host = host;
            this.sparkVersion = sparkVersion;
            this.jobsJar = jobsJar;
            this.resultDir = resultDir;
        }

        public Builder nodeTypeId(String v) { nodeTypeId = v; return this; }
        public Builder driverNodeTypeId(String v) { driverNodeTypeId = v; return this; }
        public Builder instancePoolId(String v) { instancePoolId = v; return this; }
        public Builder driverInstancePoolId(String v) { driverInstancePoolId = v; return this; }
        public Builder policyId(String v) { policyId = v; return this; }
        public Builder availability(Availability v) { availability = v; return this; }
        public Builder dataSecurityMode(String v) { dataSecurityMode = v; return this; }
        public Builder customTags(Map<String, String> v) { customTags = v; return this; }
        public Builder sparkConf(Map<String, String> v) { sparkConf = v; return this; }
        public Builder sizing(ClusterSizing v) { sizing = v; return this; }
        public Builder pollInterval(Duration v) { pollInterval = v; return this; }
        public Builder runNamePrefix(String v) { runNamePrefix = v; return this; }
        public Builder apiRetryBudget(Duration v) { apiRetryBudget = v; return this; }

        public DatabricksSettings build() {
            return new DatabricksSettings(host, sparkVersion, nodeTypeId, driverNodeTypeId, instancePoolId,
                    driverInstancePoolId, policyId, availability, dataSecurityMode, customTags, jobsJar, resultDir,
                    sparkConf, sizing, pollInterval, runNamePrefix, apiRetryBudget);
        }
    }
}
