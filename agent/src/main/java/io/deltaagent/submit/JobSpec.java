package io.deltaagent.submit;

import io.deltaagent.jobs.request.CheckpointRequest;
import io.deltaagent.jobs.request.JobCommandLine;
import io.deltaagent.jobs.request.JobRequest;
import io.deltaagent.jobs.request.OptimizeRequest;
import io.deltaagent.jobs.request.VacuumRequest;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.plan.RewriteSizes;
import io.deltaagent.policy.MaintenanceAction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One maintenance job for the spark-jobs application: the action and its arguments.
 *
 * @param where partition predicate for OPTIMIZE, or null
 * @param vacuumRetention for VACUUM, or null
 * @param bytesToRewrite what the job will rewrite; backends size their cluster from it
 * @param tableVersion the table version the plan was made from: with table and action it names the job
 * @param sizes the file sizes OPTIMIZE uses (the agent's, so the job rewrites what was planned); null for other
 *              actions, or to leave Delta's defaults
 * @param runToken a token made for one run before its job is submitted ({@link #newRunToken}), so that the job's name
 *                 and commit tag are that run's alone: two runs of the same plan (a rerun, a second agent with a history
 *                 database of its own) never share them; null names the job by its plan alone
 */
public record JobSpec(String table, MaintenanceAction action, String where, List<String> zorderBy,
                      Duration vacuumRetention, long bytesToRewrite, long tableVersion, RewriteSizes sizes, String runToken) {

    /** A job with Delta's own OPTIMIZE sizes (or for an action that rewrites nothing), named by its plan alone. */
    public JobSpec(String table, MaintenanceAction action, String where, List<String> zorderBy,
                   Duration vacuumRetention, long bytesToRewrite, long tableVersion) {
        this(table, action, where, zorderBy, vacuumRetention, bytesToRewrite, tableVersion, null, null);
    }

    /**
     * The job of one run of a planned action (one unit) on the table at {@code location}, planned at {@code tableVersion};
     * {@code runToken} is that run's own ({@link #newRunToken}).
     */
    public static JobSpec of(String location, PlannedAction action, long tableVersion, String runToken) {
        return new JobSpec(location, action.action(), action.where(), action.zorderBy(), action.vacuumRetention(),
                action.expected().bytesRewritten(), tableVersion, action.sizes(), runToken);
    }

    /** A fresh random run token (16 hex digits): unique to the run it is made for, across agents and databases. */
    public static String newRunToken() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    public JobSpec {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        zorderBy = List.copyOf(zorderBy);
        if (action == MaintenanceAction.VACUUM && vacuumRetention == null) {
            throw new IllegalArgumentException(table + ": a VACUUM job needs a retention");
        }
    }

    /**
     * This job's name, at most 64 characters of {@code [a-z0-9-]}: a hash of the table, action, predicate, table version
     * and run token. A retried submit of the same run's job gives the same token (Databricks {@code idempotency_token},
     * EMR Serverless {@code clientToken}), so it can never start a second job; another run of the same plan has another
     * run token, hence another name and commit tag.
     */
    public String idempotencyToken() {
        String key = table + "\n" + action + "\n" + (where == null ? "" : where) + "\n" + String.join(",", zorderBy)
                + "\n" + tableVersion + (runToken == null ? "" : "\n" + runToken);
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String prefix = "da-" + action.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-v" + tableVersion + "-";
            String hex = java.util.HexFormat.of().formatHex(hash);
            return prefix + hex.substring(0, Math.min(hex.length(), 64 - prefix.length()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The commitInfo.userMetadata every commit of this job carries ({@code --run-tag}): unique to its run when the spec
     * has a run token, and recorded with the run before the job starts, so its commits are found in the log by it alone.
     */
    public String commitTag() {
        return JobCommandLine.TAG_PREFIX + idempotencyToken();
    }

    /** The request the job receives, in the jobs' own terms (spark-jobs/job-contract). */
    public JobRequest request() {
        return switch (action) {
            case OPTIMIZE, OPTIMIZE_ZORDER -> new OptimizeRequest(table, where, zorderBy, sizes == null ? null
                    : new OptimizeRequest.FileSizes(sizes.minFileSize(), sizes.maxFileSize(), sizes.maxBytesPerCommit()));
            case CHECKPOINT -> new CheckpointRequest(table);
            case VACUUM -> new VacuumRequest(table, Duration.ofHours(vacuumRetention.toHours()), vacuumRetention.toHours() + "h",
                    false, false);
        };
    }

    /**
     * The spark-jobs command line (docs/JOB-RESULT.md) without --result: the request encoded by the jobs' own
     * JobCommandLine, with the run tag the job's commits carry (how a run is matched to its commits from the log alone).
     */
    public List<String> jobArguments() {
        return JobCommandLine.arguments(request(), idempotencyToken());
    }
}
