package io.deltaagent.daemon;

import io.deltaagent.cost.CostEstimate;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.store.ActionClaim;
import io.deltaagent.store.DecisionRow;
import io.deltaagent.store.DecisionStore;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.submit.JobOutcome;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a budgeted decision's spend true to what its run did: linked to the run when it starts, settled with the cost
 * measured from the job's duration when it ends, settled at 0 when nothing ran. A database that fails loses only the
 * correction (the prediction keeps counting), never the run.
 */
final class DecisionLedger {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLedger.class);

    private final DecisionStore decisions;
    private final CostEstimator costs;
    private final Clock clock;

    DecisionLedger(HistoryStore store, CostEstimator costs, Clock clock) {
        this.decisions = new DecisionStore(store);
        this.costs = costs;
        this.clock = clock;
    }

    void started(ActionClaim claim, long runId) {
        try {
            decisions.open(claim.table(), claim.action()).ifPresent(d -> decisions.started(d.id(), runId));
        } catch (DeltaAgentException e) {
            LOG.warn("{}: run {} is not linked to its budget decision: {}", claim.table(), runId, e.getMessage());
        }
    }

    /** The run ended: its spend becomes what its job's duration cost on its backend. */
    void ended(ActionClaim claim, JobOutcome outcome) {
        try {
            decisions.open(claim.table(), claim.action()).ifPresent(d -> {
                Duration ran = outcome.startedAt() == null || outcome.endedAt() == null ? Duration.ZERO
                        : Duration.between(outcome.startedAt(), outcome.endedAt());
                settle(d, ran);
            });
        } catch (DeltaAgentException e) {
            LOG.warn("{}: the measured cost of its {} run is not recorded against the budget: {}", claim.table(), claim.action(),
                    e.getMessage());
        }
    }

    /** Nothing ran (no longer due, unreadable, refused, shadow): the decision spends nothing. */
    void notStarted(ActionClaim claim) {
        try {
            decisions.open(claim.table(), claim.action()).ifPresent(d -> settle(d, Duration.ZERO));
        } catch (DeltaAgentException e) {
            LOG.warn("{}: its unstarted {} still counts against the budget: {}", claim.table(), claim.action(), e.getMessage());
        }
    }

    private void settle(DecisionRow d, Duration ran) {
        double hours = costs.units(d.backend(), d.predictedBytes()) * ran.toMillis() / 3_600_000.0;
        BigDecimal money = ran.isZero() ? (d.predictedCost() == null ? null : BigDecimal.ZERO)
                : costs.estimate(d.backend(), d.predictedBytes(), ran).map(CostEstimate::amount).orElse(null);
        decisions.settle(d.id(), money, hours, clock.instant());
    }
}
