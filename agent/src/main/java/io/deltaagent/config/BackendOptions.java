package io.deltaagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of each job backend (under {@code backends:}) and of the resilience wrapped around every
 * backend (under {@code resilience:}). Credentials are never among them: each backend takes them from its
 * platform's usual environment (SDK credential chains, environment variables, profiles).
 */
public final class BackendOptions {

    private BackendOptions() {
    }

    public static final String LOCAL = "local";
    public static final String SPARK_SUBMIT = "spark-submit";
    public static final String DATABRICKS = "databricks";
    public static final String EMR = "emr";
    public static final String EMR_SERVERLESS = "emr-serverless";

    /** Every backend name a table's {@code backend} may take. */
    public static final List<String> NAMES = List.of(LOCAL, SPARK_SUBMIT, DATABRICKS, EMR, EMR_SERVERLESS);

    // ----- sizing, shared by the remote backends -----

    public static final ConfigOption<ByteSize> BYTES_PER_WORKER = ConfigOption.of(
            "bytes-per-worker", OptionType.BYTE_SIZE, ByteSize.ofMebibytes(16 * 1024),
            b -> b.bytes() >= (1L << 20), ">= 1MiB",
            "One worker (executor) per this many bytes the job rewrites.");

    public static final ConfigOption<Integer> MIN_WORKERS = ConfigOption.of(
            "min-workers", OptionType.INTEGER, 1, n -> n >= 1, ">= 1",
            "Fewest workers a job's cluster gets.");

    public static final ConfigOption<Integer> MAX_WORKERS = ConfigOption.of(
            "max-workers", OptionType.INTEGER, 20, n -> n >= 1, ">= 1",
            "Most workers a job's cluster gets, however much it rewrites.");

    // ----- the Spark line each backend runs the jobs on (SparkRuntime): which jobs jar it takes -----

    private static ConfigOption<String> sparkRuntime(String defaultValue, String defaultText, String how) {
        return new ConfigOption<>("spark-runtime", OptionType.STRING, defaultValue, defaultText,
                v -> v.equals("3.5") || v.equals("4"), "3.5 or 4",
                "Spark line of the jobs: 3.5 (delta-spark 3.3) or 4 (delta-spark 4.x, needed for tables with Delta 4 writer features)"
                        + how + ".");
    }

    public static final ConfigOption<String> LOCAL_SPARK_RUNTIME = sparkRuntime("3.5", null,
            "; 4 runs the Spark 4 jobs build beside the 3.5 one (the archive's jobs/spark4/, or spark-jobs/spark4/target)");
    public static final ConfigOption<String> SUBMIT_SPARK_RUNTIME = sparkRuntime(null, "spark-home's version, else 3.5",
            "; it must match the cluster's Spark");
    public static final ConfigOption<String> DB_SPARK_RUNTIME = sparkRuntime(null, "from spark-version: 17+ is 4, else 3.5",
            "; jobs-jar must be that runtime's jar");
    public static final ConfigOption<String> EMR_SPARK_RUNTIME = sparkRuntime(null, "from release-label: emr-7 is 3.5",
            "; jobs-jar must be that runtime's jar");
    public static final ConfigOption<String> EMRS_SPARK_RUNTIME = sparkRuntime("3.5", null,
            " (EMR 7 applications run 3.5); jobs-jar must be that runtime's jar");

    // ----- local -----

    public static final ConfigOption<Integer> LOCAL_CORES = ConfigOption.of(
            "cores", OptionType.INTEGER, 2, n -> n >= 1 && n <= 256, "1 to 256",
            "Cores of the local Spark process: local[N].");

    public static final ConfigOption<String> LOCAL_HEAP = ConfigOption.of(
            "heap", OptionType.STRING, "2g", h -> h.matches("0*[1-9]\\d*[kKmMgG]"), "a JVM size above 0 such as 2g or 1536m",
            "Heap of the local Spark process.");

    public static final ConfigOption<String> LOCAL_SPARK_JOBS_DIR = new ConfigOption<>(
            "spark-jobs-dir", OptionType.STRING, null, "the build beside the agent", d -> true, "a directory",
            "The spark-jobs build output of the chosen spark-runtime: its jar and spark-runtime/.");

    // ----- spark-submit -----

