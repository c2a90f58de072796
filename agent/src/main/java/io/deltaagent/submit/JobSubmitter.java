package io.deltaagent.submit;

import java.time.Duration;

/**
 * Runs a maintenance job on compute made for it and released when it ends: never an always-on cluster.
 * One implementation per backend, in a package of its own.
 */
public interface JobSubmitter {

    /** {@code local}, {@code spark-submit}, {@code databricks}, {@code emr}, ... */
    String backend();

    /**
     * The Spark line the jobs run on (the backend's {@code spark-runtime}); which Delta table features a job can write
     * follows from it. Backends built from the config report the configured one; the default is the 3.5 runtime, the
     * only one before Spark 4 jobs existed.
     */
    default SparkRuntime sparkRuntime() {
        return SparkRuntime.SPARK_3_5;
    }

    /** A one-line description of the compute the job gets, recorded with the run. */
    String clusterSpec(JobSpec spec);

    /**
     * Starts the job and waits at most {@code timeout} for it; a job still running then is cancelled
     * ({@link JobState#TIMED_OUT}). When the calling thread is interrupted (agent shutdown) the remote run is
     * cancelled before {@link InterruptedException} is thrown: no compute outlives the agent's interest in it.
     *
     * @throws BackendException when the backend could not start or follow the job
     */
    JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException;
}
