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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterStateChangeReason;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import software.amazon.awssdk.services.emr.model.FailureDetails;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepState;
import software.amazon.awssdk.services.emr.model.StepSummary;

/**
 * The {@code emr} backend: every job gets a transient EMR cluster (RunJobFlow) that runs the job as its only step
 * and terminates when the step ends, whatever its outcome.
 *
 * <p>RunJobFlow takes no client token, so the cluster's name carries the job's idempotency token: before starting a
 * cluster, the active clusters are searched for that name and a match is followed instead. A {@link
 * BackendException} while following leaves the cluster running (it ends by itself): a retried {@link #run} finds and
 * follows it. A timeout or an interrupt terminates it.
 */
public final class EmrClusterSubmitter implements JobSubmitter, AutoCloseable {

    public static final String BACKEND = "emr";
    private static final Logger LOG = LoggerFactory.getLogger(EmrClusterSubmitter.class);
    private static final List<ClusterState> ACTIVE = List.of(ClusterState.STARTING, ClusterState.BOOTSTRAPPING,
            ClusterState.RUNNING, ClusterState.WAITING);

    private final EmrSettings settings;
    private final EmrClient emr;
    private final ResultDocuments results;
    private final Polling api;

    /** Production: credentials from the SDK's default chain (environment, profile, instance or container role). */
    public EmrClusterSubmitter(EmrSettings settings) {
        this(settings, DefaultCredentialsProvider.create(), Clock.systemUTC());
    }

    public EmrClusterSubmitter(EmrSettings settings, AwsCredentialsProvider credentials, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(credentials, "credentials");
        this.api = new Polling(BACKEND, settings.api().prefix(), Objects.requireNonNull(clock, "clock"));
        this.emr = AwsClients.emr(settings.api(), credentials);
        this.results = ResultDocuments.open(settings.api(), credentials);
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public String clusterSpec(JobSpec spec) {
        return EmrClusterRequests.describe(settings, spec);
    }

    @Override
    public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
        Instant started = api.now();
        Instant deadline = started.plus(timeout);
        String name = EmrClusterRequests.clusterName(spec);
        String clusterId = null;
        try {
            clusterId = findActive(spec.table(), name).orElse(null);
            if (clusterId == null) {
                var request = EmrClusterRequests.runJobFlow(settings, spec);
                clusterId = api.call("RunJobFlow for " + spec.table(), () -> emr.runJobFlow(request)).jobFlowId();
                LOG.info("{}: started EMR cluster {} ({}) for {}", spec.table(), clusterId, name, spec.action());
            } else {
                LOG.info("{}: following EMR cluster {} already running this job ({})", spec.table(), clusterId, name);
            }
        } catch (InterruptedException e) {
            if (clusterId == null) {
                // RunJobFlow may have started the cluster before the interrupt cut its answer off
                clusterId = findQuietly(spec.table(), name);
            }
            if (clusterId != null) {
                terminate(spec, clusterId);
            }
            throw e;
        }
        JobProgress.current().submitted("EMR cluster " + clusterId, null);
        return follow(spec, clusterId, started, deadline, timeout);
    }

    private Optional<String> findActive(String table, String name) throws InterruptedException {
        return api.call("ListClusters for " + table, () -> {
            for (ClusterSummary c : emr.listClustersPaginator(b -> b.clusterStates(ACTIVE)).clusters()) {
                if (name.equals(c.name())) {
                    return Optional.of(c.id());
                }
            }
            return Optional.<String>empty();
        });
    }

    private String findQuietly(String table, String name) {
        try {
            return findActive(table, name).orElse(null);
        } catch (BackendException | InterruptedException e) {
            LOG.warn("{}: could not look for EMR cluster '{}' to terminate it; check for it by hand: {}", table, name, e.getMessage());
            return null;
        }
    }