    public static final ConfigOption<String> SPARK_HOME = new ConfigOption<>(
            "spark-home", OptionType.STRING, null, "$SPARK_HOME", d -> true, "a Spark 3.5 or 4 installation",
            "Spark installation whose bin/spark-submit submits the jobs (scripts/install-spark installs one).");

    public static final ConfigOption<String> MASTER = new ConfigOption<>(
            "master", OptionType.STRING, null, "required", m -> true, "k8s://..., yarn, spark://...",
            "The Spark master.");

    public static final ConfigOption<String> DEPLOY_MODE = ConfigOption.of(
            "deploy-mode", OptionType.STRING, "cluster", m -> m.equals("cluster") || m.equals("client"), "cluster or client",
            "cluster runs the driver on the cluster (an ephemeral driver pod on Kubernetes); client runs it beside the agent.");

    public static final ConfigOption<String> JOBS_JAR = new ConfigOption<>(
            "jobs-jar", OptionType.STRING, null, "the local spark-jobs jar", j -> true, "a path or URI",
            "The spark-jobs jar as the cluster sees it (local:///... inside an image, s3a://..., or a path).");

    public static final ConfigOption<List<String>> JARS = ConfigOption.of(
            "jars", OptionType.STRING_LIST, List.of(), j -> true, "paths or URIs",
            "Extra jars for the job, e.g. delta-spark and delta-storage when the cluster's Spark lacks them.");

    public static final ConfigOption<Map<String, String>> SPARK_CONF = ConfigOption.of(
            "spark-conf", OptionType.STRING_MAP, Map.of(), c -> true, "Spark settings (no secrets)",
            "Spark settings passed with --conf (e.g. spark.kubernetes.namespace, spark.kubernetes.container.image).");

    public static final ConfigOption<String> RESULT_DIR = new ConfigOption<>(
            "result-dir", OptionType.STRING, null, "a local temporary directory", d -> true, "a path or URI",
            "Where jobs write their result documents and the agent reads them back; in cluster mode a URI both reach (s3a://...).");

    public static final ConfigOption<Duration> KILL_GRACE = ConfigOption.of(
            "kill-grace", OptionType.DURATION, Duration.ofSeconds(30), d -> !d.isNegative(), ">= 0",
            "How long a cancelled job gets to stop before it is killed.");

    // ----- databricks -----

    private static ConfigOption<String> optionalString(String key, String defaultText, String description) {
        return new ConfigOption<>(key, OptionType.STRING, null, defaultText, v -> true, "a string", description);
    }

    public static final ConfigOption<String> DB_HOST = optionalString("host", "$DATABRICKS_HOST",
            "Workspace URL (https://...); required here or in DATABRICKS_HOST. The token or OAuth client comes from the environment (DATABRICKS_TOKEN, "
                    + "DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET) or ~/.databrickscfg, never from here.");
    public static final ConfigOption<String> DB_SPARK_VERSION = optionalString("spark-version", "required",
            "Databricks Runtime of the job cluster, e.g. 15.4.x-scala2.12 (Delta is built in).");
    public static final ConfigOption<String> DB_NODE_TYPE = optionalString("node-type-id", "none",
            "Worker node type (e.g. i3.xlarge); not with instance-pool-id.");
    public static final ConfigOption<String> DB_DRIVER_NODE_TYPE = optionalString("driver-node-type-id", "the worker type",
            "Driver node type; not with instance-pool-id.");
    public static final ConfigOption<String> DB_POOL = optionalString("instance-pool-id", "none",
            "Instance pool for the workers (fast start, no idle cluster).");
    public static final ConfigOption<String> DB_DRIVER_POOL = optionalString("driver-instance-pool-id", "the worker pool",
            "Instance pool for the driver.");
    public static final ConfigOption<String> DB_POLICY = optionalString("policy-id", "none", "Cluster policy the job cluster obeys.");
    public static final ConfigOption<String> DB_AVAILABILITY = ConfigOption.of("availability", OptionType.STRING,
            "SPOT_WITH_FALLBACK", v -> List.of("SPOT_WITH_FALLBACK", "SPOT", "ON_DEMAND", "UNSET").contains(v),
            "SPOT_WITH_FALLBACK, SPOT, ON_DEMAND or UNSET",
            "AWS capacity of node-type clusters (the driver stays on demand); UNSET sends none (pools carry their own).");
    public static final ConfigOption<String> DB_SECURITY_MODE = ConfigOption.of("data-security-mode", OptionType.STRING,
            "SINGLE_USER", v -> true, "a Databricks data_security_mode",
            "Unity Catalog access mode of the job cluster (it must reach result-dir under /Volumes).");
    public static final ConfigOption<Map<String, String>> DB_TAGS = ConfigOption.of("custom-tags", OptionType.STRING_MAP, Map.of(),
            t -> true, "tags (no secrets)", "Tags on the job cluster, besides delta-agent's own (table, action).");
    public static final ConfigOption<String> DB_JOBS_JAR = optionalString("jobs-jar", "required",
            "The spark-jobs jar as a library (/Volumes/..., dbfs:/... or s3://...).");
    public static final ConfigOption<String> DB_RESULT_DIR = optionalString("result-dir", "required",
            "A /Volumes/... directory where jobs write their result documents; read back with the Files API.");
    public static final ConfigOption<Duration> DB_POLL = ConfigOption.of("poll-interval", OptionType.DURATION, Duration.ofSeconds(30),
            d -> d.compareTo(Duration.ofSeconds(1)) >= 0, ">= 1s (>= 5s against a real workspace)", "How often a run's state is read.");
    public static final ConfigOption<String> DB_RUN_PREFIX = ConfigOption.of("run-name-prefix", OptionType.STRING, "delta-agent",
            v -> true, "a string", "Start of each run's name (then action and table).");
    public static final ConfigOption<Duration> DB_RETRY_BUDGET = ConfigOption.of("api-retry-budget", OptionType.DURATION,
            Duration.ofMinutes(2), d -> !d.isNegative() && !d.isZero(), "> 0",
            "Longest wait between retries of one API call (Retry-After included); a longer one fails as retryable.");

