package io.deltaagent.daemon;

import io.deltaagent.store.ActionClaim;

/** Starts the job of an admitted claim (the scheduler: a Quartz job per table+action). */
public interface ActionLauncher {

    /** Schedules the action job for {@code claim} now; a job already scheduled for it is left as it is. */
    void launch(ActionClaim claim);

    /** Launches the job of every claim in {@code claims} that has none scheduled. */
    void launchOrphans(java.util.List<ActionClaim> claims);
}
