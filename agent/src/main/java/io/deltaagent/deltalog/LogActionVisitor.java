package io.deltaagent.deltalog;

import java.util.Map;

/** Receives the actions of interest while a commit or checkpoint is read; each method defaults to ignoring. */
public interface LogActionVisitor {
    default void add(String path, long size, Map<String, String> partitionValues) {
    }

    default void remove(String path, long size, Long deletionTimestamp) {
    }

    default void protocol(ProtocolInfo protocol) {
    }

    default void commitInfo(Long timestamp, String operation) {
    }

    /** Whether add and remove actions are wanted (their partition values and paths cost the most to decode). */
    default boolean wantsFileActions() {
        return true;
    }
}