    // ----- emr and emr-serverless -----

    public static final ConfigOption<String> AWS_REGION = optionalString("region", "required", "AWS region of the service.");
    public static final ConfigOption<String> AWS_ENDPOINT = optionalString("endpoint", "the service's default",
            "API endpoint override (a VPC endpoint, or a test server).");
    public static final ConfigOption<String> AWS_S3_ENDPOINT = optionalString("s3-endpoint", "the service's default",
            "S3 endpoint override for reading result documents.");
    public static final ConfigOption<Integer> AWS_MAX_ATTEMPTS = ConfigOption.of("api-max-attempts", OptionType.INTEGER, 5,
            n -> n >= 1 && n <= 10, "1 to 10", "Attempts per API call (the SDK's standard retries; throttling backs off).");
    public static final ConfigOption<Duration> AWS_THROTTLE_DELAY = ConfigOption.of("api-throttle-delay", OptionType.DURATION,
            Duration.ofSeconds(1), d -> !d.isNegative() && !d.isZero(), "> 0",
            "First wait after a throttling answer; doubles per retry with jitter; a longer Retry-After wins.");
    public static final ConfigOption<String> EMR_JOBS_JAR = optionalString("jobs-jar", "required", "s3:// URI of the spark-jobs jar.");
    public static final ConfigOption<String> EMR_RESULT_DIR = optionalString("result-dir", "required",
            "s3:// prefix where jobs write their result documents.");
    public static final ConfigOption<Map<String, String>> AWS_TAGS = ConfigOption.of("tags", OptionType.STRING_MAP, Map.of(),
            t -> true, "tags (no secrets)", "Tags on every cluster / job run, besides delta-agent's own.");
    public static final ConfigOption<Duration> EMR_POLL = ConfigOption.of("poll-interval", OptionType.DURATION, Duration.ofSeconds(30),
            d -> !d.isNegative() && !d.isZero(), "> 0", "How often the job's state is read while it runs.");
    public static final ConfigOption<String> EMR_RELEASE = optionalString("release-label", "required",
            "EMR release, emr-7.0.0 or later (Spark 3.5 with Delta 3).");
    public static final ConfigOption<String> EMR_SUBNET = optionalString("subnet-id", "required", "VPC subnet of the cluster.");
    public static final ConfigOption<String> EMR_SERVICE_ROLE = optionalString("service-role", "required",
            "The EMR service role (e.g. EMR_DefaultRole_V2).");
    public static final ConfigOption<String> EMR_JOB_FLOW_ROLE = optionalString("job-flow-role", "required",
            "EC2 instance profile of the cluster's nodes (read/write on the tables and result-dir).");
    public static final ConfigOption<String> EMR_LOG_URI = optionalString("log-uri", "required", "s3:// prefix for the cluster's logs (step logs are what a failure message points at).");
    public static final ConfigOption<String> EMR_MASTER_TYPE = optionalString("master-instance-type", "required",
            "Instance type of the primary node.");
    public static final ConfigOption<List<String>> EMR_WORKER_TYPES = ConfigOption.of("worker-instance-types", OptionType.STRING_LIST,
            List.of(), t -> true, "instance types", "Instance types the core and task fleets may use (more types, better spot odds).");
    public static final ConfigOption<Duration> EMR_SPOT_TIMEOUT = ConfigOption.of("spot-timeout", OptionType.DURATION,
            Duration.ofMinutes(10), d -> d.toSeconds() % 60 == 0 && d.toMinutes() >= 5 && d.toMinutes() <= 1440,
            "5m to 24h, whole minutes",
            "How long the task fleet waits for spot capacity before it switches to on-demand.");
    public static final ConfigOption<String> EMRS_APPLICATION = optionalString("application-id", "required",
            "The EMR Serverless application (EMR 7.x).");
    public static final ConfigOption<String> EMRS_ROLE = optionalString("execution-role-arn", "required",
            "IAM role the job run assumes.");
    public static final ConfigOption<Duration> EMRS_TIMEOUT = ConfigOption.of("execution-timeout", OptionType.DURATION,
            Duration.ofHours(12), d -> !d.isNegative() && !d.isZero(), "> 0",
            "The service cancels a run after this long even if the agent is gone (capped by maintain's --job-timeout).");

