package io.deltaagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code daemon:} section: limits, failure backoff, the HTTP endpoint and cluster identity of
 * {@code delta-agent daemon}. Per-table scheduling (audit schedule, windows, cooldown) lives in the table options.
 */
public final class DaemonOptions {

    private DaemonOptions() {
    }

    public static final ConfigOption<Integer> MAX_CONCURRENT_JOBS = ConfigOption.of(
            "max-concurrent-jobs", OptionType.INTEGER, 2,
            n -> n >= 1 && n <= 1000, "1 to 1000",
            "Maintenance jobs running at once over all backends (and over all daemons sharing the history database).");

    public static final ConfigOption<Map<String, Integer>> MAX_CONCURRENT_JOBS_PER_BACKEND = ConfigOption.of(
            "max-concurrent-jobs-per-backend", OptionType.BACKEND_LIMITS, Map.of(),
            m -> m.values().stream().allMatch(n -> n >= 1), "every limit >= 1",
            "Jobs running at once per backend, e.g. {local: 1}; a backend not listed is bound by max-concurrent-jobs only.");

    public static final ConfigOption<Integer> MAX_CONCURRENT_AUDITS = ConfigOption.of(
            "max-concurrent-audits", OptionType.INTEGER, 4,
            n -> n >= 1 && n <= 64, "1 to 64",
            "Tables audited at once in one audit cycle (audits only read logs: light, but each holds a snapshot in memory).");

    public static final ConfigOption<Duration> JOB_TIMEOUT = ConfigOption.of(
            "job-timeout", OptionType.DURATION, Duration.ofHours(2),
            d -> d.compareTo(Duration.ofMinutes(1)) >= 0, ">= 1m",
            "A job running longer is cancelled and recorded as TIMED_OUT.");

    public static final ConfigOption<Duration> FAILURE_BACKOFF = ConfigOption.of(
            "failure-backoff", OptionType.DURATION, Duration.ofMinutes(10),
            d -> !d.isNegative() && !d.isZero(), "> 0",
            "After a table's maintenance fails, it is not maintained again for this long, doubling with each further consecutive failure.");

    public static final ConfigOption<Duration> MAX_FAILURE_BACKOFF = ConfigOption.of(
            "max-failure-backoff", OptionType.DURATION, Duration.ofHours(24),
            d -> !d.isNegative() && !d.isZero(), "> 0",
            "The longest a failing table is backed off.");

    public static final ConfigOption<Duration> SHUTDOWN_GRACE = ConfigOption.of(
            "shutdown-grace", OptionType.DURATION, Duration.ofSeconds(30),
            d -> !d.isNegative(), ">= 0",
            "On SIGTERM, how long the daemon waits for audits in flight; running jobs are recorded and resumed at the next start, never waited for.");

    public static final ConfigOption<String> HTTP_ADDRESS = ConfigOption.of(
            "http-address", OptionType.STRING, "127.0.0.1:9464",
            a -> a.matches("[^\\s:]+:\\d{1,5}"), "HOST:PORT",
            "Where /healthz, /readyz, /metrics and /api/* listen (loopback by default; port 0 picks a free port).");

    public static final ConfigOption<String> HTTP_TOKEN_ENV = new ConfigOption<>(
            "http-token-env", OptionType.STRING, null, "none",
            n -> n.matches("[A-Za-z_][A-Za-z0-9_]*"), "an environment variable name",
            "Environment variable holding the bearer token /metrics and /api/* require (the token itself never goes in the config).");

    public static final ConfigOption<String> HTTP_TOKEN_FILE = new ConfigOption<>(
            "http-token-file", OptionType.STRING, null, "none",
            n -> !n.isBlank(), "a file path",
            "File holding the bearer token /metrics and /api/* require, as an alternative to http-token-env.");

    public static final ConfigOption<String> INSTANCE_ID = new ConfigOption<>(
            "instance-id", OptionType.STRING, null, "the host name",
            n -> n.matches("[A-Za-z0-9._-]{1,100}"), "letters, digits, '.', '_', '-'",
            "This daemon's name in the scheduler; stable across restarts so its jobs in flight are resumed, distinct per daemon sharing a database.");

    public static final ConfigOption<Duration> CLUSTER_CHECKIN_INTERVAL = ConfigOption.of(
            "cluster-checkin-interval", OptionType.DURATION, Duration.ofMillis(7500),
            d -> d.compareTo(Duration.ofMillis(500)) >= 0, ">= 500ms",
            "With PostgreSQL, how often daemons sign in to the shared scheduler; a daemon silent for about twice this long is taken over by the others.");

