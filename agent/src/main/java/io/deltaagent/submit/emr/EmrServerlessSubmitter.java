package io.deltaagent.submit.emr;

import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobProgress;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.submit.PollLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.JobRun;

/**
 * The {@code emr-serverless} backend: every job is one job run on an existing EMR Serverless application, which
 * brings up workers for the run and releases them after it. The run's client token is the job's idempotency token,
 * so a retried {@link #run} (after a {@link BackendException}, or by a restarted agent) follows the first run
 * instead of starting another. A timeout or an interrupt cancels the run.
 */
public final class EmrServerlessSubmitter implements JobSubmitter, AutoCloseable {

    public static final String BACKEND = "emr-serverless";
    private static final Logger LOG = LoggerFactory.getLogger(EmrServerlessSubmitter.class);

    private final EmrServerlessSettings settings;
    private final EmrServerlessClient serverless;
    private final ResultDocuments results;
    private final Polling api;

    /** Production: credentials from the SDK's default chain (environment, profile, instance or container role). */
    public EmrServerlessSubmitter(EmrServerlessSettings settings) {
        this(settings, DefaultCredentialsProvider.create(), Clock.systemUTC());
    }

    public EmrServerlessSubmitter(EmrServerlessSettings settings, AwsCredentialsProvider credentials, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(credentials, "credentials");
        this.api = new Polling(BACKEND, settings.api().prefix(), Objects.requireNonNull(clock, "clock"));
        this.serverless = AwsClients.serverless(settings.api(), credentials);
        this.results = ResultDocuments.open(settings.api(), credentials);
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public String clusterSpec(JobSpec spec) {
        return EmrServerlessRequests.describe(settings, spec);
    }

    @Override
    public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
        Instant started = api.now();
        Instant deadline = started.plus(timeout);
        String table = spec.table();
        String appId = settings.applicationId();
        var request = EmrServerlessRequests.startJobRun(settings, spec, timeout);
        String doing = "StartJobRun on application " + appId + " for " + table;
        String runId;
        try {
            runId = api.call(doing, () -> serverless.startJobRun(request)).jobRunId();
        } catch (InterruptedException e) {
            // the run may have started before the interrupt cut the answer off: the same client token names it
            // (or starts it, to be cancelled at once), so it is cancelled either way
            try {
                String orphan = api.call(doing, () -> serverless.startJobRun(request)).jobRunId();
                cancel(table, appId, orphan);
            } catch (BackendException | InterruptedException again) {
                LOG.warn("{}: could not find the EMR Serverless run with client token {} to cancel it; check application {} by hand: {}",
                        table, spec.idempotencyToken(), appId, again.getMessage());
            }
            throw e;
        }
        LOG.info("{}: EMR Serverless job run {} on application {} for {}", table, runId, appId, spec.action());
        JobProgress.current().submitted("EMR Serverless job run " + runId + " on application " + appId, null);
        String resultUri = settings.job().resultUri(spec.idempotencyToken());
        return new PollLoop(api.clock(), settings.job().pollInterval()).follow(new PollLoop.RemoteJob() {
            @Override
            public Optional<JobOutcome> look() throws InterruptedException {
                JobRun run = api.call("GetJobRun " + runId + " for " + table,
                        () -> serverless.getJobRun(b -> b.applicationId(appId).jobRunId(runId)).jobRun());
                String state = run.stateAsString();
                JobProgress.current().state(state);
                return switch (state) {
                    case "SUCCESS" -> Optional.of(results.succeeded("EMR Serverless job run " + runId, started, api::now, resultUri));
                    case "FAILED", "CANCELLED" -> {
                        String details = run.stateDetails() == null || run.stateDetails().isBlank() ? ""
                                : ": " + AwsFailures.mask(run.stateDetails());
                        yield Optional.of(results.ended("FAILED".equals(state) ? JobState.FAILED : JobState.CANCELLED, started,
                                api::now, resultUri, "EMR Serverless job run " + runId + " on application " + appId + " " + state
                                        + details));
                    }
                    // SUBMITTED, PENDING, SCHEDULED, RUNNING, QUEUED, CANCELLING: still going
                    default -> Optional.empty();
                };
            }

            @Override
            public JobOutcome timedOut() {
                cancel(table, appId, runId);
                return results.timedOut(timeout, "; EMR Serverless job run " + runId + " was cancelled", started, api::now,
                        resultUri);
            }

            @Override
            public void abandon() {
                cancel(table, appId, runId);
            }
        }, deadline);
    }

    /** Best effort: a failure to cancel is logged (with what to do), not thrown over the outcome. */
    private void cancel(String table, String appId, String runId) {
        boolean interrupted = Thread.interrupted();
        try {
            api.call("CancelJobRun " + runId + " for " + table,
                    () -> serverless.cancelJobRun(b -> b.applicationId(appId).jobRunId(runId)));
            LOG.info("{}: cancelled EMR Serverless job run {}", table, runId);
        } catch (BackendException | InterruptedException e) {
            LOG.warn("{}: could not cancel EMR Serverless job run {} on application {}; cancel it by hand: {}", table,
                    runId, appId, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        serverless.close();
        results.close();
    }
}
