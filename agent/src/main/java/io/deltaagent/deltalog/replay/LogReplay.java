package io.deltaagent.deltalog.replay;

import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.segment.LogSegment;
import io.deltaagent.health.Tombstones;
import java.io.IOException;

/**
 * Replays the protocol and the tombstones of a {@link LogSegment} in two steps. {@link #start} finds the protocol in
 * the commits after the checkpoint (already read) or in the checkpoint's sparse actions: a reader can be chosen.
 * {@link #tombstones} then sums the checkpoint's removes (its parts' as read with the protocol, its sidecars' read
 * now), reconciled against the paths the later commits touch; it may run beside the snapshot read. The checkpoint's
 * sparse actions are read once per audit ({@link CheckpointActions}). Memory grows with the paths the recent commits
 * touch, not with the table.
 */
public final class LogReplay {

    /**
     * @param sidecars sidecar files of a v2 checkpoint (0 for classic and multi-part checkpoints)
     * @param ages the same removes by deletion time, for what VACUUM can delete
     */
    public record Removes(Tombstones tombstones, int sidecars, TombstoneAges ages) {
    }

    private final LogSegment segment;
    private final RecentFiles recent;
    private final CheckpointActions checkpoint;
    private final ProtocolInfo protocol;

    private LogReplay(LogSegment segment, RecentFiles recent, CheckpointActions checkpoint, ProtocolInfo protocol) {
        this.segment = segment;
        this.recent = recent;
        this.checkpoint = checkpoint;
        this.protocol = protocol;
    }

    /**
     * @param recent the segment's commits after its checkpoint, already read
     * @param checkpoint the segment's checkpoint's sparse actions (null without a checkpoint), read at most once
     * @throws CorruptLogException when neither the commits after the checkpoint nor the checkpoint hold a protocol
     */
    public static LogReplay start(LogSegment segment, RecentFiles recent, CheckpointActions checkpoint) throws IOException {
        ProtocolInfo protocol = recent.protocol();
        if (protocol == null && checkpoint != null) {
            protocol = checkpoint.tableActions().protocol(); // not the whole pass: it reads on beside the reader chosen
        }
        if (protocol == null) {
            throw new CorruptLogException("no protocol action found in " + (checkpoint == null ? "the commits"
                    : "checkpoint " + checkpoint.checkpoint().version() + " or the commits after it"));
        }
        return new LogReplay(segment, recent, checkpoint, protocol);
    }

    public ProtocolInfo protocol() {
        return protocol;
    }

    /** The checkpoint's sparse actions, read once for the whole audit; null without a checkpoint. */
    public CheckpointActions checkpointActions() {
        return checkpoint;
    }

    /** The remove tombstones of the latest version: the checkpoint's, less those re-added since, plus the recent ones. */
    public Removes tombstones() throws IOException {
        return tombstones(null);
    }

    /**
     * @param capture when not null, receives the checkpoint's part of the tombstones and the keys of all its removes,
     *                for re-audits that apply later commits only (the inspection must have been asked to keep them)
     */
    public Removes tombstones(BaselineCapture capture) throws IOException {
        TombstoneTally counter = new TombstoneTally();
        int sidecars = 0;
        if (checkpoint != null) {
            CheckpointActions.Header header = checkpoint.header();
            CheckpointActions.Removes inSidecars = checkpoint.sidecarRemoves();
            counter.addAll(header.removes.tally);
            counter.addAll(inSidecars.tally);
            sidecars = header.sidecars.size();
            if (capture != null) {
                if (header.removes.keys == null) {
                    throw new IllegalStateException("the inspection kept no tombstone keys to capture");
                }
                capture.checkpointTombstoneKeys.addAll(header.removes.keys);
                capture.checkpointTombstoneKeys.addAll(inSidecars.keys);
            }
        }
        if (capture != null) {
            capture.checkpointTombstones = counter.copy();
            capture.sidecars = sidecars;
        }
        recent.removed().forEach(r -> counter.count(r.size(), r.deletionTimestamp()));
        return new Removes(counter.result(), sidecars, counter.ages);
    }
}
