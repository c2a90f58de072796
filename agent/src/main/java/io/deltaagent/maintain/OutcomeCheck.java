package io.deltaagent.maintain;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.deltalog.history.CommitInfoReader;
import io.deltaagent.health.TableHealth;
import io.deltaagent.plan.CommitMetrics;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a finished run against its prediction with what the table's log says it did: the operation metrics of every
 * commit the job reports, read back, not the job's own counts. Used by maintain and the daemon alike.
 */
public final class OutcomeCheck {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeCheck.class);

    private final CommitInfoReader commits;

    public OutcomeCheck(CommitInfoReader commits) {
        this.commits = commits;
    }

    /**
     * @param after the table re-measured after the run, or null when it could not be read
     * @return the prediction with the actual figures; actual ones unknown when the job committed nothing or a commit it
     *         reports cannot be read back (cleaned up, unreadable): nothing is judged then. A job that did not succeed
     *         but committed (cancelled after a commit) gets what its commits did, not judged: it did part of the work
     */
    public PlanCheck judge(String table, MaintenanceAction action, PlanCheck planned, JobOutcome outcome, TableHealth after,
                           double tolerance) {
        Long filesAfter = after == null ? null : after.files().activeFiles();
        if (outcome.state() != JobState.SUCCEEDED) {
            List<Long> versions = outcome.commitVersions();
            CommitMetrics done = versions.isEmpty() ? null : readBack(table, versions);
            return done == null ? planned.judged(action, null, filesAfter, tolerance) : planned.partly(done, filesAfter);
        }
        CommitMetrics actual = readBack(table, outcome.commitVersions());
        PlanCheck checked = planned.judged(action, actual, filesAfter, tolerance);
        if (checked.deviation() != null) {
            LOG.warn("{}: {} deviated from its plan: {}", table, action, checked.deviation());
        }
        return checked;
    }

    private CommitMetrics readBack(String table, List<Long> versions) {
        List<JsonNode> infos = new ArrayList<>();
        for (long version : versions) {
            try {
                Optional<JsonNode> info = commits.read(table, version);
                if (info.isEmpty()) {
                    LOG.warn("{}: commit {} has no commitInfo to check the run against", table, version);
                    return null;
                }
                infos.add(info.get());
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: cannot read commit {} back to check the run: {}", table, version, e.getMessage());
                return null;
            }
        }
        return CommitMetrics.sum(infos);
    }
}
