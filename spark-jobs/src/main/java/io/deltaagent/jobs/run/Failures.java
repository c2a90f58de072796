package io.deltaagent.jobs.run;

import io.deltaagent.jobs.error.JobException;
import io.deltaagent.jobs.result.ErrorInfo;
import io.deltaagent.jobs.result.ExitCode;
import org.apache.spark.sql.AnalysisException;

/** Maps whatever ended a run to the result's {@code error} and the process exit code. */
public final class Failures {
    private Failures() {
    }

    public static ExitCode exitCode(Throwable error) {
        if (error instanceof JobException job) {
            return job.exitCode();
        }
        // Spark and Delta raise AnalysisException for requests they reject outright (unknown columns, a WHERE
        // on data columns, unsupported table features): running again unchanged fails the same way.
        if (error instanceof AnalysisException) {
            return ExitCode.BAD_INPUT;
        }
        return ExitCode.FAILED;
    }

    public static ErrorInfo describe(String table, String action, Throwable error) {
        boolean retryable = error instanceof JobException job && job.retryable();
        String message = error.getMessage() == null ? "" : error.getMessage().strip();
        if (!(error instanceof JobException)) {
            String prefix = (table == null ? "" : table + ": ") + (action == null ? "" : action + " failed: ");
            message = prefix + error.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
        }
        return new ErrorInfo(error.getClass().getName(), message, retryable, rootCause(error));
    }

    private static String rootCause(Throwable error) {
        Throwable root = error;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < 50) {
            root = root.getCause();
        }
        if (root == error) {
            return null;
        }
        String message = root.getMessage() == null ? "" : root.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        return root.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }
}
