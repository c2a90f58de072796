package io.deltaagent.submit;

import io.deltaagent.config.BackendOptions;
import io.deltaagent.config.BackendsConfig;
import io.deltaagent.config.OptionValues;
import io.deltaagent.cost.CostEstimate;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.cost.CostRates;
import io.deltaagent.features.JobRuntime;
import io.deltaagent.error.ConfigException;
import io.deltaagent.submit.databricks.DatabricksSettings;
import io.deltaagent.submit.databricks.DatabricksSubmitter;
import io.deltaagent.submit.emr.AwsApiSettings;
import io.deltaagent.submit.emr.EmrClusterSubmitter;
import io.deltaagent.submit.emr.EmrJobSettings;
import io.deltaagent.submit.emr.EmrServerlessSettings;
import io.deltaagent.submit.emr.EmrServerlessSubmitter;
import io.deltaagent.submit.emr.EmrSettings;
import io.deltaagent.submit.local.JobsBuild;
import io.deltaagent.submit.local.LocalSparkSubmitter;
import io.deltaagent.submit.sparksubmit.SparkSubmitSettings;
import io.deltaagent.submit.sparksubmit.SparkSubmitSubmitter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/**
 * Builds each configured backend once per process, wrapped in its circuit breaker and retries, on first use:
 * a table that names a backend gets the same instance (and breaker) as every other table on it.
 */
public final class Backends implements Function<String, JobSubmitter>, CostEstimator {

    /**
     * What backends need from the agent around them.
     *
     * @param jobStorage how jobs the agent starts itself reach the tables' storage
     */
    public record Environment(Configuration hadoop, Path sparkJobsDir, Path workDir, Clock clock, Map<String, String> env,
                              JobStorage jobStorage) {

        /** With no storage settings for the jobs beyond S3A serving s3:// (the agent's environment not passed on). */
        public Environment(Configuration hadoop, Path sparkJobsDir, Path workDir, Clock clock, Map<String, String> env) {
            this(hadoop, sparkJobsDir, workDir, clock, env, JobStorage.NONE);
        }
    }

    private final BackendsConfig config;
    private final Environment environment;
    private final ResilientSubmitter.Policy policy;
    private final Map<String, ResilientSubmitter> created = new LinkedHashMap<>();

    public Backends(BackendsConfig config, Environment environment) {
        this.config = config;
        this.environment = environment;
        OptionValues r = config.resilience();
        this.policy = new ResilientSubmitter.Policy(r.get(BackendOptions.FAILURE_THRESHOLD), r.get(BackendOptions.OPEN_DURATION),
                r.get(BackendOptions.MAX_ATTEMPTS), r.get(BackendOptions.BACKOFF), r.get(BackendOptions.MAX_BACKOFF));
    }

    /** The backend named {@code name}, built on first use; a misconfigured one fails with the setting at fault. */
    @Override
    public synchronized JobSubmitter apply(String name) {
        return created.computeIfAbsent(name, n -> ResilientSubmitter.wrap(RuntimeTagged.of(create(n), runtime(n)), policy));
    }

    /** The backends built so far (for metrics: their circuit states). */
    public synchronized Map<String, ResilientSubmitter> created() {
        return Map.copyOf(created);
    }

    /**
     * The estimated compute cost of a job planned to rewrite {@code bytesToRewrite} having run {@code ran} on {@code backend}: the local process's cores, or
     * the nodes its cluster was sized to (workers for the bytes it rewrote, plus the driver), at the section's prices.
     */
    @Override
    public Optional<CostEstimate> estimate(String backend, long bytesToRewrite, Duration ran) {
        OptionValues s = config.section(backend).orElse(BackendOptions.LOCAL.equals(backend) ? OptionValues.builtIn() : null);
        if (s == null) {
            return Optional.empty();
        }
        String currency = s.get(BackendOptions.COST_CURRENCY);
        if (BackendOptions.LOCAL.equals(backend)) {
            return new CostRates("core", s.get(BackendOptions.CORE_HOUR_PRICE), null, null, currency)
                    .estimate(s.get(BackendOptions.LOCAL_CORES), ran);
        }
        int nodes = sizing(backend, s).workers(bytesToRewrite) + 1;
        boolean databricks = BackendOptions.DATABRICKS.equals(backend);
        return new CostRates("node", s.get(BackendOptions.NODE_HOUR_PRICE), databricks ? s.get(BackendOptions.DBU_PER_NODE_HOUR) : null,
                databricks ? s.get(BackendOptions.PRICE_PER_DBU) : null, currency).estimate(nodes, ran);
    }

