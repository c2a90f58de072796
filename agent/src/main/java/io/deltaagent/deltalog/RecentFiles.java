package io.deltaagent.deltalog;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.io.api.Binary;

/**
 * The file actions of the commits after the checkpoint, replayed in version order: the last action per file key
 * (a null value: removed) and the newest metaData. Only the files these commits touch are held; the checkpoint's
 * rows are checked against them as they stream past.
 */
final class RecentFiles implements LogActionVisitor {

    /** A file the recent commits added and did not remove again. */
    record LiveFile(long size, Map<String, String> partitionValues, long modificationTime, long dvCardinality, long dvBytes,
                    boolean hasDeletionVector) {
    }

    private final Map<String, LiveFile> byKey = new HashMap<>();
    /** The touched paths as UTF-8 bytes: checkpoint paths are checked without being decoded. */
    private final Set<Binary> paths = new HashSet<>();
    private TableMetadata metadata;

    @Override
    public void addFile(String path, String deletionVectorId, long size, Map<String, String> partitionValues,
                        long modificationTime, long dvCardinality, long dvBytes) {
        paths.add(Binary.fromString(path));
        byKey.put(DeletionVectorIds.fileKey(path, deletionVectorId),
                new LiveFile(size, partitionValues, modificationTime, dvCardinality, dvBytes, deletionVectorId != null));
    }

    @Override
    public void remove(String path, String deletionVectorId, long size, Long deletionTimestamp) {
        paths.add(Binary.fromString(path));
        byKey.put(DeletionVectorIds.fileKey(path, deletionVectorId), null);
    }

    @Override
    public void metadata(TableMetadata m) {
        metadata = m;
    }

    /** Whether no file was touched: the checkpoint's paths then need not be decoded. */
    boolean isEmpty() {
        return paths.isEmpty();
    }

    /** Whether a later commit added or removed this checkpointed file (then the commit's action wins). */
    boolean touches(Binary path, String deletionVectorId) {
        return paths.contains(path) && byKey.containsKey(DeletionVectorIds.fileKey(path.toStringUsingUTF8(), deletionVectorId));
    }

    Iterable<LiveFile> live() {
        return () -> byKey.values().stream().filter(java.util.Objects::nonNull).iterator();
    }

    /** The newest metaData of these commits; null when none of them changed it. */
    TableMetadata metadata() {
        return metadata;
    }
}
