package io.deltaagent.jobs.cli;

import io.deltaagent.jobs.retry.RetryPolicy;
import io.deltaagent.jobs.run.RunOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every action takes. */
public final class CommonOptions {
    @Option(names = "--table", required = true, paramLabel = "URI",
            description = "The Delta table's root: a local path, file:/..., s3a://bucket/path, ...")
    String table;

    @Option(names = "--result", paramLabel = "URI",
            description = "Also write the result JSON here (a Hadoop FileSystem URI; replaced atomically where "
                    + "possible).")
    String result;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
            description = "Attempts when commits conflict with concurrent writers, the first included "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--retry-backoff", paramLabel = "DURATION", defaultValue = "2s",
            converter = DurationConverter.class,
            description = "Wait before the first retry; doubles per retry, capped at 60s, half of it random "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration retryBackoff;

    @Option(names = "--run-tag", paramLabel = "TAG",
            description = "The agent's name for this run ([A-Za-z0-9._-], at most 128): every commit of the job carries "
                    + "commitInfo.userMetadata delta-agent:TAG, which is how a run is matched to its commits from the log alone.")
    String runTag;

    RunOptions runOptions() {
        Duration max = retryBackoff.compareTo(RetryPolicy.DEFAULT_MAX_BACKOFF) > 0
                ? retryBackoff : RetryPolicy.DEFAULT_MAX_BACKOFF;
        return new RunOptions(result, new RetryPolicy(maxAttempts, retryBackoff, max), runTag);
    }
}