    /** The local process's cores, or the nodes (workers for {@code bytesToRewrite}, plus the driver) a cluster is sized to. */
    @Override
    public int units(String backend, long bytesToRewrite) {
        OptionValues s = config.section(backend).orElse(BackendOptions.LOCAL.equals(backend) ? OptionValues.builtIn() : null);
        if (s == null) {
            return 1;
        }
        return BackendOptions.LOCAL.equals(backend) ? s.get(BackendOptions.LOCAL_CORES) : sizing(backend, s).workers(bytesToRewrite) + 1;
    }

    /** The estimates of {@code backends} when they can make them (a {@code Backends}, from its configured prices), else none. */
    public static CostEstimator costs(Function<String, JobSubmitter> backends) {
        return backends instanceof CostEstimator estimator ? estimator : CostEstimator.NONE;
    }

    private JobSubmitter create(String name) {
        OptionValues section = config.section(name).orElse(null);
        return switch (name) {
            case BackendOptions.LOCAL -> local(section == null ? OptionValues.builtIn() : section);
            case BackendOptions.SPARK_SUBMIT -> sparkSubmit(required(name, section));
            case BackendOptions.DATABRICKS -> databricks(required(name, section));
            case BackendOptions.EMR -> emr(required(name, section));
            case BackendOptions.EMR_SERVERLESS -> emrServerless(required(name, section));
            default -> throw new ConfigException("backend '" + name + "' is not available in this build; valid: "
                    + String.join(", ", BackendOptions.NAMES));
        };
    }

    /**
     * The backend's {@code spark-runtime}, else what it knows of its cluster (docs/CONFIG.md gives each default), without
     * building the backend: the planner asks it which table features the jobs can write.
     */
    public SparkRuntime runtime(String name) {
        return runtime(config, environment.env(), name);
    }

    /** {@link #runtime(String)} from the config and the environment alone, for commands that build no backend. */
    public static SparkRuntime runtime(BackendsConfig config, Map<String, String> env, String name) {
        OptionValues s = config.section(name).orElse(OptionValues.builtIn());
        return switch (name) {
            case BackendOptions.SPARK_SUBMIT -> explicit(s, BackendOptions.SUBMIT_SPARK_RUNTIME).orElseGet(() ->
                    Optional.ofNullable(sparkHome(s, env)).flatMap(home -> SparkRuntime.forSparkHome(Paths.get(home))).orElse(SparkRuntime.SPARK_3_5));
            case BackendOptions.DATABRICKS -> explicit(s, BackendOptions.DB_SPARK_RUNTIME)
                    .orElseGet(() -> SparkRuntime.forDatabricks(s.get(BackendOptions.DB_SPARK_VERSION)));
            case BackendOptions.EMR -> explicit(s, BackendOptions.EMR_SPARK_RUNTIME)
                    .orElseGet(() -> SparkRuntime.forEmrRelease(s.get(BackendOptions.EMR_RELEASE)));
            case BackendOptions.EMR_SERVERLESS -> SparkRuntime.parse(s.get(BackendOptions.EMRS_SPARK_RUNTIME));
            default -> SparkRuntime.parse(s.get(BackendOptions.LOCAL_SPARK_RUNTIME));
        };
    }

    /**
     * The job runtime each backend (by name) runs the jobs on, with the table features it can write: what the planner
     * checks a table against before it plans a job for it ({@code backend}, when not null, overrides every table's).
     */
    public static Function<String, JobRuntime> jobRuntimes(BackendsConfig config, Map<String, String> env, String backend) {
        return name -> JobRuntime.named(runtime(config, env, backend != null ? backend : name).configName()).orElseThrow();
    }

