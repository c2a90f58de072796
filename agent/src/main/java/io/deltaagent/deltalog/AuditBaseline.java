package io.deltaagent.deltalog;

import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.actions.TableMetadata;
import io.deltaagent.deltalog.history.CommitSummary;
import io.deltaagent.deltalog.replay.BaselineCapture;
import io.deltaagent.deltalog.replay.RecentRemoves;
import io.deltaagent.deltalog.segment.Checkpoint;
import io.deltaagent.deltalog.segment.CommitFile;
import io.deltaagent.deltalog.segment.LogFile;
import io.deltaagent.deltalog.segment.LogObjects;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.health.LogStats;
import io.deltaagent.health.ReadCost;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a re-audit of one table starts from: the last audit's figures in a form later commits can be applied to, and
 * where in {@code _delta_log} the last audit stopped. It grows with the table's files (16 bytes each: a key hash and
 * a size) and its partitions, not with their paths. Mutable; one audit owns it at a time.
 */
final class AuditBaseline {

    private static final Duration DAY = Duration.ofHours(24);

    final ReadThresholds thresholds;
    final Instant fullReadAt;
    final ReadCost fullReadCost;
    final String logDir;
    final Checkpoint checkpoint;
    final ProtocolInfo protocol;
    /** The removes since the checkpoint by key hash; not the recent commits' file objects (paths, partition values). */
    final RecentRemoves removes;
    final BaselineCapture capture;
    final Map<Long, CommitSummary> summaries;

    long version;
    TableMetadata metadata;
    List<String> clustering;
    LogStats logStats;
    /** The listing resumes after this key: every object of the table's newest version and later sorts after it. */
    String resumeKey;
    /** The objects after {@link #resumeKey} when last listed: key to {length, modified}. */
    Map<String, long[]> tail;
    /** The check of the checksum file of {@link #version}; null when there was none (issue 26). */
    io.deltaagent.deltalog.checksum.ChecksumCheck checksum;
    /** Version, modified time and length of the commits the history may read: the last day's and the newest. */
    long[][] commits;

    private AuditBaseline(ReadThresholds thresholds, Instant fullReadAt, ReadCost fullReadCost, String logDir,
                          Checkpoint checkpoint, ProtocolInfo protocol, RecentRemoves removes, BaselineCapture capture,
                          Map<Long, CommitSummary> summaries) {
        this.thresholds = thresholds;
        this.fullReadAt = fullReadAt;
        this.fullReadCost = fullReadCost;
        this.logDir = logDir;
        this.checkpoint = checkpoint;
        this.protocol = protocol;
        this.removes = removes;
        this.capture = capture;
        this.summaries = summaries;
    }

    /** @param logDir the table's {@code _delta_log} as its store names it (a full URI) */
    static AuditBaseline of(LogHealthReader.FullRead read, ReadThresholds thresholds, Instant now, String logDir) {
        LogInspection log = read.log();
        AuditBaseline b = new AuditBaseline(thresholds, now, read.health().readCost(), logDir, log.segment().checkpoint(),
                log.protocol(), log.recent().removes(), read.capture(), new ConcurrentHashMap<>(log.summaries()));
        b.version = log.segment().version();
        b.metadata = read.capture().metadata;
        b.clustering = read.health().identity().clusteringColumns();
        b.logStats = read.health().log();
        b.checksum = read.health().checksum();
        b.resumeKey = resumeKey(b.version);
        b.tail = new HashMap<>();
        for (LogObjects.LogObject o : log.listing().entries()) {
            if (o.key().compareTo(b.resumeKey) > 0) {
                b.tail.put(o.key(), new long[] {o.length(), o.modified()});
            }
        }
        List<CommitFile> commits = log.listing().commits();
        b.keepCommits(commits, now);
        b.capture.files.trim();
        return b;
    }

    /** Roughly the heap this baseline holds. */
    long retainedBytes() {
        return capture.files.retainedBytes() + capture.activeKeys.bytes() + capture.checkpointTombstoneKeys.bytes()
                + removes.bytes() + commits.length * 48L + tail.size() * 100L + summaries.size() * 100L + 4096;
    }

    static String resumeKey(long version) {
        return String.format("%020d.", version);
    }

    /** The commits the history reads, as files. */
    List<CommitFile> commitFiles() {
        List<CommitFile> out = new ArrayList<>(commits.length);
        for (long[] c : commits) {
            out.add(new CommitFile(c[0], LogPaths.child(logDir, LogFile.commitName(c[0])), c[2], c[1]));
        }
        return out;
    }

    /** Keeps, of these commits in version order, those of the last day and the newest history-depth ones. */
    void keepCommits(List<CommitFile> all, Instant now) {
        long since = now.minus(DAY).toEpochMilli();
        int newestFrom = Math.max(0, all.size() - thresholds.historyDepth());
        List<long[]> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            CommitFile c = all.get(i);
            if (i >= newestFrom || c.modifiedMillis() >= since) {
                kept.add(new long[] {c.version(), c.modifiedMillis(), c.bytes()});
            }
        }
        commits = kept.toArray(new long[0][]);
        long oldestSummary = newestFrom >= all.size() ? Long.MAX_VALUE : all.get(newestFrom).version();
        summaries.keySet().removeIf(v -> v < oldestSummary);
    }
}
