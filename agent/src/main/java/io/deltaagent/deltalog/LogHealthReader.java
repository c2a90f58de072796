package io.deltaagent.deltalog;

import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.history.HistoryReader;
import io.deltaagent.deltalog.replay.BaselineCapture;
import io.deltaagent.deltalog.replay.LogReplay;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.deltalog.storage.LogStorage;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.deltalog.storage.ReadExecutor;
import io.deltaagent.error.TableReadException;
import io.deltaagent.error.TableReadException.Kind;
import io.deltaagent.health.LogStats;
import io.deltaagent.health.ReadCost;
import io.deltaagent.health.StorageRequests;
import io.deltaagent.storage.RequestCounters;
import io.deltaagent.health.TableHealth;
import io.deltaagent.health.TableIdentity;
import io.deltaagent.health.Tombstones;
import io.deltaagent.health.WriterActivity;
import io.deltaagent.storage.TableLocation;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit's reader: the log's own facts ({@link LogInspection}: listing, segment, protocol, tombstones,
 * history) plus a snapshot library's measurement of the active files. The table's {@code reader} setting
 * picks the library; with {@link ReadThresholds.Library#AUTO},
 * the projected reader reads what it can and Delta Kernel the rest; a forced library that cannot read the
 * table's protocol gives a clear UNSUPPORTED_PROTOCOL error before it is called.
 */
public final class LogHealthReader implements DeltaLogReader {

    private static final Logger LOG = LoggerFactory.getLogger(LogHealthReader.class);

    private final LogStorage storage;
    private final Clock clock;
    /** The libraries that read through Hadoop themselves: null on storage that is not Hadoop's. */
    private final SnapshotLibrary standalone;
    private final SnapshotLibrary kernel;
    private final ProjectedSnapshots projected;

    private final boolean warmUp;
    private final CatalogCommits catalogCommits;
    private final java.util.Set<String> warmed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The read threads of all this reader's audits, closed with it. */
    private final ReadExecutor reads;
    /** Told of each audit's store as it opens: tests read its counters. */
    java.util.function.Consumer<LogStore> storeOpened = store -> { };

    /** @param storage where the tables are read from: every audit opens its store there (see {@link LogStorage}) */
    public LogHealthReader(LogStorage storage, Clock clock) {
        this(storage, clock, false);
    }

    /**
     * @param warmUp build one untimed snapshot with each library before its first timed one in this process, so
     *               that class loading and JIT warm-up are not counted as log-read latency. For long-lived processes
     *               that compare latencies (maintain's before/after, the daemon); a one-shot audit reports the cold
     *               process as a user experiences it.
     */
    public LogHealthReader(LogStorage storage, Clock clock, boolean warmUp) {
        this(storage, clock, warmUp, CatalogCommits.NONE);
    }

    /**
     * @param catalogCommits asked, for a catalog-managed table only, for the commits its catalog ratified: the table is
     *                       then read as of the catalog's latest version instead of the newest published one
     */
    public LogHealthReader(LogStorage storage, Clock clock, boolean warmUp, CatalogCommits catalogCommits) {
        this.catalogCommits = Objects.requireNonNull(catalogCommits, "catalogCommits");
        this.warmUp = warmUp;
        this.storage = Objects.requireNonNull(storage, "storage");
        this.clock = Objects.requireNonNull(clock, "clock");
        HadoopStorage hadoop = storage instanceof HadoopStorage h ? h : null;
        this.standalone = hadoop == null ? null : new StandaloneSnapshots(hadoop);
        this.kernel = hadoop == null ? null : new KernelSnapshots(hadoop);
        this.projected = new ProjectedSnapshots();
        this.reads = new ReadExecutor();
    }

    /** The engine its audits read through; an {@link IncrementalLogReader} shares it with the full reader it wraps. */
    ReadExecutor reads() {
        return reads;
    }

    /** Stops the read threads: audits in flight fail. */
    @Override
    public void close() {
        reads.close();
    }

    @Override
    public io.deltaagent.deltalog.history.CommitInfoReader commitInfo() {
        return new io.deltaagent.deltalog.history.CommitInfoReader(storage);
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public TableHealth read(TableLocation table, ReadThresholds settings) {
        return readFull(table, settings, false).health();
    }

    /**
     * A full read, and what it learned on the way for re-audits that apply only later commits.
     *
     * @param capture null unless asked for and the projected reader read the table
     */
    record FullRead(TableHealth health, LogInspection log, BaselineCapture capture) {
    }

    /** @param capture keep what a re-audit starts from (the projected reader only; null in the result otherwise) */
    FullRead readFull(TableLocation table, ReadThresholds settings, boolean capture) {
        long auditStart = System.nanoTime();
        try {
            String logDir = storage.logDir(table);
            if (warmUp && warmed.add("log")) {
                try (LogStore warm = storage.open(table, reads)) { // the listing is part of the projected reader's snapshot
                    LogInspection.inspect(logDir, table, settings.historyDepth(), warm, false,
                            java.util.function.UnaryOperator.identity()).replay().tombstones(); // the whole sparse pass
                }
            }
            // JVM-wide: tells a reader counted on the FileSystem's own statistics whether others ran beside it
            RequestCounters.Read counted = RequestCounters.beginRead();
            try (LogStore store = storage.open(table, reads)) {
                storeOpened.accept(store);
                Fallback fallback = new Fallback(store.clientCounters(), counted);
                return readFull(table, settings, capture, logDir, store, fallback, auditStart);
            } finally {
                counted.close();
            }
        } catch (Exception e) {
            throw ReadFailures.classify(table.display(), e);
        }
    }

    private FullRead readFull(TableLocation table, ReadThresholds settings, boolean capture, String logDir, LogStore store,
                              Fallback fallback, long auditStart) {
        try {
            long inspectStart = System.nanoTime();
            LogInspection published = LogInspection.inspect(logDir, table, settings.historyDepth(), store, capture,
                    java.util.function.UnaryOperator.identity());
            CatalogRead catalogRead = asOfCatalog(table, logDir, store, capture, settings, published);
            LogInspection log = catalogRead.log();
            long inspected = System.nanoTime();
            ProtocolInfo protocol = log.protocol();
            SnapshotLibrary library = pick(table, protocol, settings.library());
            BaselineCapture baseline = capture && library == projected ? new BaselineCapture() : null;
            if (warmUp && warmed.add(library.name())) {
                library.measure(table, settings, log);
            }
            // the tombstones and the history need no snapshot: they are read beside it, on the second core or while
            // the snapshot waits for storage
            Instant now = clock.instant();
            // beside the read pool: it waits on the history's reads, and must not hold a read thread while they queue
            // the history first: the tombstones wait for the checkpoint's sparse pass, which runs beside the snapshot too
            Future<Background> background = reads.beside().submit(() -> {
                long t0 = System.nanoTime();
                WriterActivity activity = HistoryReader.read(store, log.listing().commits(), settings.historyDepth(), now,
                        log.summaries());
                long t1 = System.nanoTime();
                LogReplay.Removes removes = log.replay().tombstones(baseline);
                return new Background(removes, activity, (System.nanoTime() - t1) / 1_000_000, (t1 - t0) / 1_000_000);
            });
            SnapshotFacts facts;
            long measureStart = System.nanoTime();
            try {
                facts = baseline != null ? projected.measure(table, settings, log, baseline)
                        : library.measure(table, settings, log);
            } catch (Exception e) {
                background.cancel(true);
                throw e;
            }
            long measured = System.nanoTime();
            Background side = join(background);
            WriterActivity activity = side.activity();
            LOG.debug("{}: log inspection {} ms, {} measure {} ms; beside it: tombstones {} ms, history of {} commits {} ms",
                    table.display(), (inspected - inspectStart) / 1_000_000, library.name(),
                    (measured - measureStart) / 1_000_000, side.tombstoneMillis(), activity.commitsRead(), side.historyMillis());
            LogStats logStats = log.logStats(side.removes().sidecars());
            TableIdentity identity = new TableIdentity(table.path().toString(), facts.tableId(), facts.version(),
                    protocol.minReaderVersion(), protocol.minWriterVersion(), protocol.readerFeatures(),
                    protocol.writerFeatures(), facts.partitionColumns(), maintenanceProperties(facts.properties()),
                    log.clusteringColumns(), catalogRead.managed(protocol, facts.version(), logStats.stagedCommitFiles()));
            // issue 26: the figures against the checksum file of the version read, when the listing holds one
            // (the projected reader's checksum-proven read already read it: the same read, no second GET)
            io.deltaagent.deltalog.checksum.ChecksumCheck checksum = log.checksums().check(identity, facts.files(),
                    facts.deletionVectors());
            long auditMillis = (System.nanoTime() - auditStart) / 1_000_000;
            ReadCost cost = new ReadCost(facts.snapshotMillis(), facts.scanMillis(), auditMillis,
                    facts.snapshotRequests().list(), facts.snapshotRequests().get(), facts.snapshotRequests().head(),
                    facts.snapshotRequests().source(), facts.libraryLoadMillis(), facts.mode(), facts.fullReason(),
                    library == projected ? auditRequests(store) : fallback.requests(store));
            LOG.info("{}: version {}, {} files, {} small, reader {}, snapshot {} ms, scan {} ms", table.display(),
                    facts.version(), facts.files().activeFiles(), facts.files().smallFiles(), library.name(),
                    facts.snapshotMillis(), facts.scanMillis());
            TableHealth health = new TableHealth(table.display(), library.name(), clock.instant(), identity, facts.files(),
                    logStats, cost, activity,
                    vacuumable(side.removes(), settings.rules().vacuumRetention(facts.properties()), activity, now),
                    facts.deletionVectors(), checksum);
            return new FullRead(health, log, baseline);
        } catch (Exception e) {
            throw ReadFailures.classify(table.display(), e);
        }
    }

    /**
     * A catalog-managed table whose catalog lists its ratified commits is read again as of the catalog's latest version
     * (a second listing and replay, paid only by such tables); a catalog that does not answer leaves the published read,
     * with a note saying so: the table is never failed for its catalog.
     */
    private CatalogRead asOfCatalog(TableLocation table, String logDir, LogStore store, boolean capture,
                                    ReadThresholds settings, LogInspection published)
            throws IOException {
        if (CatalogManagedRead.feature(published.protocol()) == null) {
            return new CatalogRead(published, null, null);
        }
        CatalogCommits.Answer answer = catalogCommits.ask(table).orElse(null);
        if (answer == null) {
            return new CatalogRead(published, null, null);
        }
        String fallback = "figures as of the newest published version";
        if (answer.commits() == null) {
            String note = "catalog " + answer.catalog() + " gave no ratified commits (" + answer.unavailable() + "): " + fallback;
            LOG.warn("{}: {}", table.display(), note);
            return new CatalogRead(published, null, note);
        }
        CatalogManagedRead.View view;
        try {
            view = CatalogManagedRead.asOfCatalog(published.listing(), answer.commits(), logDir);
        } catch (IllegalStateException e) {
            String note = "catalog " + answer.catalog() + ": " + e.getMessage() + ": " + fallback;
            LOG.warn("{}: {}", table.display(), note);
            return new CatalogRead(published, null, note);
        }
        if (published.replay().checkpointActions() != null) {
            published.replay().checkpointActions().cancel(); // replaced: its sparse pass need not read on
        }
        return new CatalogRead(LogInspection.inspect(logDir, table, settings.historyDepth(), store, capture,
                listing -> view.listing()), view, null);
    }

    /** The inspection the audit measures, and how the catalog shaped it. */
    private record CatalogRead(LogInspection log, CatalogManagedRead.View view, String note) {
        io.deltaagent.health.CatalogManaged managed(ProtocolInfo protocol, long version, long stagedCommitFiles) {
            String feature = CatalogManagedRead.feature(protocol);
            if (feature == null) {
                return null;
            }
            return view == null ? new io.deltaagent.health.CatalogManaged(feature, version, stagedCommitFiles, null, 0, note)
                    : new io.deltaagent.health.CatalogManaged(feature, view.publishedVersion(), stagedCommitFiles,
                            view.catalogVersion(), view.stagedCommitsRead(), null);
        }
    }

    /** The audit's requests when all of them went through its store: exact, its own. */
    static StorageRequests auditRequests(LogStore store) {
        return storageRequests(store.counters().requests(), false);
    }

    /**
     * The audit's requests when a library read outside the store (Delta Kernel, Standalone): the difference of the
     * FileSystem's own counters over the audit (the library's requests and the store's streams), plus what the store
     * sent through the S3 client itself, which those counters do not see. The FileSystem instance is shared: the
     * whole is marked shared when another audit of the process ran meanwhile.
     */
    private record Fallback(RequestCounters before, RequestCounters.Read counted) {
        StorageRequests requests(LogStore store) {
            if (before == null) { // a client that counts nothing: only the store's own
                return storageRequests(store.counters().requests(), false);
            }
            RequestCounters.Requests r = store.clientCounters().requestsSince(before);
            if (r.list() == null) {
                return storageRequests(store.counters().requests(), false);
            }
            return storageRequests(r.plus(store.counters().directRequests()), counted.shared());
        }
    }

    static StorageRequests storageRequests(RequestCounters.Requests r, boolean shared) {
        return new StorageRequests(r.list(), r.get(), r.head(), r.bytesRead(), r.list() == null ? null : shared);
    }

    /**
     * What VACUUM can delete now: removes older than the retention, less those the last VACUUM in the history already
     * covered (taken to have run with the same retention).
     */
    static Tombstones vacuumable(LogReplay.Removes removes, ReadThresholds.Retention retention, WriterActivity activity,
                                 Instant now) {
        Instant before = now.minus(retention.age());
        Instant covered = activity.lastVacuum() == null ? null : activity.lastVacuum().timestamp().minus(retention.age());
        long[] counts = removes.ages().between(covered == null ? null : covered.toEpochMilli(), before.toEpochMilli());
        return removes.tombstones().withVacuumable(counts[0], counts[1], retention.shown(), before, covered);
    }

    private record Background(LogReplay.Removes removes, WriterActivity activity, long tombstoneMillis, long historyMillis) {
    }

    private static Background join(Future<Background> background) throws Exception {
        try {
            return background.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            background.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private SnapshotLibrary pick(TableLocation table, ProtocolInfo protocol, ReadThresholds.Library choice) {
        SnapshotLibrary wanted = switch (choice) {
            case STANDALONE -> standalone;
            case KERNEL -> kernel;
            case PROJECTED -> projected;
            // measured at 1.2M files: the projected read needs a fraction of the libraries' time and memory (see docs/BENCHMARKS.md)
            case AUTO -> canRead(projected, protocol) ? projected : kernel;
        };
        if (wanted == null) {
            // Kernel's default engine and Standalone read through Hadoop themselves: there is no other way to give them storage
            throw new TableReadException(table.display(), Kind.UNSUPPORTED_PROTOCOL, (choice == ReadThresholds.Library.STANDALONE
                    ? "Delta Standalone" : "Delta Kernel") + " reads Hadoop storage only, and this reader's storage is "
                    + storage.getClass().getSimpleName() + "; the table needs " + protocol.describe());
        }
        if (!canRead(wanted, protocol)) {
            String hint = wanted == standalone
                    ? "Delta Standalone reads reader version 1 only (column mapping needs 2; deletion vectors, v2 checkpoints "
                            + "and timestampNtz need 3): use --reader kernel or auto"
                    : (wanted == kernel ? "Delta Kernel" : "the projected reader") + " reads reader versions up to "
                            + wanted.maxReaderVersion() + " with the features " + new TreeSet<>(wanted.readerFeatures())
                            + unknownFeatures(wanted, protocol);
            throw new TableReadException(table.display(), Kind.UNSUPPORTED_PROTOCOL,
                    "unsupported protocol: the table needs " + protocol.describe() + "; " + hint);
        }
        return wanted;
    }

    private static String unknownFeatures(SnapshotLibrary library, ProtocolInfo protocol) {
        List<String> unknown = protocol.readerFeatures().stream().filter(f -> !library.readerFeatures().contains(f)).toList();
        return unknown.isEmpty() ? "" : "; it does not know " + unknown + " and refuses to guess what it changes";
    }

    private static boolean canRead(SnapshotLibrary library, ProtocolInfo protocol) {
        return protocol.minReaderVersion() <= library.maxReaderVersion()
                && library.readerFeatures().containsAll(protocol.readerFeatures());
    }

    /** The table properties that matter for maintenance. */
    static Map<String, String> maintenanceProperties(Map<String, String> properties) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.equals("delta.checkpointInterval") || k.equals("delta.logRetentionDuration")
                    || k.equals("delta.deletedFileRetentionDuration") || k.equals("delta.checkpointRetentionDuration")
                    || k.equals("delta.targetFileSize") || k.startsWith("delta.autoOptimize.")
                    || k.equals("delta.enableExpiredLogCleanup") || k.equals("delta.checkpointPolicy")
                    || k.equals("delta.enableDeletionVectors") || k.equals("delta.columnMapping.mode")) {
                out.put(k, v);
            }
        });
        return out;
    }
}
