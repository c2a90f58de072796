package io.deltaagent.deltalog.actions;

/** The unique id of a deletion vector as the Delta protocol defines it: storage type, path or inline data, offset. */
public final class DeletionVectorIds {
    private DeletionVectorIds() {
    }

    static String of(String storageType, String pathOrInlineDv, Integer offset) {
        return storageType + pathOrInlineDv + (offset == null ? "" : "@" + offset);
    }

    /** Delta keys a file by its path and deletion vector: (path, dv1) removed and (path, dv2) added are two files. */
    public static String fileKey(String path, String deletionVectorId) {
        return deletionVectorId == null ? path : path + "#" + deletionVectorId;
    }
}
