package io.deltaagent.cost;

import io.deltaagent.submit.JobSpec;
import java.time.Duration;
import java.util.Optional;

/** Estimates what a job cost on a backend, from the backend's configured prices; empty without prices. */
@FunctionalInterface
public interface CostEstimator {

    CostEstimator NONE = (backend, spec, ran) -> Optional.empty();

    Optional<CostEstimate> estimate(String backend, JobSpec spec, Duration ran);
}
