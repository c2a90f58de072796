package io.deltaagent.jobs.run;

import static java.util.Objects.requireNonNull;

import io.deltaagent.jobs.request.JobCommandLine;
import io.deltaagent.jobs.request.JobRequest;
import io.deltaagent.jobs.request.OptimizeRequest;
import io.deltaagent.jobs.result.ErrorInfo;
import io.deltaagent.jobs.result.ExitCode;
import io.deltaagent.jobs.result.JobResult;
import io.deltaagent.jobs.result.Status;
import io.deltaagent.jobs.retry.Retrier;
import io.deltaagent.jobs.retry.Sleeper;
import io.deltaagent.jobs.spark.ConfScope;
import io.deltaagent.jobs.spark.DeltaConflicts;
import io.deltaagent.jobs.spark.SessionTuning;
import io.deltaagent.jobs.table.TableInspector;
import io.deltaagent.jobs.table.TableState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request end to end and always returns a result: inspect the table, validate the request against
 * it, size the session, run the action with conflict retries, and describe whatever happened. Session
 * settings changed for the run are restored afterwards.
 */
public final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Supplier<SparkSession> sessions;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final ActionFactory actions;

    public JobRunner(Supplier<SparkSession> sessions, Clock clock, Sleeper sleeper, DoubleSupplier random,
            ActionFactory actions) {
        this.sessions = requireNonNull(sessions, "sessions");
        this.actions = requireNonNull(actions, "actions");
        this.clock = requireNonNull(clock, "clock");
        this.sleeper = requireNonNull(sleeper, "sleeper");
        this.random = requireNonNull(random, "random");
    }

    public RunOutcome run(JobRequest request, RunOptions options) {
        Instant started = clock.instant();
        AtomicInteger attempts = new AtomicInteger();
        JobResult.Builder result = JobResult.builder().action(request.action()).table(request.table());
        if (request instanceof OptimizeRequest optimize) {
            result.where(optimize.where()).zOrderBy(optimize.zOrderBy());
            if (optimize.sizes() != null) {
                result.sizes(optimize.sizes().minFileSize(), optimize.sizes().maxFileSize(), optimize.sizes().maxBytesPerCommit());
            }
        }
        ExitCode exitCode;
        try {
            SparkSession spark = sessions.get();
            result.sparkApplicationId(spark.sparkContext().applicationId());
            try (ConfScope scope = new ConfScope(spark.conf())) {
                SessionTuning.beforeInspection(spark, scope);
                if (options.runTag() != null) {
                    // Delta writes this session setting into the commitInfo of every commit (DeltaSQLConf.DELTA_USER_METADATA)
                    scope.set("spark.databricks.delta.commitInfo.userMetadata", JobCommandLine.TAG_PREFIX + options.runTag());
                }
                TableState table = new TableInspector(spark).inspect(request.table());
                result.versionBefore(table.version()).partitionColumns(table.partitionColumns())
                        .clusteringColumns(table.clusteringColumns());
                MaintenanceAction action = actions.create(request, spark, scope);
                action.validate(table);
                SessionTuning.apply(spark, scope, table);
                Retrier retrier = new Retrier(options.retry(), DeltaConflicts::isConflict, sleeper, random);
                ActionOutcome outcome = retrier.call(request.table(), attempts, n -> action.execute());
                result.status(Status.SUCCEEDED)
                        .versionBefore(outcome.versionBefore())
                        .versionAfter(outcome.versionAfter())
                        .commitVersion(outcome.commitVersion())
                        .commitVersions(outcome.commitVersions())
                        .files(outcome.filesRemoved(), outcome.filesAdded())
                        .bytes(outcome.bytesRemoved(), outcome.bytesAdded())
                        .partitionsOptimized(outcome.partitionsOptimized())
                        .log(outcome.log())
                        .vacuum(outcome.vacuum());
                exitCode = ExitCode.SUCCESS;
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable error) {
            exitCode = Failures.exitCode(error);
            ErrorInfo info = Failures.describe(request.table(), request.action(), error);
            if (exitCode == ExitCode.FAILED) {
                LOG.error("{} (exit {})", info.message(), exitCode.code(), error);
            } else {
                // bad input and exhausted retries are expected outcomes: the message says it all
                LOG.warn("{} (exit {})", info.message(), exitCode.code());
            }
            result.status(Status.FAILED).error(info);
        }
        Instant ended = clock.instant();
        JobResult done = result.attempts(attempts.get())
                .timing(iso(started), iso(ended), Math.max(0, Duration.between(started, ended).toMillis()))
                .build();
        LOG.info("{}: {} {} in {} ms: version {} -> {}, files -{} +{}, bytes -{} +{}, attempts {}", done.table(),
                done.action(), done.status(), done.durationMs(), done.versionBefore(), done.versionAfter(),
                done.filesRemoved(), done.filesAdded(), done.bytesRemoved(), done.bytesAdded(), done.attempts());
        return new RunOutcome(done, exitCode);
    }

    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
