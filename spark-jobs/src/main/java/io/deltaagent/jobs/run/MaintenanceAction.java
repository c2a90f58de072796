package io.deltaagent.jobs.run;

import io.deltaagent.jobs.table.TableState;

/**
 * One maintenance action bound to its request and engine. Lifecycle: {@link #validate} once, then
 * {@link #execute} once per attempt; each attempt starts from the table's latest snapshot.
 */
public interface MaintenanceAction {
    /**
     * Checks the request against the table before anything is written.
     *
     * @throws io.deltaagent.jobs.error.InvalidInputException when the request cannot run on this table
     */
    void validate(TableState table);

    /**
     * Runs one attempt. A Delta concurrent-modification exception means the attempt committed nothing and
     * may be retried; any other exception ends the run.
     */
    ActionOutcome execute();
}
