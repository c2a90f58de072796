package io.deltaagent.deltalog;

import io.deltaagent.deltalog.actions.LogActionVisitor;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.actions.TableMetadata;
import io.deltaagent.deltalog.history.HistoryReader;
import io.deltaagent.deltalog.replay.ClusteringColumns;
import io.deltaagent.deltalog.replay.FileKeys;
import io.deltaagent.deltalog.replay.LogReplay;
import io.deltaagent.deltalog.replay.RecentFiles;
import io.deltaagent.deltalog.replay.TombstoneTally;
import io.deltaagent.deltalog.segment.CommitFile;
import io.deltaagent.deltalog.segment.LogFile;
import io.deltaagent.deltalog.segment.LogListing;
import io.deltaagent.deltalog.segment.LogObjects;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStorage;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.LogStats;
import io.deltaagent.health.ReadCost;
import io.deltaagent.health.TableHealth;
import io.deltaagent.health.TableIdentity;
import io.deltaagent.health.WriterActivity;
import io.deltaagent.storage.RequestCounters;
import io.deltaagent.storage.TableLocation;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-audits that read only what changed. The first audit of a table is a full read ({@link LogHealthReader}) that
 * keeps an {@link AuditBaseline}; each later one lists {@code _delta_log} from the last version seen (S3 start-after:
 * one LIST request for an unchanged table), reads the new commits and applies them to the kept figures. The figures
 * are those a full read would give; whatever could make them differ falls back to a full read, which says why
 * ({@code readCost.fullReason}): a new checkpoint, objects deleted or rewritten in the log, a protocol change, a
 * metadata change that moves partitions or the small-file threshold, a file added again under a key already in the
 * table or in the checkpoint's tombstones, a remove without size or partition values, a partition whose newest
 * file was removed, changed settings, or a full read older than {@code fullAuditInterval}. Tables the projected
 * reader does not read (Kernel-only features, a forced library) are always read in full.
 */
