package io.deltaagent.submit;

import java.time.Instant;

/**
 * A finished job.
 *
 * @param resultJson the job's result document (docs/JOB-RESULT.md), null when the job produced none
 * @param message why it failed, one line, null on success
 */
public record JobOutcome(JobState state, Instant startedAt, Instant endedAt, String resultJson, String message) {
}