    /** Follows the cluster's step until it ends (its result read and judged); terminates the cluster at the deadline or on an interrupt. */
    private JobOutcome follow(JobSpec spec, String clusterId, Instant started, Instant deadline, Duration timeout)
            throws InterruptedException {
        String table = spec.table();
        String resultUri = settings.job().resultUri(spec.idempotencyToken());
        return new PollLoop(api.clock(), settings.job().pollInterval()).follow(new PollLoop.RemoteJob() {
            private String stepId;

            @Override
            public Optional<JobOutcome> look() throws InterruptedException {
                if (stepId == null) {
                    stepId = findStep(table, clusterId);
                }
                StepCheck step = stepId == null ? null : checkStep(table, clusterId, stepId, resultUri, started);
                if (step != null && step.outcome() != null) {
                    return Optional.of(step.outcome());
                }
                // a running step reports its cluster's failures itself; before it runs, only the cluster tells
                ClusterState state = null;
                Cluster cluster = null;
                if (step == null || step.state() != StepState.RUNNING) {
                    cluster = api.call("DescribeCluster " + clusterId + " for " + table,
                            () -> emr.describeCluster(b -> b.clusterId(clusterId)).cluster());
                    state = cluster.status().state();
                }
                JobProgress.current().state(step != null ? "step " + step.state() : "cluster " + state);
                if (state == ClusterState.TERMINATED || state == ClusterState.TERMINATED_WITH_ERRORS) {
                    // the step may have ended between the two calls: its own state says more than the cluster's
                    if (stepId != null) {
                        StepCheck last = checkStep(table, clusterId, stepId, resultUri, started);
                        if (last.outcome() != null) {
                            return Optional.of(last.outcome());
                        }
                    }
                    return Optional.of(results.ended(state == ClusterState.TERMINATED_WITH_ERRORS ? JobState.FAILED : JobState.CANCELLED,
                            started, api::now, resultUri, "EMR cluster " + clusterId + " " + state + " before the job ended"
                                    + reason(cluster.status().stateChangeReason())));
                }
                return Optional.empty();
            }

            @Override
            public JobOutcome timedOut() {
                terminate(spec, clusterId);
                return results.timedOut(timeout, "; EMR cluster " + clusterId + " was terminated", started, api::now, resultUri);
            }

            @Override
            public void abandon() {
                terminate(spec, clusterId);
            }
        }, deadline);
    }

    private String findStep(String table, String clusterId) throws InterruptedException {
        List<StepSummary> steps = api.call("ListSteps " + clusterId + " for " + table,
                () -> emr.listSteps(b -> b.clusterId(clusterId)).steps());
        return steps.stream().filter(s -> s.name() != null && s.name().startsWith(EmrClusterRequests.NAME_PREFIX))
                .map(StepSummary::id).findFirst().orElse(null);
    }

    /** A step's state, and the job's outcome when the step has ended (else null). */
    private record StepCheck(StepState state, JobOutcome outcome) {
    }

    private StepCheck checkStep(String table, String clusterId, String stepId, String resultUri, Instant started)
            throws InterruptedException {
        Step step = api.call("DescribeStep " + stepId + " for " + table,
                () -> emr.describeStep(b -> b.clusterId(clusterId).stepId(stepId)).step());
        return new StepCheck(step.status().state(), stepOutcome(table, clusterId, step, resultUri, started));
    }

    private JobOutcome stepOutcome(String table, String clusterId, Step step, String resultUri, Instant started)
            throws InterruptedException {
        String stepId = step.id();
        StepState state = step.status().state();
        if (state == StepState.COMPLETED) {
            return results.succeeded("EMR step " + stepId + " on cluster " + clusterId, started, api::now, resultUri);
        }
        if (state == StepState.FAILED || state == StepState.INTERRUPTED) {
            return results.ended(JobState.FAILED, started, api::now, resultUri, "EMR step " + stepId + " on cluster "
                    + clusterId + " " + state + failure(step.status().failureDetails()));
        }
        if (state == StepState.CANCELLED) {
            // EMR cancels the pending steps of a cluster that failed to start: that is the cluster's failure
            Cluster cluster = api.call("DescribeCluster " + clusterId + " for " + table,
                    () -> emr.describeCluster(b -> b.clusterId(clusterId)).cluster());
            boolean clusterFailed = cluster.status().state() == ClusterState.TERMINATED_WITH_ERRORS;
            return results.ended(clusterFailed ? JobState.FAILED : JobState.CANCELLED, started, api::now, resultUri,
                    "EMR step " + stepId + " on cluster " + clusterId + " CANCELLED; the cluster is "
                            + cluster.status().stateAsString() + reason(cluster.status().stateChangeReason()));
        }
        return null;
    }

    private static String failure(FailureDetails d) {
        if (d == null) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        if (d.reason() != null) {
            s.append(": ").append(d.reason());
        }
        if (d.message() != null) {
            s.append(": ").append(AwsFailures.mask(d.message()));
        }
        if (d.logFile() != null) {
            s.append("; log: ").append(d.logFile());
        }
        return s.toString();
    }

    private static String reason(ClusterStateChangeReason r) {
        if (r == null) {
            return "";
        }
        return (r.codeAsString() == null ? "" : ": " + r.codeAsString()) + (r.message() == null ? "" : ": " + AwsFailures.mask(r.message()));
    }

    /** Best effort: the cluster must not outlive the agent's interest; a failure here is logged, not thrown. */
    private void terminate(JobSpec spec, String clusterId) {
        boolean interrupted = Thread.interrupted();
        try {
            api.call("TerminateJobFlows " + clusterId + " for " + spec.table(),
                    () -> emr.terminateJobFlows(b -> b.jobFlowIds(clusterId)));
            LOG.info("{}: terminated EMR cluster {}", spec.table(), clusterId);
        } catch (BackendException | InterruptedException e) {
            LOG.warn("{}: could not terminate EMR cluster {}; terminate it by hand: {}", spec.table(), clusterId, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        emr.close();
        results.close();
    }
}
