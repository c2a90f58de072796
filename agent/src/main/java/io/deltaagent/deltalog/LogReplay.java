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
 * Replays the protocol and the tombstones of a {@link LogSegment}: the commits after the checkpoint first
 * (remembering only the paths they touch), then a projected read of the checkpoint's remove and protocol
 * columns, reconciled against those paths. Memory grows with the paths the recent commits touch, not
 * with the table.
 */
public final class LogReplay {

    /** The replay's outcome. */
    /** @param sidecars sidecar files of a v2 checkpoint (0 for classic and multi-part checkpoints) */
    public record Result(ProtocolInfo protocol, Tombstones tombstones, int sidecars) {
    }

    private LogReplay() {
    }

    public static Result replay(Configuration conf, FileSystem fs, LogSegment segment) throws IOException {
        Recent recent = new Recent();
        for (CommitFile commit : segment.commitsAfterCheckpoint()) {
            CommitReader.read(fs, new Path(commit.path()), recent);
        }
        TombstoneCounter counter = new TombstoneCounter();
        ProtocolInfo[] checkpointProtocol = new ProtocolInfo[1];
        List<String> sidecars = new ArrayList<>();
        Checkpoint checkpoint = segment.checkpoint();
        if (checkpoint != null) {
            LogActionVisitor fromCheckpoint = new LogActionVisitor() {
                @Override
                public void remove(String path, String dvId, long size, Long deletionTimestamp) {
                    if (!recent.touched.containsKey(key(path, dvId))) {
                        counter.count(size, deletionTimestamp);
                    }
                }

                @Override
                public void protocol(ProtocolInfo protocol) {
                    checkpointProtocol[0] = protocol;
                }

                @Override
                public void sidecar(String path) {
                    sidecars.add(path);
                }
            };
            for (String part : checkpoint.files()) {
                Path p = new Path(part);
                if (part.endsWith(".json")) {
                    CommitReader.read(fs, p, fromCheckpoint);
                } else {
                    CheckpointColumnReader.read(conf, p, true, fromCheckpoint);
                }
            }
            // a v2 checkpoint keeps its file actions in sidecars named by its top-level file
            Path sidecarDir = new Path(new Path(checkpoint.files().get(0)).getParent(), "_sidecars");
            for (String sidecar : List.copyOf(sidecars)) {
                Path p = sidecar.contains("/") ? new Path(sidecar) : new Path(sidecarDir, sidecar);
                CheckpointColumnReader.read(conf, p, true, fromCheckpoint);
            }
        }
        recent.touched.values().forEach(r -> {
            if (r != null) {
                counter.count(r.size, r.deletionTimestamp);
            }
        });
        ProtocolInfo protocol = recent.protocol != null ? recent.protocol : checkpointProtocol[0];
        if (protocol == null) {
            throw new CorruptLogException("no protocol action found in "
                    + (checkpoint == null ? "the commits" : "checkpoint " + checkpoint.version() + " or the commits after it"));
        }
        return new Result(protocol, counter.result(), sidecars.size());
    }

    private static String key(String path, String dvId) {
        return DeletionVectorIds.fileKey(path, dvId);
    }

    private record RemoveInfo(long size, Long deletionTimestamp) {
    }

    /** The post-checkpoint commits: the last action per file key (null value: re-added) and the last protocol. */
    private static final class Recent implements LogActionVisitor {
        final Map<String, RemoveInfo> touched = new HashMap<>();
        ProtocolInfo protocol;

        @Override
        public void add(String path, String dvId, long size, Map<String, String> partitionValues) {
            touched.put(key(path, dvId), null);
        }

        @Override
        public void remove(String path, String dvId, long size, Long deletionTimestamp) {
            touched.put(key(path, dvId), new RemoveInfo(size, deletionTimestamp));
        }

        @Override
        public void protocol(ProtocolInfo p) {
            protocol = p;
        }
    }

    private static final class TombstoneCounter {
        long count;
        long bytes;
        long oldest = Long.MAX_VALUE;

        void count(long size, Long deletionTimestamp) {
            count++;
            bytes += size;
            if (deletionTimestamp != null) {
                oldest = Math.min(oldest, deletionTimestamp);
            }
        }

        Tombstones result() {
            return new Tombstones(count, bytes, oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest));
        }
    }
}
