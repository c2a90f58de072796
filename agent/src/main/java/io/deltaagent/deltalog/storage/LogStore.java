package io.deltaagent.deltalog.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import org.apache.parquet.io.InputFile;

/**
 * The one way the log readers reach storage for the objects of {@code _delta_log} (after Delta Kernel's
 * {@code FileSystemClient}): listings, whole reads, range reads and Parquet inputs, each counted on this store. One store serves
 * one audit: its {@link #counters()} are that audit's, and its {@link #executor()} bounds the audit's parallel reads.
 * Paths are the objects' full URIs as the listing gave them; lengths travel with the listing (negative: not known).
 *
 * <p>Closing the store stops its executor; reads in flight fail.
 */
public interface LogStore extends AutoCloseable {

    /**
     * Opens an object to be read whole.
     *
     * @throws java.io.FileNotFoundException when it does not exist (on object stores possibly only at the first read)
     */
    InputStream open(String path, long length) throws IOException;

    /**
     * The whole of a small object, or empty when it does not exist: on object stores one GET, with no HEAD before it.
     */
    java.util.Optional<byte[]> readIfExists(String path) throws IOException;

    /**
     * Up to {@code length} bytes from {@code offset}: fewer only where the object ends. One ranged request on object
     * stores; a range read of a commit's head costs a fraction of the whole commit.
     *
     * @param objectLength the object's length as listed, negative when not known
     */
    byte[] readRange(String path, long objectLength, long offset, int length) throws IOException;

    /**
     * The objects below {@code dir} (recursively), in key order, keys relative to it.
     *
     * @param startAfter only keys after this one; null for all
     * @param versionHint a version the log is known to reach ({@code _last_checkpoint}'s), or -1: an object store may
     *                    then list a long log in ranges at once, on this store's executor
     * @return empty when the directory holds nothing or does not exist (object stores cannot tell)
     * @throws java.io.FileNotFoundException when a directory of a file system does not exist
     */
    java.util.List<ListedObject> list(String dir, String startAfter, long versionHint) throws IOException;

    /** A Parquet input for the object: each stream it opens is counted as an open of the object. */
    InputFile parquet(String path, long length) throws IOException;

    /**
     * Whether a path exists (a file or a directory); the same and {@link #isFile} are asked only on the way to an error
     * (a table that is not there, a {@code _delta_log} that is a file), never on a healthy table's path: not counted.
     */
    boolean exists(String path) throws IOException;

    /** Whether a path is a file; false when it is missing, a directory, or cannot be asked. Not counted (see {@link #exists}). */
    boolean isFile(String path);

    /**
     * Whether a version hint makes this store's listing of a long log faster ({@link #list}: an object store lists in
     * ranges at once): the readers then read {@code _last_checkpoint} before the listing rather than after it.
     */
    default boolean listsInRanges() {
        return false;
    }

    /**
     * The storage client's own request counters, shared by everything that reads through the same client (this store's
     * streams, and a library reading outside the store, such as Delta Kernel or Standalone): how such a library's
     * requests are counted. Null where the client counts none.
     */
    default io.deltaagent.storage.RequestCounters clientCounters() {
        return null;
    }

    /** What this store has read so far. */
    ReadCounters counters();

    /** The bounded executor for this audit's parallel reads: submit leaf reads only (a task must not wait on another). */
    ExecutorService executor();

    @Override
    void close();
}
