package io.deltaagent.daemon;

import io.deltaagent.cost.CostEstimate;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.health.TableHealth;
import io.deltaagent.plan.Expectation;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.store.RunCheck;
import io.deltaagent.store.RunRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Predicts a due action's gain and cost ({@link Forecast}), and corrects both by what the table's latest runs of the same
 * action measured: gain by measured / planned files removed, cost by measured / prior duration, each summed over at most
 * {@code learningRuns} runs and bounded to [{@value #MIN_RATIO}, {@value #MAX_RATIO}] so one odd run cannot silence or
 * flood a table. Learning reads the runs' own records, so runs of {@code maintain} teach it too.
 */
public final class Forecaster {

    static final double MIN_RATIO = 0.25;
    static final double MAX_RATIO = 4.0;
    /** A job's fixed cost before it reads a byte: JVM and Spark start, log replay, commit. */
    static final Duration STARTUP = Duration.ofSeconds(60);
    /** What one core (or node) rewrites per second, before learning corrects it. */
    static final long BYTES_PER_UNIT_SECOND = 32L << 20;
    /** VACUUM's time per file deleted (one DELETE request), before learning corrects it. */
    static final long MILLIS_PER_FILE_DELETED = 2;
    static final long BYTES_PER_POINT = 10L << 20;

    private final BiFunction<String, Integer, List<RunRecord>> history;
    private final CostEstimator costs;
    private final int learningRuns;
    private final boolean scoreByMoney;

    /**
     * @param history a table's latest runs, newest first (table, limit)
     * @param scoreByMoney rank by points per money (a budget in money) instead of per compute-hour
     */
    public Forecaster(BiFunction<String, Integer, List<RunRecord>> history, CostEstimator costs, int learningRuns, boolean scoreByMoney) {
        this.history = history;
        this.costs = costs;
        this.learningRuns = learningRuns;
        this.scoreByMoney = scoreByMoney;
    }

    public Forecast forecast(String table, PlannedAction a, String backend, TableHealth health) {
        Expectation e = a.expected();
        long removed = filesRemoved(a.action(), e);
        double points = points(a.action(), e, health == null ? 0 : health.log().commitsSinceCheckpoint());
        Learned learned = learn(table, a.action(), backend);
        int units = costs.units(backend, e.bytesRewritten());
        Duration prior = prior(a.action(), e.bytesRewritten(), e.filesRewritten(), units);
        Duration corrected = Duration.ofMillis(Math.round(prior.toMillis() * learned.cost));
        double hours = units * corrected.toMillis() / 3_600_000.0;
        BigDecimal money = costs.estimate(backend, e.bytesRewritten(), corrected).map(CostEstimate::amount).orElse(null);
        String currency = costs.estimate(backend, e.bytesRewritten(), corrected).map(CostEstimate::currency).orElse(null);
        double gained = points * learned.gain;
        double per = scoreByMoney && money != null ? money.doubleValue() : hours;
        double score = gained / Math.max(per, 1e-6);
        return new Forecast(gained, Math.round(removed * learned.gain), e.bytesRewritten(), hours, money, currency,
                learned.gain, learned.cost, learned.runs, score);
    }

    /** Files the action takes out of the table: rewritten minus written (OPTIMIZE), deleted (VACUUM), none (CHECKPOINT). */
    static long filesRemoved(MaintenanceAction action, Expectation e) {
        return switch (action) {
            case OPTIMIZE, OPTIMIZE_ZORDER -> Math.max(0, e.filesRewritten() - e.filesWritten());
            case VACUUM -> e.filesRewritten();
            case CHECKPOINT -> 0;
        };
    }

    /** The gain in points, as {@link Forecast} defines them. */
    static double points(MaintenanceAction action, Expectation e, long commitsSinceCheckpoint) {
        return switch (action) {
            case OPTIMIZE, OPTIMIZE_ZORDER -> filesRemoved(action, e);
            case VACUUM -> (double) e.bytesRewritten() / BYTES_PER_POINT;
            case CHECKPOINT -> Math.max(0, commitsSinceCheckpoint - e.commitsSinceCheckpointAfter());
        };
    }

    /** The duration a job is predicted to take before learning: startup, plus bytes over the units' throughput (or deletes). */
    static Duration prior(MaintenanceAction action, long bytes, long files, int units) {
        long millis = switch (action) {
            case OPTIMIZE, OPTIMIZE_ZORDER -> 1000L * bytes / (BYTES_PER_UNIT_SECOND * Math.max(1, units));
            case VACUUM -> files * MILLIS_PER_FILE_DELETED;
            case CHECKPOINT -> 0;
        };
        return STARTUP.plusMillis(millis);
    }

    /** The corrections learned from a table's runs: ratios and how many runs. */
    record Learned(double gain, double cost, int runs) {
    }

    Learned learn(String table, MaintenanceAction action, String backend) {
        List<RunRecord> runs = history.apply(table, 50).stream()
                .filter(r -> r.action().equals(action.name()) && r.state().finished() && r.check() != null
                        && r.startedAt() != null && r.endedAt() != null && r.backend().equals(backend))
                .limit(learningRuns).toList();
        double plannedGain = 0;
        double measuredGain = 0;
        long priorMillis = 0;
        long measuredMillis = 0;
        int n = 0;
        for (RunRecord r : runs) {
            RunCheck c = r.check();
            if (c.filesRewritten() == null) {
                continue; // its commits could not be read back: nothing measured
            }
            n++;
            if (action == MaintenanceAction.OPTIMIZE || action == MaintenanceAction.OPTIMIZE_ZORDER) {
                plannedGain += Math.max(0, c.plannedFilesRewritten() - c.plannedFilesWritten());
                measuredGain += Math.max(0, c.filesRewritten() - (c.filesWritten() == null ? 0 : c.filesWritten()));
            }
            int units = costs.units(backend, c.plannedBytesRewritten());
            priorMillis += prior(action, c.plannedBytesRewritten(), c.plannedFilesRewritten(), units).toMillis();
            measuredMillis += Duration.between(r.startedAt(), r.endedAt()).toMillis();
        }
        if (n == 0) {
            return new Learned(1, 1, 0);
        }
        double gain = plannedGain > 0 ? bounded(measuredGain / plannedGain) : 1;
        double cost = priorMillis > 0 ? bounded((double) measuredMillis / priorMillis) : 1;
        return new Learned(gain, cost, n);
    }

    static double bounded(double ratio) {
        return Math.max(MIN_RATIO, Math.min(MAX_RATIO, ratio));
    }

}
