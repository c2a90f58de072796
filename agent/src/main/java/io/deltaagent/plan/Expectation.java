package io.deltaagent.plan;

/**
 * What an action is expected to achieve, for people and for checking the outcome afterwards.
 *
 * @param filesRewritten files the action rewrites (OPTIMIZE) or removes (VACUUM); 0 for CHECKPOINT
 * @param bytesRewritten bytes it rewrites; sizes the job's cluster
 * @param filesAfter the table's active files after it, about
 * @param commitsSinceCheckpointAfter commits a reader replays after it (0 after CHECKPOINT)
 */
public record Expectation(long filesRewritten, long bytesRewritten, long filesAfter, long commitsSinceCheckpointAfter) {
}
