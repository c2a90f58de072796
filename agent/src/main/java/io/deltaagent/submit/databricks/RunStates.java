package io.deltaagent.submit.databricks;

import com.databricks.sdk.service.jobs.Run;
import com.databricks.sdk.service.jobs.RunLifeCycleState;
import com.databricks.sdk.service.jobs.RunLifecycleStateV2State;
import com.databricks.sdk.service.jobs.RunResultState;
import com.databricks.sdk.service.jobs.RunState;
import com.databricks.sdk.service.jobs.RunStatus;
import com.databricks.sdk.service.jobs.TerminationCodeCode;
import com.databricks.sdk.service.jobs.TerminationDetails;
import io.deltaagent.submit.JobState;
import java.util.Optional;

/**
 * Reads a run's state from {@code jobs/runs/get}: the classic {@code state} (life_cycle_state, result_state) and
 * the newer {@code status} (state, termination_details), whichever the workspace sends. Only a finished run
 * (TERMINATED, SKIPPED, INTERNAL_ERROR) has an outcome; TERMINATING still cleans up and may not have its result
 * written everywhere, so it counts as running. Values this SDK does not know arrive as null and count as running:
 * the agent-side timeout still ends the wait.
 */
final class RunStates {

    /** How a finished run ended, with Databricks' own words for anything but success. */
    record Finished(JobState state, String message) {
    }

    private RunStates() {
    }

    static Optional<Finished> finished(Run run) {
        RunState state = run.getState();
        RunStatus status = run.getStatus();
        RunLifeCycleState lifeCycle = state == null ? null : state.getLifeCycleState();
        boolean terminal = lifeCycle == RunLifeCycleState.TERMINATED || lifeCycle == RunLifeCycleState.SKIPPED
                || lifeCycle == RunLifeCycleState.INTERNAL_ERROR
                || status != null && status.getState() == RunLifecycleStateV2State.TERMINATED;
        if (!terminal) {
            return Optional.empty();
        }
        RunResultState result = state == null ? null : state.getResultState();
        TerminationDetails details = status == null ? null : status.getTerminationDetails();
        TerminationCodeCode code = details == null ? null : details.getCode();
        JobState outcome;
        if (result != null) {
            outcome = switch (result) {
                case SUCCESS -> JobState.SUCCEEDED;
                case TIMEDOUT -> JobState.TIMED_OUT;
                case CANCELED -> JobState.CANCELLED;
                default -> JobState.FAILED; // FAILED, UPSTREAM_*, EXCLUDED, DISABLED, MAXIMUM_CONCURRENT_RUNS_REACHED, ...
            };
        } else if (code != null) {
            outcome = switch (code) {
                case SUCCESS -> JobState.SUCCEEDED;
                case CANCELED, USER_CANCELED -> JobState.CANCELLED;
                default -> JobState.FAILED;
            };
        } else {
            outcome = JobState.FAILED; // SKIPPED, INTERNAL_ERROR, or a result this SDK cannot name
        }
        if (lifeCycle == RunLifeCycleState.INTERNAL_ERROR || lifeCycle == RunLifeCycleState.SKIPPED) {
            outcome = JobState.FAILED;
        }
        return Optional.of(new Finished(outcome, outcome == JobState.SUCCEEDED ? null : describe(run)));
    }

    /** e.g. {@code TERMINATED/FAILED (RUN_EXECUTION_ERROR, CLIENT_ERROR): Task maintenance failed ...}. */
    static String describe(Run run) {
        RunState state = run.getState();
        RunStatus status = run.getStatus();
        StringBuilder s = new StringBuilder();
        if (state != null) {
            s.append(state.getLifeCycleState() == null ? "?" : state.getLifeCycleState().name());
            if (state.getResultState() != null) {
                s.append('/').append(state.getResultState().name());
            }
        } else if (status != null && status.getState() != null) {
            s.append(status.getState().name());
        }
        TerminationDetails details = status == null ? null : status.getTerminationDetails();
        if (details != null && (details.getCode() != null || details.getType() != null)) {
            s.append(" (").append(details.getCode() == null ? "?" : details.getCode().name());
            if (details.getType() != null) {
                s.append(", ").append(details.getType().name());
            }
            s.append(')');
        }
        String message = details != null && notBlank(details.getMessage()) ? details.getMessage()
                : state != null && notBlank(state.getStateMessage()) ? state.getStateMessage() : null;
        if (message != null) {
            s.append(": ").append(message.strip().replaceAll("\\s*\\R\\s*", " "));
        }
        return s.toString();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
