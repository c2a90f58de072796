package io.deltaagent.deltalog;

import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.LocalAccess;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.history.CommitSummary;
import io.deltaagent.deltalog.replay.CheckpointActions;
import io.deltaagent.deltalog.replay.ClusteringColumns;
import io.deltaagent.deltalog.replay.LogReplay;
import io.deltaagent.deltalog.replay.RecentFiles;
import io.deltaagent.deltalog.segment.Checkpoint;
import io.deltaagent.deltalog.segment.LastCheckpointHint;
import io.deltaagent.deltalog.segment.LogCompactions;
import io.deltaagent.deltalog.segment.LogFile;
import io.deltaagent.deltalog.segment.LogListing;
import io.deltaagent.deltalog.segment.LogObjects;
import io.deltaagent.deltalog.segment.LogSegment;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.error.TableReadException;
import io.deltaagent.error.TableReadException.Kind;
import io.deltaagent.health.LogStats;
import io.deltaagent.storage.RequestCounters;
import io.deltaagent.storage.TableLocation;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What every reader learns from {@code _delta_log} itself, whatever library builds the snapshot: the listing, the
 * segment a reader replays and its commits after the checkpoint (read once, with what that cost), the protocol and,
 * on demand, the tombstones and the checksum file of the version read ({@code checksums}: read at most once).
 */
