package io.deltaagent.submit;

import java.time.Instant;

/**
 * A finished job.
 *
 * @param resultJson the job's result document (docs/JOB-RESULT.md), null when the job produced none
 * @param message why it failed, one line, null on success
 */
public record JobOutcome(JobState state, Instant startedAt, Instant endedAt, String resultJson, String message) {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The Delta commit the job reports it made ({@code commitVersion}), or null: none, or no readable result. */
    public Long commitVersion() {
        if (resultJson == null) {
            return null;
        }
        try {
            var node = JSON.readTree(resultJson).get("commitVersion");
            return node == null || node.isNull() ? null : node.asLong();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
