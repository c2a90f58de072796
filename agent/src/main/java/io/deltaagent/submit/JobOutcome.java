package io.deltaagent.submit;

import io.deltaagent.jobs.result.ResultDocument;
import java.time.Instant;

/**
 * A finished job.
 *
 * @param resultJson the job's result document (docs/JOB-RESULT.md), null when the job produced none
 * @param message why it failed, one line, null on success
 */
public record JobOutcome(JobState state, Instant startedAt, Instant endedAt, String resultJson, String message) {

    /**
     * The one rule, for every backend, of whether a job succeeded: its backend says it ended well ({@code ended}
     * SUCCEEDED) and its result document (docs/JOB-RESULT.md) exists, is JSON and says {@code "status":"SUCCEEDED"}.
     * Anything else is the backend's state (FAILED when the backend said SUCCEEDED), with a message saying which part
     * failed; the document is kept whenever there is one.
     *
     * @param job names the job in messages ("databricks run 42", "EMR step s-1 on cluster j-1")
     * @param failure the backend's own reason when it did not end well, null otherwise
     * @param resultWhere where the result document was expected, for messages
     * @param note appended to every message (a log path, a run page URL), "" for none
     */
    public static JobOutcome judged(String job, JobState ended, java.time.Instant startedAt, java.time.Instant endedAt,
                                    String document, String failure, String resultWhere, String note) {
        if (ended != JobState.SUCCEEDED) {
            return new JobOutcome(ended, startedAt, endedAt, document, (failure == null ? job + " " + ended : failure)
                    + jobError(document) + note);
        }
        return byDocument(job + " ended well but the job wrote no result document to " + resultWhere,
                job + " ended well but its result document at " + resultWhere + " is not JSON",
                job + " ended well but its result says ", startedAt, endedAt, document, note);
    }

    /**
     * A job stopped for running past its timeout ({@link JobState#TIMED_OUT}), the one form every backend uses:
     * "{@code job} ran longer than {@code timeout}{@code how}".
     *
     * @param job names the job ("the job", "databricks run 42")
     * @param how what the agent did about it and where to look (" and was stopped; its log: ..."), "" for nothing
     * @param document the result document the job left, null for none
     */
    public static JobOutcome timedOut(String job, java.time.Duration timeout, String how, Instant startedAt,
                                      Instant endedAt, String document) {
        return new JobOutcome(JobState.TIMED_OUT, startedAt, endedAt, document, job + " ran longer than " + timeout + how);
    }

    /**
     * A job whose end nobody saw (a process this agent process did not start, whose exit status it cannot learn): its
     * result document alone decides, and a failure says the end is unknown rather than that the job "ended well".
     *
     * @param job names the job and how it ended ("the local Spark job (its process is gone)")
     */
    public static JobOutcome fromResultAlone(String job, Instant startedAt, Instant endedAt, String document,
                                             String resultWhere, String note) {
        return byDocument(job + " without writing a result document to " + resultWhere + " (its exit status is unknown "
                        + "to this agent process, which did not start it: the job may have been killed or crashed)",
                job + ", and its result document at " + resultWhere + " is not JSON",
                job + ", and its result says ", startedAt, endedAt, document, note);
    }

    private static JobOutcome byDocument(String noDocument, String notJson, String saysPrefix, Instant startedAt,
                                         Instant endedAt, String document, String note) {
        if (document == null || document.isBlank()) {
            return new JobOutcome(JobState.FAILED, startedAt, endedAt, null, noDocument + note);
        }
        ResultDocument doc = ResultDocument.parse(document).orElse(null);
        if (doc == null) {
            return new JobOutcome(JobState.FAILED, startedAt, endedAt, null, notJson + note);
        }
        if (!doc.succeeded()) {
            return new JobOutcome(JobState.FAILED, startedAt, endedAt, document, saysPrefix
                    + (doc.status() == null ? "nothing" : doc.status()) + jobError(document) + note);
        }
        return new JobOutcome(JobState.SUCCEEDED, startedAt, endedAt, document, null);
    }

    /** ": the job's own error message" from a result document, or "". */
    private static String jobError(String document) {
        return ResultDocument.parse(document).map(ResultDocument::errorMessage).filter(m -> !m.isEmpty()).map(m -> ": " + m)
                .orElse("");
    }

    /**
     * Every Delta commit the job reports it made, oldest first: {@code commitVersions} when the job committed in batches,
     * else its one {@code commitVersion}; empty when none or no readable result.
     */
    public java.util.List<Long> commitVersions() {
        return ResultDocument.parse(resultJson).map(ResultDocument::commitVersions).orElse(java.util.List.of());
    }

    /** The Delta commit the job reports it made ({@code commitVersion}), or null: none, or no readable result. */
    public Long commitVersion() {
        return ResultDocument.parse(resultJson).map(ResultDocument::commitVersion).orElse(null);
    }
}