public record LogInspection(LogListing listing, SegmentCost segmentCost, Optional<LastCheckpointHint> hint,
                            LogSegment segment, RecentFiles recent, LogReplay replay,
                            java.util.Map<Long, CommitSummary> summaries, LogStore store, ChecksumAudit checksums) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogInspection.class);

    /**
     * The time and storage requests of listing {@code _delta_log} and reading the commits after the checkpoint:
     * part of every cold snapshot. The requests are the audit's store's (null counts where it counts none).
     */
    public record SegmentCost(long millis, RequestCounters.Requests requests) {
    }

    /**
     * @param logDir the table's {@code _delta_log} as the store names it ({@link io.deltaagent.deltalog.storage.LogStorage#logDir})
     * @param historyDepth the newest commits the history reads (their commitInfo): a log compaction file replaces only
     *                     commits older than those, so it saves requests and never adds any
     * @param store what the log is listed and read through, and counted on (the audit's)
     * @param keepTombstoneKeys keep the keys of the checkpoint's removes, for a re-audit's baseline
     * @param view what of the listing is read (a catalog-managed table as of its catalog's version), the whole by default
     */
    static LogInspection inspect(String logDir, TableLocation table, int historyDepth, LogStore store,
                                 boolean keepTombstoneKeys, java.util.function.UnaryOperator<LogListing> view)
            throws IOException {
        LocalAccess.requireReadable(table);
        RequestCounters.Requests before = store.counters().requests();
        long t0 = System.nanoTime();
        // on S3 the hint comes first: the version it names lets a long log be listed in ranges at once
        Optional<LastCheckpointHint> early = store.listsInRanges()
                ? LastCheckpointHint.readFirst(store, logDir) : Optional.empty();
        LogListing listing = view.apply(listLog(logDir, table, early.map(LastCheckpointHint::version).orElse(-1L), store));
        long listed = System.nanoTime();
        LogSegment segment = LogSegment.latest(listing);
        // elsewhere the listing already says whether _last_checkpoint exists: no GET for a file that is not there
        Optional<LastCheckpointHint> hint = !listing.hasLastCheckpointHint() ? Optional.empty()
                : early.isPresent() ? early
                : LastCheckpointHint.read(store, logDir, listing.entries().stream()
                        .filter(o -> o.key().equals(LogListing.LAST_CHECKPOINT)).mapToLong(LogObjects.LogObject::length)
                        .findFirst().orElse(-1));
        Long newest = segment.checkpoint() == null ? null : segment.checkpoint().version();
        if (hint.isPresent() && listing.checkpointAt(hint.get().version()).isEmpty() && newest != null
                && newest > hint.get().version()) {
            // a stale hint: Delta lists from the hinted version and finds the newer checkpoint, and so does the agent
            LOG.warn("{}: _delta_log/_last_checkpoint names checkpoint {}, which is missing; the newer checkpoint {} is "
                    + "read instead, as Delta does (the next checkpoint rewrites the hint)", table.display(),
                    hint.get().version(), newest);
        } else if (hint.isPresent() && listing.checkpointAt(hint.get().version()).isEmpty()) {
            long v = hint.get().version();
            String older = listing.latestCheckpointAtOrBelow(v).map(c -> "checkpoint " + c.version()).orElse("version 0");
            throw new CorruptLogException("_delta_log/_last_checkpoint names checkpoint " + v + ", whose file(s) are missing "
                    + "or incomplete; Delta Spark would replay from " + older + " instead, Delta Standalone refuses. "
                    + "Fix: write a new checkpoint (delta-agent's checkpoint job) or delete _last_checkpoint");
        }
        java.util.Map<Long, CommitSummary> summaries = new java.util.concurrent.ConcurrentHashMap<>();
        long historyFloor = listing.latestCommitVersion() - historyDepth + 1;
        RecentFiles recent = RecentFiles.read(store, segment, LogCompactions.in(logDir,
                listing.entries()).stream().filter(c -> c.file().version() < historyFloor).toList(), summaries);
        SegmentCost cost = new SegmentCost((System.nanoTime() - t0) / 1_000_000, store.counters().requests().minus(before));
        long read = System.nanoTime();
        CheckpointActions checkpoint = segment.checkpoint() == null ? null : new CheckpointActions(store,
                segment.checkpoint(), recent, checkpointLengths(logDir, listing), keepTombstoneKeys);
        if (checkpoint != null) {
            checkpoint.start(); // on the audit's executor: the file-action pass needs only its protocol and metaData
        }
        LogReplay replay = LogReplay.start(segment, recent, checkpoint);
        LOG.debug("{}: listing {} ms ({} objects), hint and {} commits after the checkpoint {} ms, protocol {} ms (the "
                        + "checkpoint's sparse pass reads on beside the snapshot)",
                table.display(), (listed - t0) / 1_000_000, listing.objects(), segment.commitsSinceCheckpoint(),
                (read - listed) / 1_000_000, (System.nanoTime() - read) / 1_000_000);
        return new LogInspection(listing, cost, hint, segment, recent, replay, summaries, store,
                new ChecksumAudit(store, logDir, listing.entries(), table.display()));
    }

    /** The listed lengths of checkpoint parts and sidecars, by full path: their reads then ask the store nothing more. */
    private static java.util.Map<String, Long> checkpointLengths(String logDir, LogListing listing) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (LogObjects.LogObject o : listing.entries()) {
            if (o.key().startsWith("_sidecars/") || LogFile.parse(o.key()).map(LogFile::isCheckpoint).orElse(false)) {
                out.put(LogPaths.child(logDir, o.key()), o.length());
            }
        }
        return out;
    }

    /**
     * Lists the log first and asks what exists only when it holds nothing: on object stores every existence check costs
     * a HEAD and a LIST request, which the audit of a healthy table need not pay.
     */
    private static LogListing listLog(String logDir, TableLocation table, long versionHint, LogStore store)
            throws IOException {
        LogListing listing;
        String tableDir = table.path().toString();
        try {
            listing = LogListing.list(store, logDir, versionHint);
        } catch (java.io.FileNotFoundException e) {
            listing = null;
        } catch (IOException e) {
            // Hadoop's local file system fails to list a file (object stores list nothing under it: see below); asked
            // only there, so a stalled object store is not asked once more
            if ("file".equals(table.path().toUri().getScheme()) && store.isFile(logDir)) {
                throw logIsAFile(table);
            }
            throw e;
        }
        if (listing == null || (listing.commits().isEmpty() && listing.checkpoints().isEmpty())) {
            // only on the way to an error: one more request on object stores, never on a healthy table's path
            if (!store.exists(tableDir)) {
                throw new TableReadException(table.display(), Kind.NOT_FOUND, "path does not exist");
            }
            if (store.isFile(tableDir)) {
                throw new TableReadException(table.display(), Kind.NOT_A_DELTA_TABLE, "not a directory: " + table.path()
                        + " is a file; a table path names the table's directory, the one holding _delta_log");
            }
            if (store.isFile(logDir)) {
                throw logIsAFile(table);
            }
            if (listing == null || !store.exists(logDir)) {
                throw new TableReadException(table.display(), Kind.NOT_A_DELTA_TABLE,
                        "not a Delta table: no _delta_log directory under " + table.path());
            }
            throw new TableReadException(table.display(), Kind.NOT_A_DELTA_TABLE,
                    "not a Delta table: _delta_log holds no commit or checkpoint");
        }
        return listing;
    }

    private static TableReadException logIsAFile(TableLocation table) {
        return new TableReadException(table.display(), Kind.NOT_A_DELTA_TABLE, "not a Delta table: its _delta_log is a file, not the "
                + "directory of commits and checkpoints");
    }

    public ProtocolInfo protocol() {
        return replay.protocol();
    }

    /** The liquid clustering columns; empty for a table that is not clustered (read only for one that is). */
    public List<String> clusteringColumns() throws IOException {
        return ClusteringColumns.read(segment, recent, protocol(), replay.checkpointActions());
    }

    /** @param sidecars the sidecar files of a v2 checkpoint, as {@link LogReplay#tombstones()} found them */
    public LogStats logStats(int sidecars) {
        Checkpoint cp = segment.checkpoint();
        long checkpointFiles = listing.checkpoints().stream().mapToLong(Checkpoint::parts).sum();
        return new LogStats(
                cp == null ? null : cp.version(),
                cp == null ? 0 : cp.bytes(),
                cp == null ? 0 : cp.parts(),
                sidecars,
                cp == null ? null : cp.modified(),
                hint.map(LastCheckpointHint::version).orElse(null),
                segment.commitsSinceCheckpoint(),
                listing.commits().size(),
                checkpointFiles,
                listing.commits().isEmpty() ? -1 : listing.commits().get(0).version(),
                listing.objects(),
                listing.bytes(),
                LogListing.compactionFiles(listing.entries()),
                LogListing.stagedCommitFiles(listing.entries()));
    }
}
