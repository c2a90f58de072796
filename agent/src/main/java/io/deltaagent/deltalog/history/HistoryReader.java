package io.deltaagent.deltalog.history;

import io.deltaagent.deltalog.segment.CommitFile;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.deltalog.storage.ReadExecutor;
import io.deltaagent.health.HistoryEvent;
import io.deltaagent.health.WriterActivity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Writer cadence and maintenance history. The commit count of the last 24 hours comes from the listing's
 * modification times (free); files added and the last OPTIMIZE/VACUUM come from the newest {@code depth} commits'
 * commitInfo: a range read of each commit's head where its metrics count the adds, else the whole commit
 * ({@link CommitHeads}); commits the replay already read are not read again.
 *
 * <p>Where the newest commit carries an in-commit timestamp ({@code delta.enableInCommitTimestamps}), commit times come
 * from those instead, as PROTOCOL.md requires: modification times change when the log is copied. They increase with
 * the version from the enablement version on, so the commits of the last day are found by a binary search (a few GETs)
 * where the newest {@code depth} do not reach back a day; a commit older than an in-commit-timestamped one is taken to
 * be no younger than it.
 */
public final class HistoryReader {

    private static final Duration DAY = Duration.ofHours(24);

    private HistoryReader() {
    }

    /**
     * @param commits the log's commits in version order (at least those of the last 24 hours and the newest
     *                {@code depth})
     * @param known summaries of commits already read (the ones after the checkpoint, or a re-audit's); filled with the
     *              commits this reads
     */
    public static WriterActivity read(LogStore store, List<CommitFile> commits, int depth, Instant now,
                               Map<Long, CommitSummary> known) throws IOException {
        return read(store, commits, depth, now, known, CommitHeads.HEAD);
    }

    /** @param head the bytes of each commit read first (see {@link CommitHeads}) */
    public static WriterActivity read(LogStore store, List<CommitFile> commits, int depth, Instant now,
                               Map<Long, CommitSummary> known, int head) throws IOException {
        long since = now.minus(DAY).toEpochMilli();
        History h = new History(since);
        List<CommitFile> newest = new ArrayList<>(commits.subList(Math.max(0, commits.size() - depth), commits.size()));
        Collections.reverse(newest);
        // a few commits in flight at once, handed over newest first: on object stores each read waits tens of ms
        List<Future<CommitSummary>> futures = new ArrayList<>(newest.size());
        int submitted = 0;
        try {
            for (int i = 0; i < newest.size(); i++) {
                while (submitted < newest.size() && submitted < i + WINDOW) {
                    CommitFile c = newest.get(submitted++);
                    futures.add(known.containsKey(c.version()) ? null
                            : store.executor().submit(() -> CommitHeads.summarise(store, c, head, since)));
                }
                CommitFile commit = newest.get(i);
                Future<CommitSummary> f = futures.get(i);
                CommitSummary summary = f == null ? known.get(commit.version()) : ReadExecutor.await(f, "reading the log");
                futures.set(i, null);
                known.put(commit.version(), summary);
                if (!h.add(commit, summary)) {
                    break;
                }
            }
        } finally {
            for (Future<CommitSummary> f : futures) {
                if (f != null) {
                    f.cancel(true);
                }
            }
        }
        long commitsLast24h;
        Instant lastCommitTime;
        if (h.newestInCommitTimestamp != null) {
            lastCommitTime = Instant.ofEpochMilli(h.newestInCommitTimestamp);
            commitsLast24h = h.reachedBeforeWindow ? h.recentRead
                    : h.recentRead + countSince(store, commits.subList(0, commits.size() - (int) h.read), since, known, head);
        } else {
            commitsLast24h = commits.stream().filter(c -> c.modifiedMillis() >= since).count();
            lastCommitTime = commits.isEmpty() ? null : Instant.ofEpochMilli(commits.get(commits.size() - 1).modifiedMillis());
        }
        return new WriterActivity(lastCommitTime, commitsLast24h, h.filesAdded, h.read, h.recentRead == commitsLast24h,
                h.lastOptimize, h.lastVacuum, h.lastWrite);
    }

    /** Commits read at once, at most. */
    static final int WINDOW = 8;

    /**
     * How many of {@code older} (in version order, all older than a commit of the last day) have an in-commit timestamp
     * within it: those form a suffix, found by binary search, each probe one commit read (and kept in {@code known}).
     */
    private static long countSince(LogStore store, List<CommitFile> older, long since, Map<Long, CommitSummary> known,
                                   int head) throws IOException {
        int lo = 0;
        int hi = older.size(); // the first index whose commit is within the day lies in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            CommitFile c = older.get(mid);
            CommitSummary s = known.get(c.version());
            if (s == null) {
                s = CommitHeads.summarise(store, c, head, since);
                known.put(c.version(), s);
            }
            if (s.inCommitTimestamp() != null && s.inCommitTimestamp() >= since) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return older.size() - lo;
    }

    /** The newest commits, newest first, until the last OPTIMIZE, VACUUM and write are known and the day is covered. */
    private static final class History {
        final long since;
        long filesAdded;
        long read;
        long recentRead;
        HistoryEvent lastOptimize;
        HistoryEvent lastVacuum;
        HistoryEvent lastWrite;
        /** The newest commit's in-commit timestamp; null when it has none (times then come from the listing). */
        Long newestInCommitTimestamp;
        /** The time of the commit read last (a newer one): older commits are no younger. */
        Long newerTime;
        /** A commit before the last day was read: every older one is too. */
        boolean reachedBeforeWindow;

        History(long since) {
            this.since = since;
        }

        /** @return false when nothing older can change the result */
        boolean add(CommitFile commit, CommitSummary summary) {
            if (read++ == 0) {
                newestInCommitTimestamp = summary.inCommitTimestamp();
            }
            long ts = summary.commitTimestamp() != null ? summary.commitTimestamp() : commit.modifiedMillis();
            // with in-commit timestamps, commit time is the commit's own and never younger than a newer commit's
            long time = newestInCommitTimestamp == null ? commit.modifiedMillis()
                    : Math.min(summary.inCommitTimestamp() != null ? summary.inCommitTimestamp() : ts,
                    newerTime == null ? Long.MAX_VALUE : newerTime);
            newerTime = time;
            if (newestInCommitTimestamp != null) {
                ts = time;
            }
            if (time >= since) {
                recentRead++;
                filesAdded += summary.adds();
            } else {
                reachedBeforeWindow = true;
            }
            String op = summary.operation() == null ? "UNKNOWN" : summary.operation();
            HistoryEvent event = new HistoryEvent(commit.version(), Instant.ofEpochMilli(ts), op);
            if (lastOptimize == null && op.equals("OPTIMIZE")) {
                lastOptimize = event;
            } else if (lastVacuum == null && op.startsWith("VACUUM")) {
                lastVacuum = event;
            } else if (lastWrite == null && summary.adds() > 0 && !op.equals("OPTIMIZE")) {
                lastWrite = event;
            }
            return !(lastOptimize != null && lastVacuum != null && lastWrite != null && time < since);
        }
    }
}