    // ----- resilience (every backend) -----

    public static final ConfigOption<Integer> FAILURE_THRESHOLD = ConfigOption.of(
            "failure-threshold", OptionType.INTEGER, 5, n -> n >= 1, ">= 1",
            "Consecutive backend failures that open a backend's circuit breaker (no more submits while open).");

    public static final ConfigOption<Duration> OPEN_DURATION = ConfigOption.of(
            "open-duration", OptionType.DURATION, Duration.ofSeconds(120), d -> !d.isNegative() && !d.isZero(), "> 0",
            "How long an open circuit breaker refuses submits before it lets a trial through.");

    public static final ConfigOption<Integer> MAX_ATTEMPTS = ConfigOption.of(
            "max-attempts", OptionType.INTEGER, 3, n -> n >= 1 && n <= 10, "1 to 10",
            "Attempts per action when the backend fails (a job that ran and failed is not retried here).");

    public static final ConfigOption<Duration> BACKOFF = ConfigOption.of(
            "backoff", OptionType.DURATION, Duration.ofSeconds(10), d -> !d.isNegative() && !d.isZero(), "> 0",
            "Wait before the second attempt; doubled for each further attempt, with random jitter of +/-50%.");

    public static final ConfigOption<Duration> MAX_BACKOFF = ConfigOption.of(
            "max-backoff", OptionType.DURATION, Duration.ofMinutes(5), d -> !d.isNegative() && !d.isZero(), "> 0",
            "The longest wait between attempts.");

    private static final List<ConfigOption<?>> SIZING = List.of(BYTES_PER_WORKER, MIN_WORKERS, MAX_WORKERS);

    // ----- cost estimates (each run's compute cost: an estimate from these rates and the run's duration) -----

    private static ConfigOption<Double> price(String key, String description) {
        return new ConfigOption<>(key, OptionType.DECIMAL, null, "none (no estimate)", v -> v >= 0, ">= 0", description);
    }

    public static final ConfigOption<Double> CORE_HOUR_PRICE = price("core-hour-price",
            "Price of one core for one hour (the local process's cores x the run's hours), for the run's cost estimate.");
    public static final ConfigOption<Double> NODE_HOUR_PRICE = price("node-hour-price",
            "Price of one node (instance, or EMR Serverless worker) for one hour, the driver included: (workers + 1) x the "
                    + "run's hours x this is the run's cost estimate (plus DBUs on Databricks).");
    public static final ConfigOption<Double> DBU_PER_NODE_HOUR = price("dbu-per-node-hour",
            "Databricks units one node consumes per hour (the node type's DBU rate), for the run's cost estimate.");
    public static final ConfigOption<Double> PRICE_PER_DBU = price("price-per-dbu",
            "Price of one Databricks unit (the jobs compute rate of your plan), for the run's cost estimate.");
    public static final ConfigOption<String> COST_CURRENCY = ConfigOption.of(
            "cost-currency", OptionType.STRING, "USD", c -> c.matches("[A-Z]{3}"), "an ISO 4217 code such as USD",
            "Currency of this backend's prices.");

