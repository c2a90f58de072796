package io.deltaagent.deltalog;

/** The unique id of a deletion vector as the Delta protocol defines it: storage type, path or inline data, offset. */
final class DeletionVectorIds {
    private DeletionVectorIds() {
    }

    static String of(String storageType, String pathOrInlineDv, Integer offset) {
        return storageType + pathOrInlineDv + (offset == null ? "" : "@" + offset);
    }
}
