package io.deltaagent.deltalog.actions;

import java.util.Map;

/** Receives the actions of interest while a commit or checkpoint is read; each method defaults to ignoring. */
public interface LogActionVisitor {
    /**
     * @param deletionVectorId the unique id of the file's deletion vector (storage type, path or inline data, offset),
     *                         null when it has none; Delta keys files by path and this id together
     */
    default void add(String path, String deletionVectorId, long size, Map<String, String> partitionValues) {
    }

    /**
     * An add action with what the projected reader needs; by default it goes to {@link #add}.
     *
     * @param dvCardinality rows its deletion vector marks deleted (0 without one)
     * @param dvBytes the deletion vector's size in bytes (0 without one)
     */
    default void addFile(String path, String deletionVectorId, long size, Map<String, String> partitionValues,
                         long modificationTime, long dvCardinality, long dvBytes) {
        add(path, deletionVectorId, size, partitionValues);
    }

    /** A metaData action. */
    default void metadata(TableMetadata metadata) {
    }

    /** A v2 checkpoint's checkpointMetadata action: the version it checkpoints. */
    default void checkpointMetadata(long version) {
    }

    default void remove(String path, String deletionVectorId, long size, Long deletionTimestamp) {
    }

    /**
     * A remove action with all the agent reads of it; by default it goes to {@link #remove} (a missing size as 0).
     *
     * @param size null when the action has none (writers without extendedFileMetadata)
     * @param partitionValues null when the action has none
     * @param dvCardinality rows its deletion vector marks deleted (0 without one)
     */
    record RemoveAction(String path, String deletionVectorId, Long size, Long deletionTimestamp,
                        Map<String, String> partitionValues, long dvCardinality, long dvBytes) {
    }

    default void removeAction(RemoveAction remove) {
        remove(remove.path(), remove.deletionVectorId(), remove.size() == null ? 0 : remove.size(), remove.deletionTimestamp());
    }

    default void protocol(ProtocolInfo protocol) {
    }

    default void commitInfo(Long timestamp, String operation) {
    }

    /**
     * The commit's {@code commitInfo.inCommitTimestamp}: present from the version in-commit timestamps were enabled, and
     * then the commit's time (file modification times change when the log is copied). Reported after
     * {@link #commitInfo}.
     */
    default void inCommitTimestamp(long millis) {
    }

    /**
     * A domainMetadata action (liquid clustering keeps its columns in domain {@code delta.clustering}).
     *
     * @param configuration the domain's configuration, JSON text
     * @param removed true for a tombstone of the domain
     */
    default void domainMetadata(String domain, String configuration, boolean removed) {
    }

    /** A v2 checkpoint's sidecar file, relative to {@code _delta_log/_sidecars/}. */
    default void sidecar(String path) {
    }

    /** Whether add and remove actions are wanted (their partition values and paths cost the most to decode). */
    default boolean wantsFileActions() {
        return true;
    }

    /**
     * False when only the number of add actions matters: adds are then counted without being parsed
     * ({@link #add} gets null path and no values) and removes are skipped.
     */
    default boolean wantsFileActionDetails() {
        return true;
    }
}
