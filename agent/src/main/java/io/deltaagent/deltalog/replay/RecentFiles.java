package io.deltaagent.deltalog.replay;

import io.deltaagent.deltalog.actions.CommitReader;
import io.deltaagent.deltalog.actions.DeletionVectorIds;
import io.deltaagent.deltalog.actions.LogActionVisitor;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.actions.TableMetadata;
import io.deltaagent.deltalog.history.CommitSummary;
import io.deltaagent.deltalog.segment.CommitFetcher;
import io.deltaagent.deltalog.segment.CommitFile;
import io.deltaagent.deltalog.segment.LogCompactions;
import io.deltaagent.deltalog.segment.LogSegment;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.parquet.io.api.Binary;

/**
 * The commits after the checkpoint, read once and replayed in version order: the last action per file key (a null
 * value: removed), the tombstones among them, and the newest protocol and metaData. Only the files these commits
 * touch are held; the checkpoint's rows are checked against them as they stream past.
 */
public final class RecentFiles implements LogActionVisitor {

    /** A file the recent commits removed last: a tombstone unless the checkpoint holds a newer add (it cannot). */
    public record Removed(long size, Long deletionTimestamp) {
    }

    /** A file the recent commits added and did not remove again. */
    public record LiveFile(String path, String deletionVectorId, long size, Map<String, String> partitionValues,
                    long modificationTime, long dvCardinality, long dvBytes) {
        public boolean hasDeletionVector() {
            return deletionVectorId != null;
        }
    }

    private final Map<String, LiveFile> byKey = new HashMap<>();
    private final RecentRemoves removed = new RecentRemoves();
    /** The touched paths as UTF-8 bytes: checkpoint paths are checked without being decoded. */
    private final Set<Binary> paths = new HashSet<>();
    private boolean anyRemove;
    private TableMetadata metadata;
    private ProtocolInfo protocol;
    private Optional<List<String>> clustering = Optional.empty();

    /**
     * Reads the segment's commits after its checkpoint (fetched several at a time, replayed in version order).
     *
     * @param summaries receives each commit's summary, for the history
     */
    static RecentFiles read(LogStore store, LogSegment segment, Map<Long, CommitSummary> summaries) throws IOException {
        return read(store, segment, List.of(), summaries);
    }

    /**
     * As {@link #read(LogStore, LogSegment, Map)}, reading a compaction file instead of the commits it covers where
     * one covers commits of the segment only (their summaries are then not kept: the history reads those it needs).
     */
    public static RecentFiles read(LogStore store, LogSegment segment, List<LogCompactions.Compaction> compactions,
                            Map<Long, CommitSummary> summaries) throws IOException {
        RecentFiles recent = new RecentFiles();
        apply(store, LogCompactions.sources(segment.commitsAfterCheckpoint(), compactions), summaries, recent);
        return recent;
    }

    /** Reads more commits, in order, into {@code visitor}, putting each commit's summary into {@code summaries}. */
    public static void apply(LogStore store, List<CommitFile> commits, Map<Long, CommitSummary> summaries,
                             LogActionVisitor visitor) throws IOException {
        CommitFetcher.forEachInOrder(store, commits, c -> true, (commit, data) -> {
            CommitSummary.Collector collector = new CommitSummary.Collector(visitor);
            CommitReader.parse(LogPaths.name(commit.path()), new java.io.ByteArrayInputStream(data), collector);
            if (!LogCompactions.isCompaction(commit)) { // a compaction file has no commitInfo of its commits
                summaries.put(commit.version(), collector.summary(commit.version()));
            }
            return true;
        });
    }

    @Override
    public void addFile(String path, String deletionVectorId, long size, Map<String, String> partitionValues,
                        long modificationTime, long dvCardinality, long dvBytes) {
        paths.add(Binary.fromString(path));
        String key = DeletionVectorIds.fileKey(path, deletionVectorId);
        removed.added(FileKeys.of(path, deletionVectorId));
        byKey.put(key, new LiveFile(path, deletionVectorId, size, partitionValues, modificationTime, dvCardinality, dvBytes));
    }

    @Override
    public void remove(String path, String deletionVectorId, long size, Long deletionTimestamp) {
        anyRemove = true;
        paths.add(Binary.fromString(path));
        String key = DeletionVectorIds.fileKey(path, deletionVectorId);
        byKey.put(key, null);
        removed.removed(FileKeys.of(path, deletionVectorId), size, deletionTimestamp);
    }

    @Override
    public void protocol(ProtocolInfo p) {
        protocol = p;
    }

    @Override
    public void metadata(TableMetadata m) {
        metadata = m;
    }

    @Override
    public void domainMetadata(String domain, String configuration, boolean removed) {
        if (ClusteringColumns.DOMAIN.equals(domain)) {
            clustering = removed ? Optional.of(List.of()) : Optional.of(ClusteringColumns.parse(configuration));
        }
    }

    /** The clustering columns the newest of these commits set (empty list: it removed them); empty when none did. */
    Optional<List<String>> clustering() {
        return clustering;
    }

    /** Whether no file was touched: the checkpoint's paths then need not be decoded. */
    public boolean isEmpty() {
        return paths.isEmpty();
    }

    /**
     * Whether these commits hold a remove action. Without one, a checkpointed file can be touched only by being added
     * again under the same key (path and deletion vector): a file with a new deletion vector comes with the remove of
     * its old one, per the Delta protocol.
     */
    public boolean removesAny() {
        return anyRemove;
    }

    /** Whether a later commit added or removed this checkpointed file (then the commit's action wins). */
    public boolean touches(Binary path, String deletionVectorId) {
        return paths.contains(path)
                && byKey.containsKey(DeletionVectorIds.fileKey(path.toStringUsingUTF8(), deletionVectorId));
    }

    /** Whether a later commit added or removed the file with this key (path, or path and deletion vector). */
    boolean touchesKey(String fileKey) {
        return byKey.containsKey(fileKey);
    }

    /** The files these commits removed and did not add again. */
    public Iterable<Removed> removed() {
        return removed.all();
    }

    /** The same removes by key hash, to outlive these commits' file objects (a re-audit's baseline keeps them). */
    public RecentRemoves removes() {
        return removed;
    }

    /** The newest protocol of these commits; null when none of them changed it. */
    ProtocolInfo protocol() {
        return protocol;
    }

    public Iterable<LiveFile> live() {
        return () -> byKey.values().stream().filter(java.util.Objects::nonNull).iterator();
    }

    /** The newest metaData of these commits; null when none of them changed it. */
    public TableMetadata metadata() {
        return metadata;
    }
}
