package io.deltaagent.jobs.run;

import io.deltaagent.jobs.checkpoint.CheckpointAction;
import io.deltaagent.jobs.optimize.OptimizeAction;
import io.deltaagent.jobs.request.CheckpointRequest;
import io.deltaagent.jobs.request.JobRequest;
import io.deltaagent.jobs.request.OptimizeRequest;
import io.deltaagent.jobs.request.VacuumRequest;
import io.deltaagent.jobs.spark.ConfScope;
import io.deltaagent.jobs.vacuum.VacuumAction;
import org.apache.spark.sql.SparkSession;

/** Binds a request to the action that carries it out. */
public final class Actions {
    private Actions() {
    }

    public static MaintenanceAction forRequest(JobRequest request, SparkSession spark, ConfScope scope) {
        if (request instanceof OptimizeRequest optimize) {
            return new OptimizeAction(spark, optimize, scope);
        }
        if (request instanceof CheckpointRequest checkpoint) {
            return new CheckpointAction(spark, checkpoint, scope);
        }
        if (request instanceof VacuumRequest vacuum) {
            return new VacuumAction(spark, vacuum, scope);
        }
        throw new IllegalArgumentException("no action for " + request.getClass().getName());
    }
}
