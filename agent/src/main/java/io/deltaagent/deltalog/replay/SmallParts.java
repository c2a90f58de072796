package io.deltaagent.deltalog.replay;

import io.deltaagent.deltalog.actions.InMemoryInputFile;
import io.deltaagent.deltalog.actions.ParquetObject;
import io.deltaagent.deltalog.storage.LogStore;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small checkpoint parts and sidecars (Parquet, or a v2 checkpoint's JSON top-level file) fetched whole in one request, read from memory by both of the audit's passes
 * (sparse actions, then file actions) and dropped when both are done. A ranged Parquet read of a part costs about four
 * sequential requests per pass (footer length, footer, then the projected column chunks); on an object store at 20 ms
 * that is most of a small table's audit, and for a part of a few MiB one whole GET costs less than those round trips.
 * Larger parts, parts of unknown length and parts past the audit's budget keep ranged reads, which fetch only the
 * projected columns.
 */
final class SmallParts {

    /** The two passes over a checkpoint's Parquet objects. */
    enum Pass { SPARSE, FILES }

    /**
     * Largest object fetched whole: 8 MiB is about 70,000 add rows of a Spark-written checkpoint, a 20 ms round trip
     * moves several MiB on a cloud network, and its projected columns are most of its bytes anyway.
     */
    static final long MAX_OBJECT_BYTES = 8L << 20;

    /** Bytes held at once per audit: eight audits at once then hold at most 64 MiB, however many parts a checkpoint has. */
    static final long BUDGET_BYTES = 8L << 20;

    private final LogStore store;
    private final long maxObjectBytes;
    private final long budgetBytes;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private long reserved;

    SmallParts(LogStore store, long maxObjectBytes, long budgetBytes) {
        this.store = store;
        this.maxObjectBytes = maxObjectBytes;
        this.budgetBytes = budgetBytes;
    }

    /** One object's bytes while a pass has yet to read them; {@code done} holds the passes that have. */
    private static final class Held {
        byte[] bytes;
        boolean released;
        final EnumSet<Pass> done = EnumSet.noneOf(Pass.class);
    }

    /**
     * Where {@code pass} reads a Parquet object from: its bytes (fetched on the first pass that asks), or the store's
     * ranged input. Call {@link #done} when the pass has read it.
     *
     * @param length the object's length as listed (negative: not known, so read ranged)
     */
    ParquetObject object(String path, long length, Pass pass) {
        return () -> {
            byte[] bytes = bytes(path, length, pass);
            return bytes != null ? new InMemoryInputFile(bytes, path) : store.parquet(path, length);
        };
    }

    /** The same for a JSON object (a v2 checkpoint's top-level file), read whole either way. */
    InputStream open(String path, long length, Pass pass) throws IOException {
        byte[] bytes = bytes(path, length, pass);
        return bytes != null ? new ByteArrayInputStream(bytes) : store.open(path, length);
    }

    /** The object's bytes, fetched on the first pass that asks; null when it is read from the store instead. */
    private byte[] bytes(String path, long length, Pass pass) throws IOException {
        if (length < 0 || length > maxObjectBytes) {
            return null;
        }
        Held h = held.computeIfAbsent(path, p -> new Held());
        synchronized (h) {
            if (h.bytes == null && !h.released && !h.done.contains(pass) && reserve(length)) {
                byte[] read = store.readRange(path, length, 0, (int) length);
                if (read.length != length) {
                    release(length);
                    throw new EOFException(path + " is " + read.length + " bytes long, not the " + length
                            + " bytes listed (rewritten while it was read?)");
                }
                h.bytes = read;
            }
            return h.bytes;
        }
    }

    /** {@code pass} has read the object: once both passes have, its bytes are dropped. */
    void done(String path, Pass pass) {
        Held h = held.get(path);
        if (h == null) {
            return;
        }
        synchronized (h) {
            h.done.add(pass);
            if (h.done.size() == Pass.values().length && h.bytes != null) {
                release(h.bytes.length);
                h.bytes = null;
                h.released = true;
            }
        }
    }

    private synchronized boolean reserve(long length) {
        if (reserved + length > budgetBytes) {
            return false;
        }
        reserved += length;
        return true;
    }

    private synchronized void release(long length) {
        reserved -= length;
    }
}
