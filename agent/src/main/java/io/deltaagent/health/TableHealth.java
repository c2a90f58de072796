package io.deltaagent.health;

import java.time.Instant;
import java.util.Objects;

/**
 * Everything one audit measured about one table.
 *
 * @param reader the library that built the snapshot: {@code standalone} or {@code kernel}
 * @param deletionVectors null when the reader does not report them (Delta Standalone)
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
        DeletionVectors deletionVectors) {

    public TableHealth {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(readCost, "readCost");
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(tombstones, "tombstones");
    }
}
