package io.deltaagent.deltalog;

import io.deltaagent.error.TableReadException;
import io.deltaagent.error.TableReadException.Kind;
import io.deltaagent.health.LogStats;
import io.deltaagent.storage.TableLocation;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * What every reader learns from {@code _delta_log} itself, whatever library builds the snapshot: the
 * listing, the segment a reader replays, the protocol and the tombstones.
 */
public record LogInspection(LogListing listing, Optional<LastCheckpointHint> hint, LogSegment segment, LogReplay.Result replay) {

    /** @throws TableReadException NOT_FOUND, NOT_A_DELTA_TABLE, or what {@link ReadFailures} makes of the rest */
    public static LogInspection inspect(Configuration conf, FileSystem fs, TableLocation table) throws IOException {
        if (!fs.exists(table.path())) {
            throw new TableReadException(table.display(), Kind.NOT_FOUND, "path does not exist");
        }
        if (!fs.exists(table.logDir())) {
            throw new TableReadException(table.display(), Kind.NOT_A_DELTA_TABLE,
                    "not a Delta table: no _delta_log directory under " + table.path());
        }
        LogListing listing = LogListing.list(fs, table.logDir());
        if (listing.commits().isEmpty() && listing.checkpoints().isEmpty()) {
            throw new TableReadException(table.display(), Kind.NOT_A_DELTA_TABLE,
                    "not a Delta table: _delta_log holds no commit or checkpoint");
        }
        LogSegment segment = LogSegment.latest(listing);
        // the listing already says whether _last_checkpoint exists: no GET for a file that is not there
        Optional<LastCheckpointHint> hint = listing.hasLastCheckpointHint()
                ? LastCheckpointHint.read(fs, table.logDir()) : Optional.empty();
        if (hint.isPresent() && listing.checkpointAt(hint.get().version()).isEmpty()) {
            long v = hint.get().version();
            String older = listing.latestCheckpointAtOrBelow(v).map(c -> "checkpoint " + c.version()).orElse("version 0");
            throw new CorruptLogException("_delta_log/_last_checkpoint names checkpoint " + v + ", whose file(s) are missing "
                    + "or incomplete; Delta Spark would replay from " + older + " instead, Delta Standalone refuses. "
                    + "Fix: write a new checkpoint (delta-agent's checkpoint job) or delete _last_checkpoint");
        }
        LogReplay.Result replay = LogReplay.replay(conf, fs, segment);
        return new LogInspection(listing, hint, segment, replay);
    }

    public ProtocolInfo protocol() {
        return replay.protocol();
    }

    public LogStats logStats() {
        Checkpoint cp = segment.checkpoint();
        long checkpointFiles = listing.checkpoints().stream().mapToLong(Checkpoint::parts).sum();
        return new LogStats(
                cp == null ? null : cp.version(),
                cp == null ? 0 : cp.bytes(),
                cp == null ? 0 : cp.parts(),
                replay.sidecars(),
                cp == null ? null : cp.modified(),
                hint.map(LastCheckpointHint::version).orElse(null),
                segment.commitsSinceCheckpoint(),
                listing.commits().size(),
                checkpointFiles,
                listing.commits().isEmpty() ? -1 : listing.commits().get(0).version(),
                listing.objects(),
                listing.bytes());
    }
}