    public static final ConfigOption<Boolean> INCREMENTAL_AUDITS = ConfigOption.of(
            "incremental-audits", OptionType.BOOLEAN, true,
            b -> true, "true or false",
            "Re-audit a table by listing its log from the last version seen and applying only the new commits to the last audit's figures (same figures as a full read; an unchanged table costs about one LIST request). Off: every cycle reads every log in full.");

    public static final ConfigOption<Duration> FULL_AUDIT_INTERVAL = ConfigOption.of(
            "full-audit-interval", OptionType.DURATION, Duration.ofHours(24),
            d -> d.compareTo(Duration.ofMinutes(1)) >= 0, ">= 1m",
            "With incremental-audits, a table is still read in full (its whole log listed, its checkpoint read, its cold log-read latency measured) at least this often.");

    public static final ConfigOption<Double> BUDGET_PER_DAY = new ConfigOption<>(
            "budget-per-day", OptionType.DECIMAL, null, "none",
            d -> d > 0, "> 0",
            "The fleet's maintenance compute budget per UTC day, in the backends' cost-currency (their prices must be set): actions are admitted by gain per estimated cost, best first, until it is spent; the rest wait (BUDGET). Not with budget-compute-hours-per-day.");

    public static final ConfigOption<Double> BUDGET_COMPUTE_HOURS_PER_DAY = new ConfigOption<>(
            "budget-compute-hours-per-day", OptionType.DECIMAL, null, "none",
            d -> d > 0, "> 0",
            "The same budget in compute-hours per UTC day: core-hours on the local backend, node-hours (driver included) on cluster backends. Not with budget-per-day.");

    public static final ConfigOption<Integer> LEARNING_RUNS = ConfigOption.of(
            "learning-runs", OptionType.INTEGER, 5,
            n -> n >= 1 && n <= 100, "1 to 100",
            "How many of a table's latest measured runs of an action correct the next prediction of its gain and cost (the ratio of measured to predicted, bounded to 0.25 to 4).");

    public static final ConfigOption<Boolean> SHADOW = ConfigOption.of(
            "shadow", OptionType.BOOLEAN, false,
            b -> true, "true or false",
            "Shadow mode: every decision is made and recorded in the history database (what would run, its predicted gain and cost) and nothing is submitted; report --shadow turns it into a what-if. Also daemon --shadow.");

    public static final ConfigOption<Integer> STORAGE_REQUEST_BUDGET = ConfigOption.of(
            "storage-request-budget", OptionType.INTEGER, 0,
            n -> n >= 0, ">= 0 (0: no limit)",
            "Storage requests (LIST, GET, HEAD) one audit cycle may spend per bucket; audits of a bucket whose budget is spent are deferred to the next cycle, not failed. 0: no limit.");

    public static final ConfigOption<Duration> THROTTLE_BACKOFF = ConfigOption.of(
            "throttle-backoff", OptionType.DURATION, Duration.ofSeconds(30),
            d -> !d.isNegative() && !d.isZero(), "> 0",
            "After the store throttles a bucket (503 SlowDown, 429) once S3A's own retries are spent, no audit of that bucket starts for about this long (jittered), doubling with each further throttling until a read succeeds.");

    public static final ConfigOption<Duration> MAX_THROTTLE_BACKOFF = ConfigOption.of(
            "max-throttle-backoff", OptionType.DURATION, Duration.ofMinutes(15),
            d -> !d.isNegative() && !d.isZero(), "> 0",
            "The longest a throttled bucket is backed off.");

    public static final List<ConfigOption<?>> ALL = List.of(
            MAX_CONCURRENT_JOBS, MAX_CONCURRENT_JOBS_PER_BACKEND, MAX_CONCURRENT_AUDITS, JOB_TIMEOUT,
            FAILURE_BACKOFF, MAX_FAILURE_BACKOFF, SHUTDOWN_GRACE, HTTP_ADDRESS, HTTP_TOKEN_ENV, HTTP_TOKEN_FILE,
            INSTANCE_ID, CLUSTER_CHECKIN_INTERVAL, INCREMENTAL_AUDITS, FULL_AUDIT_INTERVAL, BUDGET_PER_DAY,
            BUDGET_COMPUTE_HOURS_PER_DAY, LEARNING_RUNS, SHADOW, STORAGE_REQUEST_BUDGET, THROTTLE_BACKOFF, MAX_THROTTLE_BACKOFF);

    public static final Map<String, ConfigOption<?>> BY_KEY = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(ConfigOption::key, Function.identity()));
}
