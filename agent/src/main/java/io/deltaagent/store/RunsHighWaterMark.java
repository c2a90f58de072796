package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The highest run id an embedded history database has recorded, kept beside its file ({@code history.mv.db.runs}).
 * An H2 file that was truncated (a full disk, a partial copy) or restored from an older copy opens without complaint,
 * with the newest runs simply gone: cooldowns would then allow a job again and {@code history} would show a past that
 * is not the table's. Opening a database whose newest run is below the mark fails instead, naming both.
 */
final class RunsHighWaterMark {

    private final Path file;
    private final Path databaseFile;

    private RunsHighWaterMark(Path databaseFile) {
        this.databaseFile = databaseFile;
        this.file = databaseFile.resolveSibling(databaseFile.getFileName() + ".runs");
    }

    /** The mark of the embedded file database at {@code jdbcUrl}; empty for PostgreSQL, in-memory and server URLs. */
    static Optional<RunsHighWaterMark> of(String jdbcUrl) {
        return EmbeddedH2.file(jdbcUrl).map(RunsHighWaterMark::new);
    }

    /**
     * Fails when the database's newest run ({@code maxId}, 0 for none) is below the mark.
     *
     * @throws DeltaAgentException naming the database, both ids and what to do
     */
    void check(long maxId, String database) {
        long mark = read();
        if (maxId < mark) {
            throw new DeltaAgentException("history database " + database + " holds runs up to " + maxId + " but runs up to "
                    + mark + " were recorded in it (" + file + "): the file " + databaseFile + " was truncated or restored from an "
                    + "older copy, and the newest runs are gone. Restore it from a complete copy; or, to go on with what it "
                    + "holds, delete " + file + " (cooldowns then no longer know about the lost runs)");
        }
    }

    /** Raises the mark to {@code id} (never lowers it). Written atomically; a failure to write is not the run's failure. */
    synchronized void raise(long id) {
        if (id <= read()) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(id) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(RunsHighWaterMark.class).warn("cannot update {}: {}", file, e.getMessage());
        }
    }

    /** The mark, 0 when none was written. */
    long read() {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
