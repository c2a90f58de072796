package io.deltaagent.deltalog;

import io.deltaagent.deltalog.checksum.AuditedFigures;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.checksum.ChecksumCheck;
import io.deltaagent.deltalog.checksum.ChecksumComparison;
import io.deltaagent.deltalog.checksum.ChecksumFile;
import io.deltaagent.deltalog.checksum.ChecksumMismatch;
import io.deltaagent.deltalog.checksum.ChecksumRead;
import io.deltaagent.deltalog.checksum.ChecksumVerifier;
import io.deltaagent.deltalog.segment.LogObjects;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.health.DeletionVectors;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.TableIdentity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readers' one touch point with checksum files, one per audit: when the listing already holds {@code N.crc} for
 * the version read, that file is read (one GET, through the audit's store and counted on it) at most once per audit,
 * whoever asks first (the projected reader's checksum-proven shortcut, then the check of the figures). No listing or
 * request is spent looking for one.
 */
public final class ChecksumAudit {

    private final LogStore store;
    private final String logDir;
    private final List<LogObjects.LogObject> listed;
    private final String table;
    private final Map<Long, Optional<ChecksumRead>> reads = new ConcurrentHashMap<>();

    /**
     * @param logDir the qualified {@code _delta_log}
     * @param listed the objects of {@code _delta_log} the read listed (keys relative to it)
     */
    ChecksumAudit(LogStore store, String logDir, List<LogObjects.LogObject> listed, String table) {
        this.store = store;
        this.logDir = logDir;
        this.listed = listed;
        this.table = table;
    }

    /** The checksum file of {@code version} as listed, or null: never a request. */
    private LogObjects.LogObject listed(long version) {
        String name = ChecksumFile.name(version);
        return listed.stream().filter(o -> o.key().equals(name)).findFirst().orElse(null);
    }

    /** Whether the listing holds the checksum file of {@code version}. */
    boolean isListed(long version) {
        return listed(version) != null;
    }

    /** The checksum file of {@code version}, read on the first call; empty when the listing holds none. */
    Optional<ChecksumRead> read(long version) {
        return reads.computeIfAbsent(version, v -> {
            LogObjects.LogObject crc = listed(v);
            if (crc == null) {
                return Optional.empty();
            }
            String file = LogPaths.child(logDir, crc.key());
            // its length is the listing's: no HEAD before the GET
            return Optional.of(ChecksumVerifier.read(table, v, () -> store.open(file, crc.length())));
        });
    }

    /** The figures an audit read, in the checksum's terms; {@code dvs} null when the reader does not count them. */
    private static AuditedFigures figures(long version, String tableId, int minReaderVersion, int minWriterVersion,
                                          FileStats files, DeletionVectors dvs) {
        return new AuditedFigures(version, files.activeFiles(), files.totalBytes(), tableId, minReaderVersion,
                minWriterVersion, dvs == null ? null : dvs.filesWithDeletionVectors());
    }

    /**
     * Why the checksum file of {@code version} does not prove these figures (a read that skipped the checkpoint's
     * paths): null when it agrees with every figure it states, the same comparison as {@link #check}. A file counted
     * twice adds one to the file count and its size to the bytes, so an agreeing checksum rules that out.
     *
     * @throws IllegalStateException when the listing holds no checksum file of {@code version}
     */
    String disproof(long version, String tableId, ProtocolInfo protocol, FileStats files, DeletionVectors dvs) {
        ChecksumRead crc = read(version).orElseThrow(() -> new IllegalStateException("no checksum file of version "
                + version + " listed"));
        if (crc.checksum() == null) {
            return "checksum-proven read not proven: " + crc.unreadable();
        }
        List<ChecksumMismatch> mismatches = ChecksumComparison.compare(crc.checksum(),
                figures(version, tableId, protocol.minReaderVersion(), protocol.minWriterVersion(), files, dvs));
        return mismatches.isEmpty() ? null : "checksum-proven read not proven: _delta_log/" + ChecksumFile.name(version)
                + " disagrees with the figures read without add.path ("
                + String.join("; ", mismatches.stream().map(ChecksumMismatch::describe).toList()) + ")";
    }

    /**
     * @param dvs null when the reader does not count deletion vectors
     * @return the check, or null when the listing holds no checksum file of the identity's version
     */
    ChecksumCheck check(TableIdentity identity, FileStats files, DeletionVectors dvs) {
        return read(identity.version()).map(crc -> ChecksumVerifier.verify(table, crc, figures(identity.version(),
                identity.tableId(), identity.minReaderVersion(), identity.minWriterVersion(), files, dvs))).orElse(null);
    }

    /** A one-off check (a re-audit's newest version): {@link #check} through an audit of its own. */
    static ChecksumCheck check(LogStore store, String logDir, List<LogObjects.LogObject> listed, String table,
                               TableIdentity identity, FileStats files, DeletionVectors dvs) {
        return new ChecksumAudit(store, logDir, listed, table).check(identity, files, dvs);
    }
}
