package io.deltaagent.deltalog;

import io.deltaagent.health.HistoryEvent;
import io.deltaagent.health.WriterActivity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writer cadence and maintenance history. The commit count of the last 24 hours comes from the listing's
 * modification times (free); files added and the last OPTIMIZE/VACUUM come from reading the newest
 * {@code depth} commits' commitInfo and add actions (one GET each on object stores).
 */
public final class HistoryReader {

    private static final Duration DAY = Duration.ofHours(24);

    private HistoryReader() {
    }

    public static WriterActivity read(FileSystem fs, LogListing listing, int depth, Instant now) throws IOException {
        return read(fs, listing.commits(), depth, now, new ConcurrentHashMap<>());
    }

    /**
     * @param commits the log's commits in version order (at least those of the last 24 hours and the newest
     *                {@code depth})
     * @param known summaries of commits already read (the ones after the checkpoint, or a re-audit's); filled with the
     *              commits this reads
     */
    static WriterActivity read(FileSystem fs, List<CommitFile> commits, int depth, Instant now,
                               Map<Long, CommitSummary> known) throws IOException {
        long since = now.minus(DAY).toEpochMilli();
        long commitsLast24h = commits.stream().filter(c -> c.modifiedMillis() >= since).count();
        Instant lastCommitTime = commits.isEmpty() ? null
                : Instant.ofEpochMilli(commits.get(commits.size() - 1).modifiedMillis());

        History h = new History(since);
        List<CommitFile> newest = new ArrayList<>(commits.subList(Math.max(0, commits.size() - depth), commits.size()));
        Collections.reverse(newest);
        CommitFetcher.forEachInOrder(fs, newest, c -> !known.containsKey(c.version()), (commit, data) -> {
            CommitSummary summary = known.get(commit.version());
            if (summary == null) {
                Counting visitor = new Counting();
                CommitReader.parse(new Path(commit.path()).getName(), new ByteArrayInputStream(data), visitor);
                summary = new CommitSummary(commit.version(), visitor.timestamp, visitor.operation,
                        visitor.adds);
                known.put(commit.version(), summary);
            }
            return h.add(commit, summary);
        });
        return new WriterActivity(lastCommitTime, commitsLast24h, h.filesAdded, h.read, h.recentRead == commitsLast24h,
                h.lastOptimize, h.lastVacuum, h.lastWrite);
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

        History(long since) {
            this.since = since;
        }

        /** @return false when nothing older can change the result */
        boolean add(CommitFile commit, CommitSummary summary) {
            read++;
            long ts = summary.timestamp() != null ? summary.timestamp() : commit.modifiedMillis();
            if (commit.modifiedMillis() >= since) {
                recentRead++;
                filesAdded += summary.adds();
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
            return !(lastOptimize != null && lastVacuum != null && lastWrite != null && commit.modifiedMillis() < since);
        }
    }

    private static final class Counting implements LogActionVisitor {
        Long timestamp;
        String operation;
        long adds;

        @Override
        public void add(String path, String deletionVectorId, long size, Map<String, String> partitionValues) {
            adds++;
        }

        @Override
        public boolean wantsFileActionDetails() {
            return false;
        }

        @Override
        public void commitInfo(Long ts, String op) {
            timestamp = ts;
            operation = op;
        }
    }
}
