package io.deltaagent.daemon;

import io.deltaagent.config.DaemonSettings;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.health.TableHealth;
import io.deltaagent.store.DecisionRow;
import io.deltaagent.store.DecisionStore;
import io.deltaagent.store.HistoryStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The fleet's daily compute budget and shadow mode, beside admission: forecasts each candidate, ranks by score (gain per
 * cost) when a budget is set, defers what the day's remaining budget cannot pay for, and records every admitted or
 * deferred decision in the history database. The day's spend is read back from there each cycle, so a restart (or a
 * second daemon) goes on from it. Greedy, as OpenHouse does: a candidate that does not fit is deferred and the next,
 * cheaper one may still fit.
 */
final class Budgeting {

    static final String COMPUTE_HOURS = "compute-hours";

    private final Supplier<DaemonSettings> settings;
    private final HistoryStore store;
    private final DecisionStore decisions;
    private final CostEstimator costs;
    private final DaemonMetrics metrics;
    private final String instanceId;

    Budgeting(Supplier<DaemonSettings> settings, HistoryStore store, CostEstimator costs, DaemonMetrics metrics, String instanceId) {
        this.settings = settings;
        this.store = store;
        this.decisions = new DecisionStore(store);
        this.costs = costs;
        this.metrics = metrics;
        this.instanceId = instanceId;
    }

    boolean shadow() {
        return settings.get().shadow();
    }

    /** {@code c} with its forecast (gain, cost, score), corrected by the table's past runs. */
    Candidate forecast(Candidate c, TableHealth health) {
        DaemonSettings s = settings.get();
        Forecaster f = new Forecaster((t, n) -> store.runs().history(t, n), costs, s.learningRuns(), s.budgetPerDay() != null);
        return c.with(f.forecast(c.table(), c.action(), c.backend(), health), health.identity().version());
    }

    /** In shadow mode, an action already admitted at this version would still be running: it is not admitted again. */
    Optional<Decision> shadowRefusal(Candidate c) {
        if (!shadow() || c.version() == null || !decisions.shadowAdmitted(c.table(), c.actionName(), c.version())) {
            return Optional.empty();
        }
        return Optional.of(new Decision(c, 0, Decision.Verdict.IN_FLIGHT, "shadow mode: admitted already at version " + c.version()
                + " (it would be running)"));
    }

    /** By score when a budget is set (points per cost, best first; ties by table), else by gain as always. */
    List<Candidate> rank(List<Candidate> candidates) {
        return settings.get().budgeted() ? byScore(candidates) : Ranking.rank(candidates);
    }

    /** Forecast candidates by score, best first; ties by table, then action. */
    static List<Candidate> byScore(List<Candidate> candidates) {
        List<Candidate> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.comparingDouble((Candidate c) -> c.forecast().score()).reversed()
                .thenComparing(Candidate::table).thenComparing(c -> c.action().action().ordinal()));
        return ranked;
    }

    /** The budget's gate for one admission at {@code now}: starts from what the day has spent. */
    Admission.Gate gate(Instant now) {
        return gate(status(now));
    }

    /**
     * A gate starting from {@code status}: read before the admission takes its lock, so the admission needs no second
     * connection while it holds the lock.
     */
    Admission.Gate gate(BudgetStatus status) {
        DaemonSettings s = settings.get();
        if (!s.budgeted() || status.limit() == null) {
            return Admission.Gate.NONE;
        }
        return new Admission.Gate() {
            double spent = status.spent();

            @Override
            public Optional<String> refusal(Candidate c) {
                double cost = cost(c.forecast());
                if (spent + cost <= status.limit() + 1e-9) {
                    return Optional.empty();
                }
                return Optional.of(String.format(Locale.ROOT, "it would cost ~%s %s and %s of the day's %s are left (%s)",
                        num(cost), status.unit(), num(Math.max(0, status.limit() - spent)), num(status.limit()), key(s)));
            }

            @Override
            public void admitted(Candidate c) {
                spent += cost(c.forecast());
            }
        };
    }

    private double cost(Forecast f) {
        if (settings.get().budgetPerDay() != null) {
            // the config refuses a money budget on a backend without prices; a missing price counts as free, never as a block
            return f.cost() == null ? 0 : f.cost().doubleValue();
        }
        return f.computeHours();
    }

    /** The day's budget as the history database tells it. */
    BudgetStatus status(Instant now) {
        DaemonSettings s = settings.get();
        String day = day(now);
        boolean shadow = s.shadow();
        double spent = 0;
        String currency = null;
        for (DecisionRow r : decisions.day(day, shadow)) {
            if (!"ADMITTED".equals(r.verdict())) {
                continue;
            }
            if (s.budgetPerDay() != null) {
                BigDecimal c = r.costSpent();
                spent += c == null ? 0 : c.doubleValue();
                currency = currency == null ? r.currency() : currency;
            } else {
                spent += r.computeHoursSpent();
            }
        }
        Double limit = s.budgetPerDay() != null ? s.budgetPerDay() : s.budgetComputeHoursPerDay();
        String unit = s.budgetPerDay() != null ? (currency == null ? "money" : currency) : s.budgeted() ? COMPUTE_HOURS : null;
        return new BudgetStatus(day, unit, limit, spent, limit == null ? null : Math.max(0, limit - spent), shadow);
    }

    /**
     * Records the cycle's admitted and budget-deferred decisions (the others are in /api/tables and the metrics), counts every
     * deferral by reason, and sets the budget gauges. The history database's trouble never stops a cycle.
     */
    void record(List<Decision> cycle, Instant now) {
        boolean shadow = shadow();
        for (Decision d : cycle) {
            if (!d.admitted()) {
                metrics.deferred(d.verdict().name().toLowerCase(Locale.ROOT));
            }
            Forecast f = d.candidate().forecast();
            if (f == null || (d.verdict() != Decision.Verdict.ADMITTED && d.verdict() != Decision.Verdict.BUDGET)) {
                continue;
            }
            Candidate c = d.candidate();
            decisions.record(new DecisionRow(null, now, day(now), instanceId, c.table(), c.actionName(), c.backend(), c.version(),
                    d.verdict().name(), d.reason(), shadow, f.score(), f.points(), f.filesRemoved(), f.bytes(), f.cost(),
                    f.computeHours(), f.currency(), null, null, null));
        }
        BudgetStatus status = status(now);
        metrics.budget(status);
    }

    static String day(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    }

    private static String key(DaemonSettings s) {
        return s.budgetPerDay() != null ? "daemon.budget-per-day" : "daemon.budget-compute-hours-per-day";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
