package io.deltaagent.jobs.spark;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;

/**
 * Recognises Delta's optimistic-concurrency conflicts (ConcurrentAppendException, ConcurrentDeleteReadException,
 * ConcurrentDeleteDeleteException, ConcurrentTransactionException, MetadataChangedException,
 * ProtocolChangedException, ...): the losing transaction wrote no commit, so retrying from a fresh snapshot is
 * safe. Looks through wrapping exceptions (thread pools, SparkException).
 */
public final class DeltaConflicts {
    private DeltaConflicts() {
    }

    public static boolean isConflict(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof DeltaConcurrentModificationException) {
                return true;
            }
        }
        return false;
    }
}
