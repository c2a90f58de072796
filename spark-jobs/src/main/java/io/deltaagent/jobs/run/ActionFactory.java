package io.deltaagent.jobs.run;

import io.deltaagent.jobs.request.JobRequest;
import io.deltaagent.jobs.spark.ConfScope;
import org.apache.spark.sql.SparkSession;

/** Makes the action for a request; {@link Actions#forRequest} in production. */
@FunctionalInterface
public interface ActionFactory {
    ActionFactory DEFAULT = Actions::forRequest;

    /** @param scope session settings the action may change for the length of the run */
    MaintenanceAction create(JobRequest request, SparkSession spark, ConfScope scope);
}