    /** The job runtimes of these backends; every backend's default (3.5) for submitters that are not {@code Backends}. */
    public static Function<String, JobRuntime> jobRuntimes(Function<String, JobSubmitter> backends) {
        return backends instanceof Backends b ? jobRuntimes(b.config, b.environment.env(), null) : name -> JobRuntime.SPARK_3_5;
    }

    private static Optional<SparkRuntime> explicit(OptionValues s, io.deltaagent.config.ConfigOption<String> option) {
        return Optional.ofNullable(s.get(option)).map(SparkRuntime::parse);
    }

    private String sparkHome(OptionValues s) {
        return sparkHome(s, environment.env());
    }

    private static String sparkHome(OptionValues s, Map<String, String> env) {
        return s.get(BackendOptions.SPARK_HOME) != null ? s.get(BackendOptions.SPARK_HOME) : env.get("SPARK_HOME");
    }

    private static OptionValues required(String name, OptionValues section) {
        if (section == null) {
            throw new ConfigException("backend '" + name + "' is not configured; add a 'backends." + name + "' section to the config");
        }
        return section;
    }

    /** The jobs build of {@code runtime}: spark-jobs-dir as set (that runtime's build), else the one beside the agent. */
    private Path sparkJobsDir(OptionValues local, SparkRuntime runtime) {
        String dir = local.get(BackendOptions.LOCAL_SPARK_JOBS_DIR);
        if (dir != null) {
            return Paths.get(dir);
        }
        if (environment.sparkJobsDir() == null) {
            throw new ConfigException("backends.local.spark-jobs-dir: where is the spark-jobs build? set it, or pass --spark-jobs-dir "
                    + "(scripts/delta-agent sets it to spark-jobs/target)");
        }
        return JobsBuild.locate(environment.sparkJobsDir(), runtime);
    }

    private JobSubmitter local(OptionValues section) {
        SparkRuntime runtime = runtime(BackendOptions.LOCAL);
        Path build = sparkJobsDir(section, runtime);
        JobsBuild.requireRuntime(LocalSparkSubmitter.jobsJar(build), runtime);
        return new LocalSparkSubmitter(build, environment.workDir(), section.get(BackendOptions.LOCAL_CORES),
                section.get(BackendOptions.LOCAL_HEAP), environment.clock(), environment.jobStorage());
    }

    private JobSubmitter sparkSubmit(OptionValues s) {
        String home = sparkHome(s);
        if (home == null) {
            throw new ConfigException("backends.spark-submit.spark-home: not set and SPARK_HOME is not in the environment; "
                    + "point it at a Spark 3.5 or 4 installation (scripts/install-spark installs one)");
        }
        String jobsJar = s.get(BackendOptions.JOBS_JAR);
        if (jobsJar == null) {
            OptionValues local = config.section(BackendOptions.LOCAL).orElse(OptionValues.builtIn());
            jobsJar = LocalSparkSubmitter.jobsJar(sparkJobsDir(local, runtime(BackendOptions.SPARK_SUBMIT))).toString();
        }
        String resultDir = s.get(BackendOptions.RESULT_DIR) != null ? s.get(BackendOptions.RESULT_DIR)
                : environment.workDir().resolve("results").toString();
        SparkSubmitSettings settings = new SparkSubmitSettings(Paths.get(home), s.get(BackendOptions.MASTER),
                s.get(BackendOptions.DEPLOY_MODE), jobsJar, s.get(BackendOptions.JARS), s.get(BackendOptions.SPARK_CONF), resultDir,
                sizing("spark-submit", s), s.get(BackendOptions.KILL_GRACE));
        return new SparkSubmitSubmitter(settings, new HadoopResultReader(environment.hadoop()), environment.workDir(),
                environment.clock());
    }

