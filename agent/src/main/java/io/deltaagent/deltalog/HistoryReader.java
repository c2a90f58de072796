package io.deltaagent.deltalog;

import io.deltaagent.health.HistoryEvent;
import io.deltaagent.health.WriterActivity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
        List<CommitFile> commits = listing.commits();
        long since = now.minus(DAY).toEpochMilli();
        long commitsLast24h = commits.stream().filter(c -> c.modifiedMillis() >= since).count();
        Instant lastCommitTime = commits.isEmpty() ? null
                : Instant.ofEpochMilli(commits.get(commits.size() - 1).modifiedMillis());

        long filesAdded = 0;
        long read = 0;
        long recentRead = 0;
        HistoryEvent lastOptimize = null;
        HistoryEvent lastVacuum = null;
        HistoryEvent lastWrite = null;
        for (int i = commits.size() - 1; i >= 0 && read < depth; i--) {
            CommitFile commit = commits.get(i);
            CommitSummary summary = new CommitSummary();
            CommitReader.read(fs, new Path(commit.path()), summary);
            read++;
            long ts = summary.timestamp != null ? summary.timestamp : commit.modifiedMillis();
            if (commit.modifiedMillis() >= since) {
                recentRead++;
                filesAdded += summary.adds;
            }
            String op = summary.operation == null ? "UNKNOWN" : summary.operation;
            HistoryEvent event = new HistoryEvent(commit.version(), Instant.ofEpochMilli(ts), op);
            if (lastOptimize == null && op.equals("OPTIMIZE")) {
                lastOptimize = event;
            } else if (lastVacuum == null && op.startsWith("VACUUM")) {
                lastVacuum = event;
            } else if (lastWrite == null && summary.adds > 0 && !op.equals("OPTIMIZE")) {
                lastWrite = event;
            }
            if (lastOptimize != null && lastVacuum != null && lastWrite != null && commit.modifiedMillis() < since) {
                break;
            }
        }
        return new WriterActivity(lastCommitTime, commitsLast24h, filesAdded, read, recentRead == commitsLast24h,
                lastOptimize, lastVacuum, lastWrite);
    }

    private static final class CommitSummary implements LogActionVisitor {
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
