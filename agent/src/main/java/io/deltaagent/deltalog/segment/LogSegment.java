package io.deltaagent.deltalog.segment;

import io.deltaagent.deltalog.actions.CorruptLogException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reader of the latest version replays: the newest complete checkpoint and the contiguous commits
 * after it (all commits from version 0 when there is no checkpoint). Building one checks the log's shape.
 */
public record LogSegment(long version, Checkpoint checkpoint, List<CommitFile> commitsAfterCheckpoint) {

    public LogSegment {
        commitsAfterCheckpoint = List.copyOf(commitsAfterCheckpoint);
    }

    /** @throws CorruptLogException when a commit the replay needs is missing */
    public static LogSegment latest(LogListing listing) {
        long latestCommit = listing.latestCommitVersion();
        long latestCheckpoint = listing.checkpoints().isEmpty() ? -1
                : listing.checkpoints().get(listing.checkpoints().size() - 1).version();
        long version = Math.max(latestCommit, latestCheckpoint);
        Optional<Checkpoint> checkpoint = listing.latestCheckpointAtOrBelow(version);
        long start = checkpoint.map(c -> c.version() + 1).orElse(0L);
        List<CommitFile> needed = new ArrayList<>();
        long expected = start;
        for (CommitFile c : listing.commits()) {
            if (c.version() < start) {
                continue;
            }
            if (c.version() != expected) {
                throw new CorruptLogException(missing(expected, checkpoint.orElse(null), c.version()));
            }
            needed.add(c);
            expected++;
        }
        if (expected <= version) {
            throw new CorruptLogException(missing(expected, checkpoint.orElse(null), version));
        }
        return new LogSegment(version, checkpoint.orElse(null), needed);
    }

    private static String missing(long version, Checkpoint checkpoint, long next) {
        String from = checkpoint == null ? "there is no checkpoint, so every commit from version 0 is needed"
                : "the replay starts after checkpoint " + checkpoint.version();
        return "_delta_log/" + LogFile.commitName(version) + " is missing (" + from + "; the next file present is version "
                + next + "): the log cannot be replayed";
    }

    public long commitsSinceCheckpoint() {
        return commitsAfterCheckpoint.size();
    }
}
