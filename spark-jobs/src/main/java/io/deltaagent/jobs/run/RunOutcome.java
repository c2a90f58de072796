package io.deltaagent.jobs.run;

import static java.util.Objects.requireNonNull;

import io.deltaagent.jobs.result.ExitCode;
import io.deltaagent.jobs.result.JobResult;

/** A finished run: the result document and the exit code that goes with it. */
public record RunOutcome(JobResult result, ExitCode exitCode) {
    public RunOutcome {
        requireNonNull(result, "result");
        requireNonNull(exitCode, "exitCode");
    }
}