public final class IncrementalLogReader implements DeltaLogReader {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalLogReader.class);

    private final LogHealthReader full;
    private final LogStorage storage;
    private final Clock clock;
    private final Duration fullAuditInterval;
    private final Baselines baselines;

    /** @param storage where the tables are read from, by the re-audits and the full reads alike */
    public IncrementalLogReader(LogStorage storage, Clock clock, Duration fullAuditInterval) {
        this(storage, clock, fullAuditInterval, new Baselines());
    }

    /** @param baselines kept across readers (a daemon's config reload builds a new reader, not new baselines) */
    public IncrementalLogReader(LogStorage storage, Clock clock, Duration fullAuditInterval, Baselines baselines) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fullAuditInterval = Objects.requireNonNull(fullAuditInterval, "fullAuditInterval");
        this.full = new LogHealthReader(storage, clock);
        this.baselines = baselines;
    }

    /**
     * The tables' baselines, to outlive one reader, within a memory budget: a table whose baseline does not fit is read
     * in full each time (logged once per table) rather than let the heap run out.
     */
    public static final class Baselines {
        private final Map<String, AuditBaseline> byTable = new ConcurrentHashMap<>();
        private final Map<String, Long> sizes = new ConcurrentHashMap<>();
        private final java.util.Set<String> refused = ConcurrentHashMap.newKeySet();
        private final long budgetBytes;
        private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();

        /** A budget of a third of the maximum heap. */
        public Baselines() {
            this(Runtime.getRuntime().maxMemory() / 3);
        }

        public Baselines(long budgetBytes) {
            this.budgetBytes = budgetBytes;
        }

        AuditBaseline take(String table) {
            AuditBaseline b = byTable.remove(table);
            Long size = sizes.remove(table);
            if (size != null) {
                held.addAndGet(-size);
            }
            return b;
        }

        /** @return false when it does not fit the budget */
        boolean keep(String table, AuditBaseline b) {
            long size = b.retainedBytes();
            if (held.addAndGet(size) > budgetBytes) {
                held.addAndGet(-size);
                if (refused.add(table)) {
                    LOG.info("{}: its figures for re-audits ({} MB) do not fit the {} MB kept for them (a third of the heap, "
                            + "{} MB in use): it is read in full at every audit; a larger -Xmx makes room", table,
                            size >> 20, budgetBytes >> 20, held.get() >> 20);
                }
                return false;
            }
            byTable.put(table, b);
            sizes.put(table, size);
            return true;
        }

        boolean refused(String table) {
            return refused.contains(table);
        }

        /** Heap held by the kept baselines, roughly. */
        public long heldBytes() {
            return held.get();
        }

        public int size() {
            return byTable.size();
        }
    }

    @Override
    public void close() {
        full.close();
    }

    @Override
    public io.deltaagent.deltalog.history.CommitInfoReader commitInfo() {
        return full.commitInfo();
    }

    @Override
    public String name() {
        return "log (incremental)";
    }

    @Override
    public DeltaLogReader fullReads() {
        return full;
    }

    /**
     * Thrown while applying commits when the result could differ from a full read's: the message says why. Unchecked,
     * as the visitor that applies the commits cannot throw a checked one.
     */
    private static final class FallBack extends RuntimeException {
        FallBack(String why) {
            super(why, null, false, false);
        }
    }

    @Override
    public TableHealth read(TableLocation table, ReadThresholds settings) {
        String key = table.path().toString();
        // taken out while in use: an audit abandoned at its timeout and still blocked keeps its own, the next starts full
        AuditBaseline baseline = baselines.take(key);
        Instant now = clock.instant();
        String reason = null;
        if (baseline == null && baselines.refused(key)) {
            reason = "its figures for re-audits do not fit the memory kept for them (a third of the heap)";
        } else if (baseline != null && !baseline.thresholds.equals(settings)) {
            reason = "the table's settings changed";
        } else if (baseline != null && Duration.between(baseline.fullReadAt, now).compareTo(fullAuditInterval) >= 0) {
            reason = "the last full read is older than full-audit-interval";
        } else if (baseline != null) {
            try {
                TableHealth health = reaudit(table, settings, baseline);
                baselines.keep(key, baseline);
                return health;
            } catch (FallBack f) {
                reason = f.getMessage();
            } catch (Exception e) {
                throw ReadFailures.classify(table.display(), e);
            }
        }
        if (reason != null) {
            LOG.info("{}: a full read of the log: {}", table.display(), reason);
        }
        LogHealthReader.FullRead read = full.readFull(table, settings, true);
        if (read.capture() != null) {
            try {
                baselines.keep(key, AuditBaseline.of(read, settings, now, storage.logDir(table)));
            } catch (IOException e) {
                LOG.debug("{}: no baseline kept: {}", table.display(), e.getMessage());
            }
        } else if (reason == null) {
            reason = "read by " + read.health().reader() + ", which keeps no figures for re-audits";
        }
        TableHealth h = read.health();
        return reason == null ? h : withCost(h, withReason(h.readCost(), reason));
    }

    private TableHealth reaudit(TableLocation table, ReadThresholds settings, AuditBaseline b) throws Exception {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        try (RequestCounters.Read counted = RequestCounters.beginRead(); LogStore store = storage.open(table, full.reads())) {
            return reaudit(table, settings, b, store, t0, now);
        }
    }

    private TableHealth reaudit(TableLocation table, ReadThresholds settings, AuditBaseline b, LogStore store, long t0,
                                Instant now) throws Exception {
        List<LogObjects.LogObject> listed = LogObjects.list(store, b.logDir, b.resumeKey, -1);

        Map<String, LogObjects.LogObject> byKey = new HashMap<>();
        listed.forEach(o -> byKey.put(o.key(), o));
        for (Map.Entry<String, long[]> e : b.tail.entrySet()) {
            LogObjects.LogObject o = byKey.get(e.getKey());
            if (o == null) {
                throw new FallBack("_delta_log/" + e.getKey() + " was deleted since the last audit");
            }
            if (o.length() != e.getValue()[0] || o.modified() != e.getValue()[1]) {
                throw new FallBack("_delta_log/" + e.getKey() + " was rewritten since the last audit");
            }
        }
        long newObjects = 0;
        long newBytes = 0;
        List<LogObjects.LogObject> added = new ArrayList<>();
        List<CommitFile> newCommits = new ArrayList<>();
        for (LogObjects.LogObject o : listed) {
            if (b.tail.containsKey(o.key())) {
                continue;
            }
            newObjects++;
            newBytes += o.length();
            added.add(o);
            if (o.key().indexOf('/') >= 0) {
                continue;
            }
            if (o.key().equals(LogListing.LAST_CHECKPOINT)) {
                throw new FallBack("a checkpoint was written since the last audit (_last_checkpoint appeared)");
            }
            Optional<LogFile> file = LogFile.parse(o.key());
            if (file.isPresent() && file.get().isCheckpoint()) {
                throw new FallBack("checkpoint " + file.get().version() + " was written since the last audit");
            }
            if (file.isPresent() && file.get().type() == LogFile.Type.COMMIT) {
                if (file.get().version() <= b.version) {
                    throw new FallBack("commit " + file.get().version() + " appeared below the version last audited");
                }
                newCommits.add(new CommitFile(file.get().version(), LogPaths.child(b.logDir, o.key()), o.length(),
                        o.modified()));
            }
        }
        newCommits.sort(Comparator.comparingLong(CommitFile::version));
        for (int i = 0; i < newCommits.size(); i++) {
            if (newCommits.get(i).version() != b.version + 1 + i) {
                throw new FallBack("commit " + (b.version + 1 + i) + " is missing after the version last audited");
            }
        }

        Map<String, String> keyToColumn = b.metadata.partitionKeyToColumn();
        Applier applier = new Applier(b, settings, keyToColumn);
        RecentFiles.apply(store, newCommits, b.summaries, applier);
        if (!b.capture.files.newestKnown()) {
            throw new FallBack("the newest file of a partition was removed: which remaining one is newest needs a full read");
        }
        FileStats files;
        try {
            files = b.capture.files.result();
        } catch (IllegalStateException e) {
            throw new FallBack(e.getMessage());
        }

        // the tombstones: the checkpoint's, as the full read counted them, and every remove since
        TombstoneTally tombstones = b.capture.checkpointTombstones.copy();
        b.removes.all().forEach(r -> tombstones.count(r.size(), r.deletionTimestamp()));
        LogReplay.Removes removes = new LogReplay.Removes(tombstones.result(), b.capture.sidecars, tombstones.ages);

        List<CommitFile> commits = new ArrayList<>(b.commitFiles());
        commits.addAll(newCommits);
        WriterActivity activity = HistoryReader.read(store, commits, settings.historyDepth(), now, b.summaries);
        b.keepCommits(commits, now);

        long version = b.version + newCommits.size();
        LogStats old = b.logStats;
        LogStats log = new LogStats(old.lastCheckpointVersion(), old.lastCheckpointBytes(), old.lastCheckpointParts(),
                old.lastCheckpointSidecars(), old.lastCheckpointTime(), old.lastCheckpointFromHint(),
                old.commitsSinceCheckpoint() + newCommits.size(), old.commitFiles() + newCommits.size(),
                old.checkpointFiles(), old.oldestCommitVersion(), old.objects() + newObjects, old.bytes() + newBytes,
                old.compactionFiles() + LogListing.compactionFiles(added),
                old.stagedCommitFiles() + LogListing.stagedCommitFiles(added));
        b.logStats = log;
        b.version = version;
        b.resumeKey = AuditBaseline.resumeKey(version);
        Map<String, long[]> tail = new HashMap<>();
        for (LogObjects.LogObject o : listed) {
            if (o.key().compareTo(b.resumeKey) > 0) {
                tail.put(o.key(), new long[] {o.length(), o.modified()});
            }
        }
        b.tail = tail;

        TableMetadata m = b.metadata;
        TableIdentity identity = new TableIdentity(table.path().toString(), m.id(), version,
                b.protocol.minReaderVersion(), b.protocol.minWriterVersion(), b.protocol.readerFeatures(),
                b.protocol.writerFeatures(), m.partitionColumns(), LogHealthReader.maintenanceProperties(m.properties()),
                b.clustering, CatalogManagedRead.of(b.protocol, version, log.stagedCommitFiles()));
        if (!newCommits.isEmpty()) {
            // issue 26: an unchanged table keeps its last check (no request); new commits are checked against the newest
            // version's checksum file when one was listed, so the applied figures are proven against the writer's own
            b.checksum = ChecksumAudit.check(store, b.logDir, listed, table.display(), identity, files,
                    b.capture.deletionVectors.result(files.activeFiles()));
        }
        ReadCost last = b.fullReadCost;
        ReadCost cost = new ReadCost(last.snapshotMillis(), last.scanMillis(), (System.nanoTime() - t0) / 1_000_000,
                last.listRequests(), last.getRequests(), last.headRequests(), last.countersSource(),
                last.libraryLoadMillis(), newCommits.isEmpty() ? ReadCost.UNCHANGED : ReadCost.INCREMENTAL, null,
                LogHealthReader.auditRequests(store)); // all through the store: its own, exact
        LOG.info("{}: version {}, {} files, {} small; {} re-audit, {} new commits", table.display(), version,
                files.activeFiles(), files.smallFiles(), cost.mode(), newCommits.size());
        return new TableHealth(table.display(), "projected", clock.instant(), identity, files, log, cost, activity,
                LogHealthReader.vacuumable(removes, settings.rules().vacuumRetention(m.properties()), activity, now),
                b.capture.deletionVectors.result(files.activeFiles()), b.checksum);
    }

    /** Applies the new commits' actions to the baseline's figures, and to its commits since the checkpoint. */
    private static final class Applier implements LogActionVisitor {
        private final AuditBaseline b;
        private final ReadThresholds settings;
        private Map<String, String> keyToColumn;

        Applier(AuditBaseline b, ReadThresholds settings, Map<String, String> keyToColumn) {
            this.b = b;
            this.settings = settings;
            this.keyToColumn = keyToColumn;
        }

        @Override
        public void addFile(String path, String dvId, long size, Map<String, String> partitionValues, long mtime,
                            long dvCardinality, long dvBytes) {
            long key = FileKeys.of(path, dvId);
            if (b.capture.checkpointTombstoneKeys.contains(key)) {
                fail("a file the checkpoint records as removed was added again");
            }
            if (!b.capture.activeKeys.add(key)) {
                fail("a file already in the table was added again (its entry replaced)");
            }
            b.capture.files.add(size, TableMetadata.byColumn(partitionValues, keyToColumn), mtime, key);
            b.capture.deletionVectors.count(dvId != null, dvCardinality, dvBytes);
            b.removes.added(key);
        }

        @Override
        public void removeAction(RemoveAction r) {
            long key = FileKeys.of(r.path(), r.deletionVectorId());
            if (b.capture.checkpointTombstoneKeys.contains(key)) {
                fail("a file the checkpoint records as removed was removed again");
            }
            if (b.capture.activeKeys.contains(key)) {
                if (r.size() == null) {
                    fail("a remove action without a size (written without extendedFileMetadata)");
                }
                if (r.partitionValues() == null && !b.metadata.partitionColumns().isEmpty()) {
                    fail("a remove action without partition values (written without extendedFileMetadata)");
                }
                Map<String, String> values = r.partitionValues() == null ? Map.of() : r.partitionValues();
                if (!b.capture.files.remove(r.size(), TableMetadata.byColumn(values, keyToColumn), key)) {
                    fail("a remove action that does not match the file it removes (size or partition)");
                }
                b.capture.deletionVectors.uncount(r.deletionVectorId() != null, r.dvCardinality(), r.dvBytes());
                b.capture.activeKeys.remove(key);
            }
            b.removes.removed(key, r.size() == null ? 0 : r.size(), r.deletionTimestamp());
        }

        @Override
        public void protocol(ProtocolInfo protocol) {
            if (!protocol.equals(b.protocol)) {
                fail("the table's protocol changed");
            }
        }

        @Override
        public void metadata(TableMetadata m) {
            TableMetadata old = b.metadata;
            if (!Objects.equals(old.id(), m.id())) {
                fail("the table was replaced (new table id)");
            }
            if (!old.partitionColumns().equals(m.partitionColumns())
                    || !old.partitionKeyToColumn().equals(m.partitionKeyToColumn())) {
                fail("the table's partition columns changed");
            }
            if (!Arrays.equals(settings.rules().smallFiles(old.properties()).thresholds(),
                    settings.rules().smallFiles(m.properties()).thresholds())) {
                fail("the table's target file size changed, and with it which files are small");
            }
            b.metadata = m;
            keyToColumn = m.partitionKeyToColumn();
        }

        @Override
        public void domainMetadata(String domain, String configuration, boolean removed) {
            if (ClusteringColumns.DOMAIN.equals(domain)) {
                b.clustering = removed ? List.of() : ClusteringColumns.parse(configuration);
            }
        }

        private void fail(String why) {
            throw new FallBack(why);
        }
    }

    private static TableHealth withCost(TableHealth h, ReadCost cost) {
        return new TableHealth(h.table(), h.reader(), h.measuredAt(), h.identity(), h.files(), h.log(), cost, h.activity(),
                h.tombstones(), h.deletionVectors(), h.checksum());
    }

    private static ReadCost withReason(ReadCost c, String reason) {
        return new ReadCost(c.snapshotMillis(), c.scanMillis(), c.auditMillis(), c.listRequests(), c.getRequests(),
                c.headRequests(), c.countersSource(), c.libraryLoadMillis(), c.mode(), reason, c.requests());
    }
}
