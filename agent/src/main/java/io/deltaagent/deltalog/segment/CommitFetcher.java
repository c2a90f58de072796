package io.deltaagent.deltalog.segment;

import io.deltaagent.deltalog.actions.CommitReader;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.deltalog.storage.ReadExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Reads commit files a few at a time and hands them over in order: on object stores each commit is a GET of some tens
 * of milliseconds, and a replay of a thousand commits one after another waits for every one of them.
 */
public final class CommitFetcher {

    /** Commits in flight per reader: enough to hide a request's latency, few enough to stay polite to the store. */
    static final int WINDOW = 8;

    /** Receives one commit's bytes; returns false to stop (the commits not yet handed over are not read). */
    public interface Consumer {
        boolean accept(CommitFile commit, byte[] data) throws IOException;
    }

    private CommitFetcher() {
    }

    /**
     * @param fetch which commits to read; the others are handed over with null data (already known to the caller)
     */
    public static void forEachInOrder(LogStore store, List<CommitFile> commits, Predicate<CommitFile> fetch, Consumer consumer)
            throws IOException {
        List<Future<byte[]>> futures = new ArrayList<>(commits.size());
        int submitted = 0;
        try {
            for (int i = 0; i < commits.size(); i++) {
                while (submitted < commits.size() && submitted < i + WINDOW) {
                    CommitFile c = commits.get(submitted++);
                    futures.add(fetch.test(c) ? store.executor().submit(() -> CommitReader.fetch(store, c.path(), c.bytes())) : null);
                }
                Future<byte[]> f = futures.get(i);
                byte[] data = f == null ? null : ReadExecutor.await(f, "reading the log");
                futures.set(i, null);
                if (!consumer.accept(commits.get(i), data)) {
                    return;
                }
            }
        } finally {
            for (Future<byte[]> f : futures) {
                if (f != null) {
                    f.cancel(true);
                }
            }
        }
    }
}
