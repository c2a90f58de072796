package io.deltaagent.deltalog.checksum;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Compares a checksum file with an audit's figures of the same version: pure, no I/O. */
public final class ChecksumComparison {

    private ChecksumComparison() {
    }

    /** @return the figures that disagree, empty when they all agree */
    public static List<ChecksumMismatch> compare(VersionChecksum crc, AuditedFigures audit) {
        if (crc.version() != audit.version()) {
            throw new IllegalArgumentException("checksum of version " + crc.version() + " compared with an audit of version "
                    + audit.version());
        }
        List<ChecksumMismatch> out = new ArrayList<>();
        check(out, "numFiles", crc.numFiles(), audit.numFiles());
        check(out, "tableSizeBytes", crc.tableSizeBytes(), audit.tableSizeBytes());
        check(out, "metadata.id", crc.tableId(), audit.tableId());
        check(out, "protocol.minReaderVersion", crc.minReaderVersion(), audit.minReaderVersion());
        check(out, "protocol.minWriterVersion", crc.minWriterVersion(), audit.minWriterVersion());
        if (crc.deletionVectors() != null && audit.deletionVectors() != null) {
            check(out, "numDeletionVectorsOpt", crc.deletionVectors(), audit.deletionVectors());
        }
        if (crc.histogram() != null) {
            // the checksum's own parts must add up: a histogram that disagrees with its table's totals is itself wrong
            check(out, "fileSizeHistogram.fileCounts", crc.histogram().files(), audit.numFiles());
            check(out, "fileSizeHistogram.totalBytes", crc.histogram().bytes(), audit.tableSizeBytes());
        }
        return List.copyOf(out);
    }

    private static void check(List<ChecksumMismatch> out, String field, Object checksum, Object audit) {
        if (!Objects.equals(checksum, audit)) {
            out.add(new ChecksumMismatch(field, String.valueOf(checksum), String.valueOf(audit)));
        }
    }
}
