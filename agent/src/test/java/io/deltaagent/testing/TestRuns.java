package io.deltaagent.testing;

import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.NewRun;
import java.time.Instant;

/** Runs recorded straight into a history database, for tests of the store and of what reads it. */
public final class TestRuns {

    private TestRuns() {
    }

    /** Records a submitted run with no job handle, owner or commit tag; returns its id. */
    public static long submitted(HistoryStore store, String table, String action, String plannedAction, String backend,
                                 String clusterSpec, long tableVersionBefore, Instant submittedAt, String healthBefore) {
        return submitted(store, table, action, plannedAction, backend, clusterSpec, tableVersionBefore, submittedAt, healthBefore,
                null, null);
    }

    /** Records a submitted run with the backend's handle of its job and its owner; returns its id. */
    public static long submitted(HistoryStore store, String table, String action, String plannedAction, String backend,
                                 String clusterSpec, long tableVersionBefore, Instant submittedAt, String healthBefore,
                                 String jobHandle, String owner) {
        return store.runs().submitted(new NewRun(table, null, action, plannedAction, backend, clusterSpec, tableVersionBefore,
                submittedAt, healthBefore, jobHandle, owner, false, null));
    }
}
