package io.deltaagent.jobs.run;

import static java.util.Objects.requireNonNull;

import io.deltaagent.jobs.retry.RetryPolicy;

/**
 * How to run a request, apart from what to do.
 *
 * @param resultUri where to write the result document as well as stdout, or null
 * @param retry how to retry commit conflicts
 * @param runTag the agent's name for this run, written into the commitInfo.userMetadata of every commit the job makes
 *               (as {@code delta-agent:<tag>}) so the agent can tell from the log alone whether the run committed; null
 *               for none
 */
public record RunOptions(String resultUri, RetryPolicy retry, String runTag) {

    public RunOptions {
        requireNonNull(retry, "retry");
        if (resultUri != null && resultUri.isBlank()) {
            throw new IllegalArgumentException("--result must not be blank");
        }
        if (runTag != null && !runTag.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IllegalArgumentException("--run-tag must be 1 to 128 characters of [A-Za-z0-9._-], got '" + runTag + "'");
        }
    }

    public RunOptions(String resultUri, RetryPolicy retry) {
        this(resultUri, retry, null);
    }
}
