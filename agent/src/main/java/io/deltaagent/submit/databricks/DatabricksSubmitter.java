package io.deltaagent.submit.databricks;

import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.service.jobs.Run;
import io.deltaagent.jobs.result.ResultDocument;
import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobProgress;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.PollLoop;
import io.deltaagent.submit.ResumableJobSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each job as a one-time Databricks run ({@code jobs/runs/submit}, Jobs API 2.2): a {@code spark_jar_task}
 * on a job cluster made for it, sized from the bytes it rewrites, and released when it ends. The run is followed
 * by polling {@code jobs/runs/get} (not the SDK's waiter, whose default gives up after 20 minutes), and its
 * result document is read back from the result volume through the Files API.
 *
 * <p>The job's idempotency token is the run's {@code idempotency_token}: submitting the same job again (a retry
 * after a lost response, or the agent's retry after a {@link BackendException}) returns the run already started
 * for it and follows that one; no second cluster is started.
 *
 * <p>A later agent process follows a run again by its handle, the idempotency token: the run is found among the
 * workspace's one-time runs of the last {@value #RESUME_WINDOW_DAYS} days by the result file its task writes (named by
 * the token), never by submitting again; a job that never started ends FAILED saying so.
 *
 * <p>The agent-side wait ends at the timeout: the run is cancelled and the outcome is TIMED_OUT. An interrupt
 * (agent shutdown) cancels the run, then throws {@link InterruptedException}. Credentials come only from the
 * Databricks SDK's default auth chain.
 */
public final class DatabricksSubmitter implements ResumableJobSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(DatabricksSubmitter.class);
    /** A result document may be stamped a little before the run's start as Databricks records it (clock skew). */
    private static final Duration RESULT_CLOCK_SKEW = Duration.ofMinutes(1);

    private final DatabricksSettings settings;
    private final RunRequests requests;
    private final DatabricksApi api;
    private final Clock clock;
    private final Duration pollFailureBudget;

    /** The production constructor: credentials from the SDK's default auth chain (environment, ~/.databrickscfg). */
    public DatabricksSubmitter(DatabricksSettings settings) {
        this(settings, new DatabricksConfig(), Clock.systemUTC());
    }

    /**
     * @param config an unresolved SDK config; its host is set from {@code settings}. Tests pass one carrying a token;
     *               production code passes {@code new DatabricksConfig()} so the default auth chain applies.
     */
    public DatabricksSubmitter(DatabricksSettings settings, DatabricksConfig config, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.requests = new RunRequests(settings);
        this.api = new DatabricksApi(settings.host(), Objects.requireNonNull(config, "config"),
                new BoundedRetries(settings.apiRetryBudget()));
        this.clock = Objects.requireNonNull(clock, "clock");
        // how long runs/get may keep failing (after the SDK's retries) before the run is given up as unobservable
        this.pollFailureBudget = settings.apiRetryBudget().plus(settings.pollInterval().multipliedBy(4));
    }

    @Override
    public String backend() {
        return "databricks";
    }

    @Override
    public String clusterSpec(JobSpec spec) {
        return requests.describe(spec);
    }

    @Override
    public String prepare(JobSpec spec) {
        return spec.idempotencyToken();
    }

    @Override
    public JobOutcome run(JobSpec spec, String handle, Duration timeout) throws InterruptedException {
        if (!spec.idempotencyToken().equals(handle)) {
            throw new IllegalArgumentException(spec.table() + ": handle " + handle + " is not this job's idempotency token");
        }
        return run(spec, timeout);
    }

    @Override
    public JobOutcome resume(String handle, Duration timeout) throws InterruptedException {
        Instant resumed = clock.instant();
        String resultPath = requests.resultPath(handle);
        String where = "job " + handle;
        Optional<Long> runId = api.findRun(where, resultPath, resumed.minus(Duration.ofDays(RESUME_WINDOW_DAYS)).toEpochMilli());
        if (runId.isEmpty()) {
            return neverStarted(handle, resultPath, resumed);
        }
        String table = tableOf(api.getRun(where, runId.get()), where);
        LOG.info("{}: following databricks run {} again (job {})", table, runId.get(), handle);
        return follow(table, resultPath, runId.get(), resumed, resumed.plus(timeout), timeout);
    }

    @Override
    public Optional<JobOutcome> poll(String handle) {
        Instant now = clock.instant();
        String resultPath = requests.resultPath(handle);
        String where = "job " + handle;
        try {
            Optional<Long> runId = api.findRun(where, resultPath, now.minus(Duration.ofDays(RESUME_WINDOW_DAYS)).toEpochMilli());
            if (runId.isEmpty()) {
                return Optional.of(neverStarted(handle, resultPath, now));
            }
            Run run = api.getRun(where, runId.get());
            Optional<RunStates.Finished> finished = RunStates.finished(run);
            if (finished.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(outcome(tableOf(run, where), resultPath, run, runId.get(), finished.get(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(api.prefix(where) + "interrupted while looking for its run", false, e);
        }
    }

    /** How many days back a run is looked for when following it again. */
    static final int RESUME_WINDOW_DAYS = 7;

    private JobOutcome neverStarted(String handle, String resultPath, Instant now) {
        return new JobOutcome(JobState.FAILED, null, now, null, "databricks " + settings.host() + ": no one-time run of the last "
                + RESUME_WINDOW_DAYS + " days writes " + resultPath + ": job " + handle + " never started (or its run was deleted)");
    }

    /** The table a run works on: its task's {@code --table} argument. */
    private static String tableOf(Run run, String otherwise) {
        if (run.getTasks() != null) {
            for (var task : run.getTasks()) {
                var parameters = task.getSparkJarTask() == null ? null : new java.util.ArrayList<>(task.getSparkJarTask().getParameters());
                int at = parameters == null ? -1 : parameters.indexOf("--table");
                if (at >= 0 && at + 1 < parameters.size()) {
                    return parameters.get(at + 1);
                }
            }
        }
        return otherwise;
    }

    @Override
    public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(spec.table() + ": the run timeout must be positive, got " + timeout);
        }
        String table = spec.table();
        Instant started = clock.instant();
        Instant deadline = started.plus(timeout);
        long runId = api.submit(table, requests.submitRun(spec, timeout));
        LOG.info("{}: databricks run {} for {} ({}), token {}", table, runId, RunRequests.action(spec),
                requests.describe(spec), spec.idempotencyToken());
        JobProgress.current().submitted("databricks run " + runId, null);
        return follow(table, requests.resultPath(spec), runId, started, deadline, timeout);
    }

    /** Follows the run until it ends (its result read and judged), or cancels it at the deadline or on an interrupt. */
    private JobOutcome follow(String table, String resultPath, long runId, Instant started, Instant deadline, Duration timeout)
            throws InterruptedException {
        return new PollLoop(clock, settings.pollInterval()).follow(new PollLoop.RemoteJob() {
            private Instant failingSince;

            @Override
            public Optional<JobOutcome> look() throws InterruptedException {
                Run run;
                try {
                    run = api.getRun(table, runId);
                    failingSince = null;
                } catch (BackendException e) {
                    if (!e.retryable()) {
                        throw e;
                    }
                    failingSince = failingSince == null ? clock.instant() : failingSince;
                    if (Duration.between(failingSince, clock.instant()).compareTo(pollFailureBudget) > 0) {
                        throw new BackendException(e.getMessage() + "; run " + runId + " may still be running: submitting "
                                + "the same job again follows it (same idempotency token)", true, e);
                    }
                    LOG.warn("{}: cannot read the state of databricks run {}, will retry: {}", table, runId, e.getMessage());
                    return Optional.empty();
                }
                report(runId, run);
                Optional<RunStates.Finished> finished = RunStates.finished(run);
                return finished.isEmpty() ? Optional.empty() : Optional.of(outcome(table, resultPath, run, runId, finished.get(), started));
            }

            @Override
            public JobOutcome timedOut() {
                String cancelled = cancel(table, runId, "it ran longer than " + timeout);
                return JobOutcome.timedOut("databricks run " + runId, timeout, " and was " + cancelled, started, clock.instant(),
                        null);
            }

            @Override
            public void abandon() {
                cancel(table, runId, "the agent is shutting down");
            }
        }, deadline);
    }

    /** The run's page and life-cycle state, to whoever follows the job's progress. */
    private static void report(long runId, Run run) {
        JobProgress progress = JobProgress.current();
        if (run.getRunPageUrl() != null) {
            progress.submitted("databricks run " + runId, run.getRunPageUrl());
        }
        if (run.getState() != null && run.getState().getLifeCycleState() != null) {
            progress.state(run.getState().getLifeCycleState().toString());
        }
    }

    private JobOutcome outcome(String table, String path, Run run, long runId, RunStates.Finished finished, Instant started)
            throws InterruptedException {
        String json;
        String unreadable = null;
        try {
            json = api.download(table, path).map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        } catch (BackendException e) {
            if (e.retryable()) {
                throw new BackendException(e.getMessage() + "; run " + runId + " has ended: submitting the same job "
                        + "again reads its result (same idempotency token)", true, e);
            }
            json = null;
            unreadable = e.getMessage();
        }
        ResultDocument document = json == null ? null : ResultDocument.parse(json).orElse(null);
        if (json != null && document == null) {
            unreadable = "the result document " + path + " is not JSON";
            json = null;
        } else if (document != null && isStale(document, run)) {
            unreadable = "the result document " + path + " is from an earlier run (startedAt " + document.startedAt() + ")";
            json = null;
            document = null;
        }
        Instant ended = clock.instant(); // the agent's clock, like startedAt: Databricks' end_time is another clock
        String url = run.getRunPageUrl() == null ? "" : " (" + run.getRunPageUrl() + ")";
        if (finished.state() == JobState.SUCCEEDED) {
            if (document == null && unreadable != null) {
                return new JobOutcome(JobState.FAILED, started, ended, null, "databricks run " + runId + " succeeded but " + unreadable
                        + url);
            }
            JobOutcome outcome = JobOutcome.judged("databricks run " + runId, JobState.SUCCEEDED, started, ended, json, null, path, url);
            LOG.info("{}: databricks run {} {}", table, runId, outcome.state() == JobState.SUCCEEDED ? "succeeded" : outcome.message());
            return outcome;
        }
        String message = "databricks run " + runId + " " + finished.message() + (document == null ? "" : jobError(document))
                + url;
        LOG.warn("{}: {}", table, message);
        return new JobOutcome(finished.state(), started, ended, json, message);
    }

    /** Cancels the run; returns how that went, for the outcome's message. */
    private String cancel(String table, long runId, String why) {
        boolean interrupted = Thread.interrupted(); // the cancel must go out even during shutdown
        try {
            api.cancel(table, runId);
            LOG.warn("{}: cancelled databricks run {}: {}", table, runId, why);
            return "cancelled";
        } catch (BackendException | InterruptedException e) {
            LOG.error("{}: could not cancel databricks run {} ({}): {}; cancel it in the workspace", table, runId, why,
                    e.getMessage());
            return "not cancelled: " + e.getMessage();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String jobError(ResultDocument document) {
        return document.errorMessage() == null ? "" : "; the job reported: " + document.errorMessage();
    }

    private boolean isStale(ResultDocument document, Run run) {
        if (run.getStartTime() == null || run.getStartTime() <= 0 || document.startedAt() == null) {
            return false;
        }
        try {
            Instant docStart = Instant.parse(document.startedAt());
            return docStart.isBefore(Instant.ofEpochMilli(run.getStartTime()).minus(RESULT_CLOCK_SKEW));
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }
}
