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
import io.deltaagent.deltalog.storage.ReadExecutor;
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
 * stream past, never held). The sidecars' removes are read on the first demand for tombstones: each part and sidecar
 * is opened once for all of it (after Trino's checkpoint entry iterator, which takes the set of entry types it must
 * produce). A small part or sidecar is fetched whole once and both passes read it from memory ({@link SmallParts}).
 *
 * <p>The top-level parts' pass ({@link #start}) runs on the audit's executor, and tells its protocol and metaData
 * ({@link #tableActions}) as soon as it has seen both: the file-action pass, which needs only those, then reads the
 * same parts while this pass reads on to the removes. On a checkpoint whose protocol and metaData rows come last the
 * file-action pass waits for the whole of this one, as when the two ran one after the other; nothing is buffered.
 */
public final class CheckpointActions {

    /**
     * The checkpoint's protocol and metaData (either null when the checkpoint has none). A checkpoint holds one of
     * each; were there more, the first wins, as in Delta Kernel's replay.
     */
    public record TableActions(ProtocolInfo protocol, TableMetadata metadata) {
    }

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
    private final java.util.concurrent.CompletableFuture<TableActions> tableActions = new java.util.concurrent.CompletableFuture<>();
    private java.util.concurrent.Future<Header> header;
    private Removes sidecarRemoves;
    private final Object sidecarLock = new Object();

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

    /**
     * Starts reading the top-level parts' sparse actions on the store's executor (a leaf task: it waits on nothing of
     * the pool); a second call does nothing. Closing the store interrupts it. Parts small enough to be fetched whole
     * ({@link SmallParts}) are read here, on the caller's thread, as before the passes overlapped: the overlap gains
     * nothing on them, and a fleet of small tables audited 8 at once on 2 cores paid the hand-off (first cycle of 1,000
     * tables on S3: 36.4-39.3 s sequential, 40.6-41.2 s with every sparse pass on the executor).
     */
    public void start() {
        java.util.concurrent.FutureTask<Header> task;
        boolean inline;
        synchronized (this) {
            if (header != null) {
                return;
            }
            task = new java.util.concurrent.FutureTask<>(this::readHeader) {
                @Override
                protected void done() {
                    if (isCancelled()) { // also when the closed store dropped it before it ran: no one waits for ever
                        tableActions.cancel(false);
                    }
                }
            };
            header = task;
            inline = checkpoint.files().stream().allMatch(part -> {
                long length = lengthOf(part);
                return length >= 0 && length <= SmallParts.MAX_OBJECT_BYTES;
            });
        }
        if (inline) {
            task.run();
            return;
        }
        try {
            store.executor().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.cancel(false);
            throw e;
        }
    }

    /** Stops the top-level parts' pass if it still runs (an audit that no longer needs it). */
    public synchronized void cancel() {
        if (header != null) {
            header.cancel(true);
        }
        tableActions.cancel(false);
    }

    /**
     * The checkpoint's protocol and metaData, as soon as the top-level parts' pass has seen both (or has ended without):
     * the file-action pass needs no more to start. Starts the pass if it has not started.
     *
     * @throws IOException what the pass failed with, when it failed before it saw both
     */
    public TableActions tableActions() throws IOException {
        start();
        try {
            return ReadExecutor.await(tableActions, "reading the protocol and metaData of checkpoint " + checkpoint.version());
        } catch (java.util.concurrent.CancellationException e) {
            throw cancelled();
        }
    }

    /** The top-level parts' sparse actions, once their pass has ended (started here if it has not). */
    Header header() throws IOException {
        start();
        java.util.concurrent.Future<Header> h;
        synchronized (this) {
            h = header;
        }
        try {
            return ReadExecutor.await(h, "reading checkpoint " + checkpoint.version());
        } catch (java.util.concurrent.CancellationException e) {
            throw cancelled();
        }
    }

    private java.io.InterruptedIOException cancelled() {
        return new java.io.InterruptedIOException("the read of checkpoint " + checkpoint.version() + " was cancelled");
    }

    private Header readHeader() throws IOException {
        try {
            Header h = readParts();
            tableActions.complete(new TableActions(h.protocol, h.metadata));
            return h;
        } catch (IOException | RuntimeException | Error e) {
            tableActions.completeExceptionally(e);
            throw e;
        }
    }

    private Header readParts() throws IOException {
        Header h = new Header(new Removes(keepKeys));
        LogActionVisitor visitor = new LogActionVisitor() {
            @Override
            public void remove(String path, String dvId, long size, Long deletionTimestamp) {
                tally(h.removes, path, dvId, size, deletionTimestamp);
            }

            @Override
            public void protocol(ProtocolInfo p) {
                if (h.protocol == null) {
                    h.protocol = p;
                    seen(h);
                }
            }

            @Override
            public void metadata(TableMetadata m) {
                if (h.metadata == null) {
                    h.metadata = m;
                    seen(h);
                }
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
        return h;
    }

    /** Both seen: the file-action pass may start while this one reads on. */
    private void seen(Header h) {
        if (h.protocol != null && h.metadata != null) {
            tableActions.complete(new TableActions(h.protocol, h.metadata));
        }
    }

    /** The sidecars' removes, read on the first call (after the header, which names the sidecars). */
    Removes sidecarRemoves() throws IOException {
        Header header = header();
        synchronized (sidecarLock) {
            if (sidecarRemoves == null) {
                Removes r = new Removes(keepKeys);
                LogActionVisitor visitor = new LogActionVisitor() {
                    @Override
                    public void remove(String path, String dvId, long size, Long deletionTimestamp) {
                        tally(r, path, dvId, size, deletionTimestamp);
                    }
                };
                for (String sidecar : header.sidecars) {
                    String path = CheckpointFiles.sidecarPath(checkpoint, sidecar);
                    CheckpointColumnReader.read(path, parts.object(path, lengthOf(path), SmallParts.Pass.SPARSE),
                            Set.of("remove"), visitor);
                    parts.done(path, SmallParts.Pass.SPARSE);
                }
                sidecarRemoves = r;
            }
            return sidecarRemoves;
        }
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
