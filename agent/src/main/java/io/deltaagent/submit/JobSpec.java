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
 * @param tableVersion the table version the plan was made from: with table and action it names the job, so a
 *                     retried submit of the same job is recognised by backends that deduplicate
 * @param sizes the file sizes OPTIMIZE uses (the agent's, so the job rewrites what was planned); null for other
 *              actions, or to leave Delta's defaults
 */
public record JobSpec(String table, MaintenanceAction action, String where, List<String> zorderBy,
                      Duration vacuumRetention, long bytesToRewrite, long tableVersion, RewriteSizes sizes) {

    /** A job with Delta's own OPTIMIZE sizes (or for an action that rewrites nothing). */
    public JobSpec(String table, MaintenanceAction action, String where, List<String> zorderBy,
                   Duration vacuumRetention, long bytesToRewrite, long tableVersion) {
        this(table, action, where, zorderBy, vacuumRetention, bytesToRewrite, tableVersion, null);
    }

    /** The job for one planned action (one unit) on the table at {@code location}, planned at {@code tableVersion}. */
    public static JobSpec of(String location, PlannedAction action, long tableVersion) {
        return new JobSpec(location, action.action(), action.where(), action.zorderBy(), action.vacuumRetention(),
                action.expected().bytesRewritten(), tableVersion, action.sizes());
    }

    public JobSpec {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        zorderBy = List.copyOf(zorderBy);
        if (action == MaintenanceAction.VACUUM && vacuumRetention == null) {
            throw new IllegalArgumentException(table + ": a VACUUM job needs a retention");
        }
    }

    /**
     * A stable name for this job, at most 64 characters of {@code [a-z0-9-]}: the same table, action, predicate
     * and table version always give the same token (Databricks {@code idempotency_token}, EMR Serverless
     * {@code clientToken}), so a retried submit can never start a second run.
     */
    public String idempotencyToken() {
        String key = table + "\n" + action + "\n" + (where == null ? "" : where) + "\n" + String.join(",", zorderBy)
                + "\n" + tableVersion;
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

    /** The commitInfo.userMetadata every commit of this job carries ({@code --run-tag}). */
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
