package io.deltaagent.health;

import io.deltaagent.deltalog.checksum.ChecksumCheck;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything one audit measured about one table.
 *
 * @param reader the library that built the snapshot: {@code standalone} or {@code kernel}
 * @param deletionVectors null when the reader does not report them (Delta Standalone)
 * @param checksum how the figures compared with the table's checksum file ({@code _delta_log/N.crc}) of the same
 *                 version; null when there is none at that version
 */
public record TableHealth(
        String table,
        String reader,
        Instant measuredAt,
        TableIdentity identity,
        FileStats files,
        LogStats log,
        ReadCost readCost,
        WriterActivity activity,
        Tombstones tombstones,
        DeletionVectors deletionVectors,
        ChecksumCheck checksum) {

    public TableHealth {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(readCost, "readCost");
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(tombstones, "tombstones");
    }

    public TableHealth withChecksum(ChecksumCheck check) {
        return new TableHealth(table, reader, measuredAt, identity, files, log, readCost, activity, tombstones,
                deletionVectors, check);
    }
}