    private static final List<ConfigOption<?>> NODE_COST = List.of(NODE_HOUR_PRICE, COST_CURRENCY);

    public static final OptionSection LOCAL_SECTION = new OptionSection(LOCAL,
            "A fresh local Spark process (local[N]) per job, running the spark-jobs jar; the embedded default.",
            List.of(LOCAL_CORES, LOCAL_HEAP, LOCAL_SPARK_JOBS_DIR, LOCAL_SPARK_RUNTIME, CORE_HOUR_PRICE, COST_CURRENCY));

    public static final OptionSection SPARK_SUBMIT_SECTION = new OptionSection(SPARK_SUBMIT,
            "spark-submit through Spark's launcher to any master; spark-submit waits for the application, so its exit is the job's end.",
            concat(concat(List.of(SPARK_HOME, SUBMIT_SPARK_RUNTIME, MASTER, DEPLOY_MODE, JOBS_JAR, JARS, SPARK_CONF, RESULT_DIR, KILL_GRACE), SIZING),
                    NODE_COST));

    public static final OptionSection DATABRICKS_SECTION = new OptionSection(DATABRICKS,
            "One-time runs (Jobs API 2.2 runs/submit) of a spark_jar_task on a new job cluster per job, with an idempotency token.",
            concat(concat(List.of(DB_HOST, DB_SPARK_VERSION, DB_SPARK_RUNTIME, DB_NODE_TYPE, DB_DRIVER_NODE_TYPE, DB_POOL, DB_DRIVER_POOL, DB_POLICY,
                    DB_AVAILABILITY, DB_SECURITY_MODE, DB_TAGS, DB_JOBS_JAR, DB_RESULT_DIR, SPARK_CONF, DB_POLL, DB_RUN_PREFIX,
                    DB_RETRY_BUDGET), SIZING), List.of(NODE_HOUR_PRICE, DBU_PER_NODE_HOUR, PRICE_PER_DBU, COST_CURRENCY)));

    private static final List<ConfigOption<?>> AWS_JOB = List.of(AWS_REGION, AWS_ENDPOINT, AWS_S3_ENDPOINT, AWS_MAX_ATTEMPTS,
            AWS_THROTTLE_DELAY, EMR_JOBS_JAR, EMR_RESULT_DIR, SPARK_CONF, AWS_TAGS, EMR_POLL);

    public static final OptionSection EMR_SECTION = new OptionSection(EMR,
            "A transient EMR cluster per job (RunJobFlow, KeepJobFlowAliveWhenNoSteps=false, one command-runner.jar spark-submit "
                    + "step, spot task capacity with on-demand fallback).",
            concat(concat(AWS_JOB, List.of(EMR_RELEASE, EMR_SPARK_RUNTIME, EMR_SUBNET, EMR_SERVICE_ROLE, EMR_JOB_FLOW_ROLE, EMR_LOG_URI, EMR_MASTER_TYPE,
                    EMR_WORKER_TYPES, EMR_SPOT_TIMEOUT)), concat(SIZING, NODE_COST)));

    public static final OptionSection EMR_SERVERLESS_SECTION = new OptionSection(EMR_SERVERLESS,
            "An EMR Serverless job run per job (StartJobRun with the job's idempotency token as clientToken).",
            concat(concat(AWS_JOB, List.of(EMRS_APPLICATION, EMRS_ROLE, EMRS_TIMEOUT, EMRS_SPARK_RUNTIME)), concat(SIZING, NODE_COST)));

    public static final OptionSection RESILIENCE_SECTION = new OptionSection("resilience",
            "Around every backend: a circuit breaker per backend and retries with exponential backoff and jitter.",
            List.of(FAILURE_THRESHOLD, OPEN_DURATION, MAX_ATTEMPTS, BACKOFF, MAX_BACKOFF));

    /** The sections under {@code backends:}, by backend name. */
    public static final List<OptionSection> SECTIONS = List.of(LOCAL_SECTION, SPARK_SUBMIT_SECTION, DATABRICKS_SECTION, EMR_SECTION,
            EMR_SERVERLESS_SECTION);

    static List<ConfigOption<?>> concat(List<ConfigOption<?>> a, List<ConfigOption<?>> b) {
        List<ConfigOption<?>> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
