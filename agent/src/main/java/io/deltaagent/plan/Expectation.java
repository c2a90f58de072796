package io.deltaagent.plan;

/**
 * What an action is expected to achieve, for people and for checking the outcome afterwards (predicted vs actual).
 *
 * @param filesRewritten files the action rewrites (OPTIMIZE) or removes (VACUUM); 0 for CHECKPOINT
 * @param bytesRewritten bytes it rewrites; sizes the job's cluster
 * @param filesWritten new files it writes (OPTIMIZE: about one per target size of input, per partition)
 * @param smallFileBytes the small files' bytes among what it reads: bytes rewritten over this is the write amplification
 * @param filesAfter the table's active files after it (and the units before it), about
 * @param commitsSinceCheckpointAfter commits a reader replays after it (0 after CHECKPOINT)
 */
public record Expectation(long filesRewritten, long bytesRewritten, long filesWritten, long smallFileBytes, long filesAfter,
                          long commitsSinceCheckpointAfter) {

    /** An action that rewrites no data (CHECKPOINT) or only deletes (VACUUM). */
    public static Expectation noRewrite(long filesRemoved, long bytesRemoved, long filesAfter, long commitsAfter) {
        return new Expectation(filesRemoved, bytesRemoved, 0, 0, filesAfter, commitsAfter);
    }
}
