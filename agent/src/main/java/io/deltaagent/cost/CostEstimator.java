package io.deltaagent.cost;

import java.time.Duration;
import java.util.Optional;

/**
 * Estimates what a job cost on a backend from the backend's configured prices and the job's size; empty without prices.
 * It knows rates and sizes only: which backends can estimate is for the backends to say (see {@code Backends}).
 */
@FunctionalInterface
public interface CostEstimator {

    CostEstimator NONE = (backend, bytesToRewrite, ran) -> Optional.empty();

    /**
     * @param bytesToRewrite the bytes the job was planned to rewrite (what sizes a cluster)
     * @param ran how long the job ran
     */
    Optional<CostEstimate> estimate(String backend, long bytesToRewrite, Duration ran);

    /**
     * The compute a job of that size takes on {@code backend}, in the unit its prices count: cores for the local backend,
     * nodes (the driver included) for cluster backends. A budget in compute-hours counts this times the job's hours.
     */
    default int units(String backend, long bytesToRewrite) {
        return 1;
    }
}
