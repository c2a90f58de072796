package io.deltaagent.health;

import java.time.Instant;
import java.util.Objects;

/** Everything one audit measured about one table. */
public record TableHealth(
        String table,
        String reader,
        Instant measuredAt,
        TableIdentity identity,
        FileStats files,
        LogStats log,
        ReadCost readCost,
        WriterActivity activity,
        Tombstones tombstones) {

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
