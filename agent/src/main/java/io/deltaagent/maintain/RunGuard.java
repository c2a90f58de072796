package io.deltaagent.maintain;

import io.deltaagent.config.Durations;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.store.HealthFigures;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps {@code maintain} from repeating itself: an action is not run again on a table within its
 * {@code cooldown}, and an action whose last run succeeded but changed nothing measurable is not run again until the
 * table has changed (a new version). A unit of a split action that succeeded starts no cooldown: the next unit of its
 * plan may follow at once (in the same run of maintain, or at the daemon's next cycle).
 */
public final class RunGuard {

    private final HistoryStore store;

    public RunGuard(HistoryStore store) {
        this.store = store;
    }

    /** Why {@code action} must not run now on the table at {@code version}, or empty when it may. */
    public Optional<String> refusal(String table, PlannedAction action, long version, java.time.Duration cooldown, Instant now) {
        Optional<RunRecord> last = store.runs().lastRun(table, action.action().name());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        RunRecord run = last.get();
        if (run.state() == RunState.SUCCEEDED && run.moreUnitsFollow()) {
            return Optional.empty();
        }
        Instant since = run.endedAt() != null ? run.endedAt() : run.submittedAt();
        if (!cooldown.isZero() && since.plus(cooldown).isAfter(now)) {
            return Optional.of(action.action() + " skipped: run " + run.id() + " of it "
                    + (run.endedAt() != null ? "ended at " : "(" + run.state() + ") was submitted at ") + since
                    + ", within the cooldown of " + Durations.toConfigString(cooldown));
        }
        HealthFigures before = run.before();
        HealthFigures after = run.after();
        // a run that failed did not show the action is useless: only a successful one that changed nothing does
        if (run.state() == RunState.SUCCEEDED && before != null && after != null && before.sameMaintenanceFigures(after)
                && after.version() == version) {
            return Optional.of(action.action() + " skipped: run " + run.id() + " changed nothing measurable and the table "
                    + "has not changed since (version " + version + ")");
        }
        return Optional.empty();
    }
}
