package io.deltaagent.deltalog;

import io.deltaagent.deltalog.checksum.AuditedFigures;
import io.deltaagent.deltalog.checksum.ChecksumCheck;
import io.deltaagent.deltalog.checksum.ChecksumFile;
import io.deltaagent.deltalog.checksum.ChecksumVerifier;
import io.deltaagent.deltalog.segment.LogObjects;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.health.DeletionVectors;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.TableIdentity;
import java.util.List;

/**
 * The readers' one touch point with checksum files: when the listing already holds {@code N.crc} for the version just
 * read, that file is read (one GET, through the audit's store and counted on it) and compared with the figures. No listing or request is spent looking for one.
 */
final class ChecksumAudit {

    private ChecksumAudit() {
    }

    /**
     * @param listed the objects of {@code _delta_log} the read listed (keys relative to it)
     * @param dvs    null when the reader does not count deletion vectors
     * @return the check, or null when the listing holds no checksum file of the identity's version
     */
    static ChecksumCheck check(LogStore store, String logDir, List<LogObjects.LogObject> listed, String table,
                               TableIdentity identity, FileStats files, DeletionVectors dvs) {
        String name = ChecksumFile.name(identity.version());
        LogObjects.LogObject listedCrc = listed.stream().filter(o -> o.key().equals(name)).findFirst().orElse(null);
        if (listedCrc == null) {
            return null;
        }
        AuditedFigures figures = new AuditedFigures(identity.version(), files.activeFiles(), files.totalBytes(),
                identity.tableId(), identity.minReaderVersion(), identity.minWriterVersion(),
                dvs == null ? null : dvs.filesWithDeletionVectors());
        String file = LogPaths.child(logDir, name);
        // its length is the listing's: no HEAD before the GET
        return ChecksumVerifier.verify(table, figures, () -> store.open(file, listedCrc.length()));
    }
}
