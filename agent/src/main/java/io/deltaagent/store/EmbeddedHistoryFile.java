package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Checks an embedded history file before H2 opens it for writing. H2 takes an empty or truncated file for a new
 * database and writes a fresh schema over it, and a file it cannot create or write makes it print stack traces: so the
 * file is read first, read-only, and refused as it is (never modified) when it is damaged, lost runs, or cannot be
 * written by a command that writes.
 */
final class EmbeddedHistoryFile {

    /** H2's "The database is read only": read-only, it found no database in the file and would have to create one. */
    private static final int READ_ONLY = 90097;
    /** H2's file header: two blocks of 4 KiB at the start of every database file, its data in chunks after them. */
    private static final int HEADER_BLOCK = 4096;

    private final Path file;
    private final String database;

    private EmbeddedHistoryFile(Path file, String database) {
        this.file = file;
        this.database = database;
    }

    /** The check for {@code jdbcUrl}; empty unless it is an embedded file database. */
    static Optional<EmbeddedHistoryFile> of(String jdbcUrl) {
        return EmbeddedH2.file(jdbcUrl).map(f -> new EmbeddedHistoryFile(f, HistoryStore.redact(jdbcUrl)));
    }

    /**
     * Refuses a file this process cannot use: one it cannot create (its directory not writable), cannot read, or (for a
     * command that records runs, {@code writes}) cannot write. Reads nothing from the database.
     *
     * @throws DeltaAgentException naming the database, the file or directory, and the way out
     */
    void checkAccess(boolean writes) {
        if (!Files.exists(file)) {
            Path dir = file.getParent();
            while (dir != null && !Files.exists(dir)) {
                dir = dir.getParent();
            }
            if (dir != null && !(Files.isDirectory(dir) && Files.isWritable(dir))) {
                throw refused("cannot create " + file + ": " + dir + " is not a directory this process (user "
                        + user() + ") may write. Make it writable, or give --history-db a directory it may write");
            }
            return;
        }
        if (!Files.isReadable(file)) {
            throw refused("cannot read " + file + ": permission denied for user " + user() + ". Give that user read and write "
                    + "access to it");
        }
        if (writes && !Files.isWritable(file)) {
            throw refused(file + " is read-only for user " + user() + ", and this command records in it: nothing was done. "
                    + "Make it writable (chmod u+w), or give --history-db a writable copy");
        }
    }

    /**
     * Opens the file read-only (nothing in it changes) and refuses it when H2 cannot read it as a database, or when it
     * holds fewer runs than were recorded in it ({@code mark}). A file another process has open is left to the caller,
     * which waits for it; a missing file is a new database.
     *
     * @throws DeltaAgentException naming the file, what is wrong with it, that it was left as it is, and the way out
     */
    void checkIntact(String jdbcUrl, String user, String password, Optional<RunsHighWaterMark> mark) {
        if (!Files.exists(file)) {
            mark.ifPresent(m -> m.check(0, database));
            return;
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw refused("cannot read " + file + ": " + e.getMessage());
        }
        if (size == 0) {
            throw damaged("it is empty (0 bytes)");
        }
        // checked without H2: after a failed open, H2 keeps the file locked for the rest of the process
        String header = header();
        if (!header.startsWith("H:2,") && !jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains(";CIPHER=")) {
            throw damaged("it does not start with an H2 file header (" + size + " bytes)");
        }
        if (size <= 2 * HEADER_BLOCK) {
            throw damaged("it holds H2's file header and no data (" + size + " bytes; a database has at least one chunk after "
                    + "its two header blocks)");
        }
        if (inUse()) {
            return; // open for writing in another process, or in this one (a daemon's store): the open that follows waits
        }
        probe(jdbcUrl, user, password, size, mark);
    }

    private String header() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer start = ByteBuffer.allocate(4);
            channel.read(start, 0);
            return new String(start.array(), 0, start.position(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw refused("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** True while a process holds the file for writing (H2 locks it exclusively then). */
    private boolean inUse() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            throw refused("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void probe(String jdbcUrl, String user, String password, long size, Optional<RunsHighWaterMark> mark) {
        String readOnly = JdbcUrls.effective(jdbcUrl) + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE";
        try (Connection c = DriverManager.getConnection(readOnly, user, password)) {
            long maxRunId = maxRunId(c);
            mark.ifPresent(m -> m.check(maxRunId, database));
        } catch (SQLException e) {
            if (e.getErrorCode() == EmbeddedH2.WRONG_USER_OR_PASSWORD || e.getErrorCode() == EmbeddedH2.DATABASE_IN_USE) {
                return; // not the file's fault: the open that follows says the credentials are wrong, or waits
            }
            throw damaged(e.getErrorCode() == READ_ONLY
                    ? "H2 finds no database in its " + size + " bytes (it would write a new, empty one over it)"
                    : "H2 cannot read it as a database (" + size + " bytes): " + SqlErrors.message(e));
        }
    }

    private static long maxRunId(Connection c) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' AND UPPER(TABLE_NAME) = 'MAINTENANCE_RUN'");
             ResultSet rs = exists.executeQuery()) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return 0;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM maintenance_run");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private DeltaAgentException damaged(String what) {
        return refused("the file " + file + " is damaged: " + what + ". It was left as it is. Restore it from a copy; or, to "
                + "start a new history, move it away (and " + file.getFileName() + ".runs beside it, if present)");
    }

    private DeltaAgentException refused(String why) {
        return new DeltaAgentException("history database " + database + ": " + why);
    }

    private static String user() {
        return System.getProperty("user.name");
    }
}
