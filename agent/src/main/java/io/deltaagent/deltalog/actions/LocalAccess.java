package io.deltaagent.deltalog.actions;

import io.deltaagent.error.TableReadException;
import io.deltaagent.error.TableReadException.Kind;
import io.deltaagent.storage.TableLocation;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Permission problems on a local file system, told apart from missing files and from files where a directory belongs:
 * Hadoop's local file system answers "does not exist" for a path it may not look into, and "not found" for a file it
 * may not read.
 */
public final class LocalAccess {

    private LocalAccess() {
    }

    /**
     * @throws TableReadException ACCESS_DENIED when the table (or a directory above it) exists but this process may not
     *                            list it, NOT_A_DELTA_TABLE when it (or the nearest path above it that exists) is not a
     *                            directory; nothing for tables on other file systems
     */
    public static void requireReadable(TableLocation table) {
        if (!"file".equals(table.path().toUri().getScheme())) {
            return;
        }
        Path dir = Paths.get(table.path().toUri());
        Path existing = dir;
        // a path below a directory we may not search looks missing: find the nearest one that is there
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            // a file has no x bit to search: without this it read as "permission denied", which no chmod fixes
            throw new TableReadException(table.display(), Kind.NOT_A_DELTA_TABLE, "not a directory: " + existing + " is "
                    + (Files.isRegularFile(existing) ? "a regular file" : "a device or special file")
                    + "; a table path names the table's directory, the one holding _delta_log");
        }
        boolean listable = Files.isExecutable(existing) && (!existing.equals(dir) || Files.isReadable(existing));
        if (!listable) {
            throw new TableReadException(table.display(), Kind.ACCESS_DENIED, "permission denied: this process ("
                    + System.getProperty("user.name") + ") may not " + (existing.equals(dir) ? "list " : "look into ")
                    + existing + "; check its owner and mode");
        }
    }

    /** A log file this process may not read, as the storage error it is (not a missing file). */
    static AccessDeniedException denied(String file, Exception cause) {
        AccessDeniedException e = new AccessDeniedException(file, null, "permission denied: this process ("
                + System.getProperty("user.name") + ") may not read it; check its owner and mode");
        e.initCause(cause);
        return e;
    }
}
