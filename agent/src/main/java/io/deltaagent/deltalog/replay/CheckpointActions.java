package io.deltaagent.deltalog.replay;

import io.deltaagent.deltalog.actions.CheckpointColumnReader;
import io.deltaagent.deltalog.actions.CommitReader;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.DeletionVectorIds;
import io.deltaagent.deltalog.actions.LogActionVisitor;
import io.deltaagent.deltalog.actions.ParquetObject;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.actions.TableMetadata;
import io.deltaagent.deltalog.segment.Checkpoint;
import io.deltaagent.deltalog.storage.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sparse actions of one checkpoint, read once per audit and shared by everyone who needs them: the protocol (to
 * pick a reader), the metaData, sidecars and declared version (for the file-action read), the domain metadata (the
 * clustering columns) and the removes (the tombstones, tallied against the commits after the checkpoint as they
 * stream past, never held). The top-level parts are read on first demand, the sidecars' removes on the first demand
 * for tombstones: each part and sidecar is opened once for all of it (after Trino's checkpoint entry iterator, which
 * takes the set of entry types it must produce). A small part or sidecar is fetched whole once and both passes read it
 * from memory ({@link SmallParts}).
 */
public final class CheckpointActions {

    /** What the top-level parts say, and their share of the tombstones. */
    static final class Header {
        ProtocolInfo protocol;
        TableMetadata metadata;
        final List<String> sidecars = new ArrayList<>();
        final List<Long> declaredVersions = new ArrayList<>();
        /** Domain metadata rows in reading order: domain, configuration, removed ("true"/"false"). */
        final List<String[]> domains = new ArrayList<>();
        final Removes removes;

        Header(Removes removes) {
            this.removes = removes;
        }
    }

    /** Removes tallied as they stream past: those the later commits do not touch, and (when asked) every key. */
    static final class Removes {
        final TombstoneTally tally = new TombstoneTally();
        final LongSet keys;

        Removes(boolean keepKeys) {
            this.keys = keepKeys ? new LongSet() : null;
        }
    }

    private final LogStore store;
    private final Checkpoint checkpoint;
    private final RecentFiles recent;
    private final Map<String, Long> lengths;
    private final boolean keepKeys;
    private final SmallParts parts;
    private Header header;
    private Removes sidecarRemoves;

    /**
     * @param lengths the log objects' lengths as listed, by full path (parts and sidecars)
     * @param keepKeys keep the keys of the checkpoint's removes (for re-audits that apply later commits only)
     */
    public CheckpointActions(LogStore store, Checkpoint checkpoint, RecentFiles recent, Map<String, Long> lengths, boolean keepKeys) {
        this.store = store;
        this.checkpoint = checkpoint;
        this.recent = recent;
        this.lengths = lengths;
        this.keepKeys = keepKeys;
        this.parts = new SmallParts(store, SmallParts.MAX_OBJECT_BYTES, SmallParts.BUDGET_BYTES);
    }

    Checkpoint checkpoint() {
        return checkpoint;
    }

    public LogStore store() {
        return store;
    }

    long lengthOf(String path) {
        return lengths.getOrDefault(path, -1L);
    }

    /** The top-level parts' sparse actions, read on the first call. */
    synchronized Header header() throws IOException {
        if (header == null) {
            Header h = new Header(new Removes(keepKeys));
            LogActionVisitor visitor = new LogActionVisitor() {
                @Override
                public void remove(String path, String dvId, long size, Long deletionTimestamp) {
                    tally(h.removes, path, dvId, size, deletionTimestamp);
                }

                @Override
                public void protocol(ProtocolInfo p) {
                    h.protocol = p;
                }

                @Override
                public void metadata(TableMetadata m) {
                    h.metadata = m;
                }

                @Override
                public void sidecar(String path) {
                    h.sidecars.add(path);
                }

                @Override
                public void checkpointMetadata(long version) {
                    h.declaredVersions.add(version);
                }

                @Override
                public void domainMetadata(String domain, String configuration, boolean removed) {
                    h.domains.add(new String[] {domain, configuration, Boolean.toString(removed)});
                }

                @Override
                public void addFile(String path, String dvId, long size, Map<String, String> values, long mtime,
                                    long dvCardinality, long dvBytes) {
                    // a v2 JSON checkpoint's adds: the file-action read's, not this one's
                }
            };
            for (String part : checkpoint.files()) {
                if (part.endsWith(".json")) {
                    readJson(part, SmallParts.Pass.SPARSE, visitor);
                } else {
                    CheckpointColumnReader.read(part, parts.object(part, lengthOf(part), SmallParts.Pass.SPARSE),
                            CheckpointColumnReader.ALL, visitor);
                    parts.done(part, SmallParts.Pass.SPARSE);
                }
            }
            header = h;
        }
        return header;
    }

    /** The sidecars' removes, read on the first call (after the header, which names the sidecars). */
    synchronized Removes sidecarRemoves() throws IOException {
        if (sidecarRemoves == null) {
            Removes r = new Removes(keepKeys);
            LogActionVisitor visitor = new LogActionVisitor() {
                @Override
                public void remove(String path, String dvId, long size, Long deletionTimestamp) {
                    tally(r, path, dvId, size, deletionTimestamp);
                }
            };
            for (String sidecar : header().sidecars) {
                String path = CheckpointFiles.sidecarPath(checkpoint, sidecar);
                CheckpointColumnReader.read(path, parts.object(path, lengthOf(path), SmallParts.Pass.SPARSE),
                        Set.of("remove"), visitor);
                parts.done(path, SmallParts.Pass.SPARSE);
            }
            sidecarRemoves = r;
        }
        return sidecarRemoves;
    }

    /**
     * Where the file-action pass reads a Parquet part or sidecar: from memory when it is small (fetched whole once for
     * both passes), else ranged from the store. Call {@link #fileActionsRead} once it is read.
     */
    public ParquetObject fileActions(String path, long length) {
        return parts.object(path, length, SmallParts.Pass.FILES);
    }

    /** The file-action pass has read the part or sidecar: a small one's bytes are dropped once both passes have. */
    public void fileActionsRead(String path) {
        parts.done(path, SmallParts.Pass.FILES);
    }

    private void tally(Removes removes, String path, String dvId, long size, Long deletionTimestamp) {
        if (removes.keys != null) {
            removes.keys.add(FileKeys.of(path, dvId));
        }
        if (recent.isEmpty() || !recent.touchesKey(DeletionVectorIds.fileKey(path, dvId))) {
            removes.tally.count(size, deletionTimestamp);
        }
    }

    /** The file-action pass over a v2 checkpoint's JSON top-level file: from memory when the sparse pass fetched it. */
    public void readJsonFileActions(String part, LogActionVisitor visitor) throws IOException {
        readJson(part, SmallParts.Pass.FILES, visitor);
    }

    private void readJson(String part, SmallParts.Pass pass, LogActionVisitor visitor) throws IOException {
        String name = part.substring(part.lastIndexOf('/') + 1);
        try (InputStream in = parts.open(part, lengthOf(part), pass)) {
            CommitReader.parse(name, in, visitor);
            parts.done(part, pass);
        } catch (java.io.FileNotFoundException e) {
            throw new CorruptLogException("_delta_log/" + name + " is missing (it was listed a moment ago: "
                    + "deleted by a concurrent log cleanup?)", e);
        }
    }
}
