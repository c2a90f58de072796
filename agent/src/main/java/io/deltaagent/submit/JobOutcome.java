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

    /**
     * Every Delta commit the job reports it made, oldest first: {@code commitVersions} when the job committed in batches,
     * else its one {@code commitVersion}; empty when none or no readable result.
     */
    public java.util.List<Long> commitVersions() {
        if (resultJson == null) {
            return java.util.List.of();
        }
        try {
            var node = JSON.readTree(resultJson);
            var many = node.get("commitVersions");
            if (many != null && many.isArray() && many.size() > 0) {
                java.util.List<Long> out = new java.util.ArrayList<>();
                many.forEach(v -> out.add(v.asLong()));
                return java.util.List.copyOf(out);
            }
            Long one = commitVersion();
            return one == null ? java.util.List.of() : java.util.List.of(one);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return java.util.List.of();
        }
    }

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
