package io.deltaagent.cost;

import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobSubmitter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/** Estimates what a job cost on a backend, from the backend's configured prices; empty without prices. */
@FunctionalInterface
public interface CostEstimator {

    CostEstimator NONE = (backend, spec, ran) -> Optional.empty();

    Optional<CostEstimate> estimate(String backend, JobSpec spec, Duration ran);

    /** The estimates of {@code backends} when they can make them (Backends, from its configured prices), else none. */
    static CostEstimator of(Function<String, JobSubmitter> backends) {
        return backends instanceof CostEstimator estimator ? estimator : NONE;
    }
}
