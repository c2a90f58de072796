package io.deltaagent.jobs.run;

import static java.util.Objects.requireNonNull;

import io.deltaagent.jobs.retry.RetryPolicy;

/**
 * How to run a request, apart from what to do.
 *
 * @param resultUri where to write the result document as well as stdout, or null
 * @param retry how to retry commit conflicts
 */
public record RunOptions(String resultUri, RetryPolicy retry) {
    public RunOptions {
        requireNonNull(retry, "retry");
        if (resultUri != null && resultUri.isBlank()) {
            throw new IllegalArgumentException("--result must not be blank");
        }
    }
}
