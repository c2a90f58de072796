package io.deltaagent.deltalog;

import io.deltaagent.health.Tombstones;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Replays the protocol and the tombstones of a {@link LogSegment} in two steps. {@link #start} reads the commits
 * after the checkpoint (remembering only the paths they touch) and finds the protocol, there or in the checkpoint's
 * protocol column: a reader can be chosen. {@link #tombstones} then reads the checkpoint's remove column, reconciled
 * against those paths; it is the slow half at scale and may run beside the snapshot read. Memory grows with the paths
 * the recent commits touch, not with the table.
 */
public final class LogReplay {

    /**
     * @param sidecars sidecar files of a v2 checkpoint (0 for classic and multi-part checkpoints)
     * @param ages the same removes by deletion time, for what VACUUM can delete
     */
    public record Removes(Tombstones tombstones, int sidecars, TombstoneAges ages) {
    }

    private final Configuration conf;
    private final FileSystem fs;
    private final LogSegment segment;
    private final RecentFiles recent;
    private final ProtocolInfo protocol;

    private LogReplay(Configuration conf, FileSystem fs, LogSegment segment, RecentFiles recent, ProtocolInfo protocol) {
        this.conf = conf;
        this.fs = fs;
        this.segment = segment;
        this.recent = recent;
        this.protocol = protocol;
    }

    /**
     * @param recent the segment's commits after its checkpoint, already read
     * @throws CorruptLogException when neither the commits after the checkpoint nor the checkpoint hold a protocol
     */
    static LogReplay start(Configuration conf, FileSystem fs, LogSegment segment, RecentFiles recent) throws IOException {
        ProtocolInfo protocol = recent.protocol();
        Checkpoint checkpoint = segment.checkpoint();
        if (protocol == null && checkpoint != null) {
            ProtocolInfo[] found = new ProtocolInfo[1];
            visitCheckpoint(conf, fs, checkpoint, false, new LogActionVisitor() {
                @Override
                public void protocol(ProtocolInfo p) {
                    found[0] = p;
                }
            });
            protocol = found[0];
        }
        if (protocol == null) {
            throw new CorruptLogException("no protocol action found in "
                    + (checkpoint == null ? "the commits" : "checkpoint " + checkpoint.version() + " or the commits after it"));
        }
        return new LogReplay(conf, fs, segment, recent, protocol);
    }

    public ProtocolInfo protocol() {
        return protocol;
    }

    /** The remove tombstones of the latest version: the checkpoint's, less those re-added since, plus the recent ones. */
    public Removes tombstones() throws IOException {
        return tombstones(null);
    }

    /**
     * @param capture when not null, receives the checkpoint's part of the tombstones and the keys of all its removes,
     *                for re-audits that apply later commits only
     */
    Removes tombstones(BaselineCapture capture) throws IOException {
        TombstoneTally counter = new TombstoneTally();
        int sidecars = 0;
        Checkpoint checkpoint = segment.checkpoint();
        if (checkpoint != null) {
            sidecars = visitCheckpoint(conf, fs, checkpoint, true, new LogActionVisitor() {
                @Override
                public void remove(String path, String dvId, long size, Long deletionTimestamp) {
                    if (capture != null) {
                        capture.checkpointTombstoneKeys.add(FileKeys.of(path, dvId));
                    }
                    if (recent.isEmpty() || !recent.touchesKey(DeletionVectorIds.fileKey(path, dvId))) {
                        counter.count(size, deletionTimestamp);
                    }
                }
            });
        }
        if (capture != null) {
            capture.checkpointTombstones = counter.copy();
            capture.sidecars = sidecars;
        }
        recent.removed().forEach(r -> counter.count(r.size(), r.deletionTimestamp()));
        return new Removes(counter.result(), sidecars, counter.ages);
    }

    /**
     * Reads the checkpoint's protocol (and with {@code removes} its remove column, in its parts and sidecars).
     *
     * @return the sidecar files it names
     */
    private static int visitCheckpoint(Configuration conf, FileSystem fs, Checkpoint checkpoint, boolean removes,
                                       LogActionVisitor visitor) throws IOException {
        List<String> sidecars = new ArrayList<>();
        LogActionVisitor collecting = new LogActionVisitor() {
            @Override
            public void remove(String path, String dvId, long size, Long deletionTimestamp) {
                visitor.remove(path, dvId, size, deletionTimestamp);
            }

            @Override
            public void protocol(ProtocolInfo p) {
                visitor.protocol(p);
            }

            @Override
            public void sidecar(String path) {
                sidecars.add(path);
            }

            @Override
            public boolean wantsFileActions() {
                return removes;
            }
        };
        for (String part : checkpoint.files()) {
            Path p = new Path(part);
            if (part.endsWith(".json")) {
                CommitReader.read(fs, p, collecting);
            } else {
                CheckpointColumnReader.read(conf, p, removes, collecting);
            }
        }
        if (removes) {
            // a v2 checkpoint keeps its file actions in sidecars named by its top-level file
            for (String sidecar : sidecars) {
                CheckpointColumnReader.read(conf, CheckpointFiles.sidecarPath(checkpoint, sidecar), true, collecting);
            }
        }
        return sidecars.size();
    }
}