    private JobSubmitter databricks(OptionValues s) {
        // the workspace from the config, else from DATABRICKS_HOST (as the SDK's own chain and Airflow's connection give it)
        String host = s.get(BackendOptions.DB_HOST) != null ? s.get(BackendOptions.DB_HOST) : environment.env().get("DATABRICKS_HOST");
        DatabricksSettings settings = DatabricksSettings.builder(host, s.get(BackendOptions.DB_SPARK_VERSION),
                        s.get(BackendOptions.DB_JOBS_JAR), s.get(BackendOptions.DB_RESULT_DIR))
                .nodeTypeId(s.get(BackendOptions.DB_NODE_TYPE))
                .driverNodeTypeId(s.get(BackendOptions.DB_DRIVER_NODE_TYPE))
                .instancePoolId(s.get(BackendOptions.DB_POOL))
                .driverInstancePoolId(s.get(BackendOptions.DB_DRIVER_POOL))
                .policyId(s.get(BackendOptions.DB_POLICY))
                .availability(DatabricksSettings.Availability.valueOf(s.get(BackendOptions.DB_AVAILABILITY)))
                .dataSecurityMode(s.get(BackendOptions.DB_SECURITY_MODE))
                .customTags(s.get(BackendOptions.DB_TAGS))
                .sparkConf(s.get(BackendOptions.SPARK_CONF))
                .sizing(sizing(BackendOptions.DATABRICKS, s))
                .pollInterval(s.get(BackendOptions.DB_POLL))
                .runNamePrefix(s.get(BackendOptions.DB_RUN_PREFIX))
                .apiRetryBudget(s.get(BackendOptions.DB_RETRY_BUDGET))
                .build();
        return new DatabricksSubmitter(settings);
    }

    private static AwsApiSettings aws(String prefix, OptionValues s) {
        return new AwsApiSettings(prefix, s.get(BackendOptions.AWS_REGION), uri(prefix, "endpoint", s.get(BackendOptions.AWS_ENDPOINT)),
                uri(prefix, "s3-endpoint", s.get(BackendOptions.AWS_S3_ENDPOINT)), s.get(BackendOptions.AWS_MAX_ATTEMPTS),
                s.get(BackendOptions.AWS_THROTTLE_DELAY));
    }

    private static EmrJobSettings emrJob(String prefix, String backend, OptionValues s) {
        return new EmrJobSettings(prefix, s.get(BackendOptions.EMR_JOBS_JAR), s.get(BackendOptions.EMR_RESULT_DIR),
                s.get(BackendOptions.SPARK_CONF), sizing(backend, s), s.get(BackendOptions.AWS_TAGS), s.get(BackendOptions.EMR_POLL));
    }

    private JobSubmitter emr(OptionValues s) {
        String p = EmrSettings.PREFIX;
        return new EmrClusterSubmitter(new EmrSettings(aws(p, s), emrJob(p, BackendOptions.EMR, s), s.get(BackendOptions.EMR_RELEASE),
                s.get(BackendOptions.EMR_SUBNET), s.get(BackendOptions.EMR_SERVICE_ROLE), s.get(BackendOptions.EMR_JOB_FLOW_ROLE),
                s.get(BackendOptions.EMR_LOG_URI), s.get(BackendOptions.EMR_MASTER_TYPE), s.get(BackendOptions.EMR_WORKER_TYPES),
                s.get(BackendOptions.EMR_SPOT_TIMEOUT)));
    }

    private JobSubmitter emrServerless(OptionValues s) {
        String p = EmrServerlessSettings.PREFIX;
        return new EmrServerlessSubmitter(new EmrServerlessSettings(aws(p, s), emrJob(p, BackendOptions.EMR_SERVERLESS, s),
                s.get(BackendOptions.EMRS_APPLICATION), s.get(BackendOptions.EMRS_ROLE), s.get(BackendOptions.EMRS_TIMEOUT)));
    }

    private static java.net.URI uri(String prefix, String key, String value) {
        if (value == null) {
            return null;
        }
        try {
            return new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(prefix + "." + key + ": '" + value + "' is not a URI: " + e.getReason());
        }
    }

    static ClusterSizing sizing(String backend, OptionValues s) {
        try {
            return new ClusterSizing(s.get(BackendOptions.BYTES_PER_WORKER).bytes(), s.get(BackendOptions.MIN_WORKERS),
                    s.get(BackendOptions.MAX_WORKERS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("backends." + backend + ".min-workers/max-workers: " + e.getMessage());
        }
    }
}
