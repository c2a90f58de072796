package io.deltaagent.maintain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.CommitInfoReader;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.submit.ResumableJobSubmitter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles runs a CLI process left SUBMITTED or RUNNING when it died (SIGKILL, OOM, a lost worker), so history agrees
 * with the table: a job that is still running is left to run; otherwise the run's end is read from its job's result
 * (local backend) and, above all, from the table's log, where every commit of the job carries the run's tag
 * (commitInfo.userMetadata). A run whose job committed is recorded with its commits; one that left no commit and no
 * result is recorded FAILED with what was checked. Runs of a process that still runs, or ran on another host, are
 * not touched.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** One settled run: its id, the state it was given, and why. */
    public record Settled(long runId, String table, String action, RunState state, Long commitVersion, String reason) {
    }

    private final HistoryStore store;
    private final DeltaLogReader reader;
    private final CommitInfoReader commits;
    private final Function<String, JobSubmitter> backends;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration jobTimeout;

    /** @param jobTimeout runs older than this with no owner recorded (agents before owners were kept) count as abandoned */
    public Reconciler(HistoryStore store, DeltaLogReader reader, Function<String, JobSubmitter> backends, ObjectMapper json,
                      Clock clock, Duration jobTimeout) {
        this.store = store;
        this.reader = reader;
        this.commits = new CommitInfoReader(reader.hadoopConf());
        this.backends = backends;
        this.json = json;
        this.clock = clock;
        this.jobTimeout = jobTimeout;
    }

    /** Settles the abandoned runs of the tables in {@code settings} (canonical path to settings); returns what it did. */
    public List<Settled> reconcile(java.util.Map<String, TableSettings> settings) {
        List<Settled> out = new ArrayList<>();
        for (RunRecord run : store.unfinished()) {
            TableSettings tableSettings = settings.get(run.table());
            if (tableSettings == null || !abandoned(run)) {
                continue;
            }
            try {
                settle(run, tableSettings).ifPresent(out::add);
            } catch (DeltaAgentException e) {
                LOG.warn("{}: run {} ({}) left {}: cannot settle it now: {}", run.table(), run.id(), run.action(), run.state(),
                        e.getMessage());
            }
        }
        return out;
    }

    private boolean abandoned(RunRecord run) {
        if (run.owner() == null) {
            return run.submittedAt().plus(jobTimeout).isBefore(clock.instant());
        }
        return RunOwner.gone(run.owner(), run.submittedAt());
    }

    private Optional<Settled> settle(RunRecord run, TableSettings settings) {
        JobOutcome polled = null;
        JobSubmitter backend = run.jobHandle() == null ? null : backends.apply(run.backend());
        if (backend instanceof ResumableJobSubmitter resumable) {
            Optional<JobOutcome> ended = resumable.poll(run.jobHandle());
            if (ended.isEmpty()) {
                LOG.info("{}: run {} ({}) was left {} by {}, but its job still runs; left to finish", run.table(), run.id(),
                        run.action(), run.state(), run.owner());
                return Optional.empty();
            }
            polled = ended.get();
        }
        List<Long> tagged = tagged(run);
        RunState state;
        String reason;
        Long commit = tagged.isEmpty() ? (polled == null ? null : polled.commitVersion()) : tagged.get(tagged.size() - 1);
        String lost = "its agent process (" + (run.owner() == null ? "unrecorded" : run.owner()) + ") ended while the job ran";
        if (polled != null && polled.resultJson() != null) {
            state = RunState.of(polled.state());
            reason = lost + "; settled from the job's result" + (polled.message() == null ? "" : ": " + polled.message());
        } else if (!tagged.isEmpty()) {
            state = RunState.SUCCEEDED;
            reason = lost + "; settled from the log: commit" + (tagged.size() == 1 ? " " : "s ") + tagged + " carry its tag "
                    + run.commitTag();
        } else {
            state = RunState.FAILED;
            reason = lost + "; state unknown: " + (run.commitTag() == null
                    ? "it was recorded without a commit tag, so the log cannot tell whether it committed"
                    : "no commit after version " + run.tableVersionBefore() + " carries its tag " + run.commitTag())
                    + (polled == null ? "" : "; " + polled.message()) + "; check the table's history before running it again";
        }
        TableHealth after = null;
        try {
            after = reader.read(TableLocation.of(run.table()), settings);
        } catch (TableReadException e) {
            reason = reason + "; re-audit failed: " + e.getMessage();
        }
        String commitInfo = commits.describe(run.table(), commit);
        if (commitInfo != null) {
            store.commitInfo(run.id(), commitInfo);
        }
        boolean moved = store.finished(run.id(), state, polled == null ? run.startedAt() : polled.startedAt(), clock.instant(),
                polled == null ? null : polled.resultJson(), after == null ? null : write(after), commit, reason);
        if (!moved) {
            return Optional.empty(); // settled by another process meanwhile
        }
        LOG.warn("{}: run {} ({}) reconciled to {}: {}", run.table(), run.id(), run.action(), state, reason);
        return Optional.of(new Settled(run.id(), run.table(), run.action(), state, commit, reason));
    }

    private List<Long> tagged(RunRecord run) {
        if (run.commitTag() == null) {
            return List.of();
        }
        try {
            return commits.taggedCommits(run.table(), run.tableVersionBefore(), run.commitTag());
        } catch (IOException | RuntimeException e) {
            throw new DeltaAgentException(run.table() + ": cannot read the log to settle run " + run.id() + ": " + e.getMessage(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
