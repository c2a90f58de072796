package io.deltaagent.deltalog.actions;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;

/**
 * The projected column chunks of a large Parquet log object, fetched as ranges in parallel on the audit's executor
 * while Parquet decodes: a large checkpoint's add columns sit in one row group (Spark writes 1.39 million adds of the
 * 138 MB seed checkpoint in one), so the parallelism comes from the ranges, not from row groups. One sequential stream
 * of a 48 MB {@code add.path} chunk is one request at a time; pieces of {@link #PIECE_BYTES} keep several in flight.
 */
public final class ParallelRanges {

    /** Reads one range of the object; each call is one request on an object store. */
    @FunctionalInterface
    public interface RangeReader {
        byte[] read(long offset, int length) throws IOException;
    }

    /** A piece: small enough that several are in flight, large enough that the request's latency is a small share. */
    static final int PIECE_BYTES = 4 << 20;

    /**
     * Pieces fetched ahead of the reader: the memory this costs beyond Parquet's own buffers (16 MiB), and half the
     * audit's {@code THREADS}, the rest left to the history's reads beside it.
     */
    static final int AHEAD = 4;

    /** Chunks closer than this are fetched as one range: a request costs more than the bytes between them. */
    private static final long MERGE_GAP = 1 << 20;

    private final RangeReader reader;
    private final ExecutorService executor;
    private final int pieceBytes;

    /** @param executor runs the range reads: leaf tasks, which wait on nothing */
    public ParallelRanges(RangeReader reader, ExecutorService executor) {
        this(reader, executor, PIECE_BYTES);
    }

    ParallelRanges(RangeReader reader, ExecutorService executor, int pieceBytes) {
        this.reader = reader;
        this.executor = executor;
        this.pieceBytes = pieceBytes;
    }

    /** A stream serving the projected chunks from pieces fetched in parallel, anything else from {@code fallback}. */
    SeekableInputStream over(SeekableInputStream fallback, ParquetMetadata footer, MessageType projection) {
        Set<String> wanted = new HashSet<>();
        projection.getColumns().forEach(c -> wanted.add(String.join(".", c.getPath())));
        List<long[]> ranges = new ArrayList<>();
        for (BlockMetaData block : footer.getBlocks()) {
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                if (!wanted.contains(chunk.getPath().toDotString())) {
                    continue;
                }
                long start = chunk.getStartingPos();
                long end = start + chunk.getTotalSize();
                long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
                if (last != null && start >= last[0] && start - last[1] <= MERGE_GAP) {
                    last[1] = Math.max(last[1], end);
                } else {
                    ranges.add(new long[] {start, end});
                }
            }
        }
        TreeMap<Long, Piece> pieces = new TreeMap<>();
        for (long[] r : ranges) {
            for (long at = r[0]; at < r[1]; at += pieceBytes) {
                pieces.put(at, new Piece(at, (int) Math.min(pieceBytes, r[1] - at)));
            }
        }
        return new Stream(fallback, pieces, this);
    }

    /** A range of the object, fetched once submitted. */
    private static final class Piece {
        final long offset;
        final int length;
        Future<byte[]> bytes;

        Piece(long offset, int length) {
            this.offset = offset;
            this.length = length;
        }

        long end() {
            return offset + length;
        }
    }

    private void submit(Piece piece) {
        piece.bytes = executor.submit(() -> reader.read(piece.offset, piece.length));
    }

    private static final class Stream extends SeekableInputStream {
        private final SeekableInputStream fallback;
        private final TreeMap<Long, Piece> pieces;
        private final ParallelRanges owner;
        private long pos;

        Stream(SeekableInputStream fallback, TreeMap<Long, Piece> pieces, ParallelRanges owner) {
            this.fallback = fallback;
            this.pieces = pieces;
            this.owner = owner;
            fetchAhead();
        }

        /** Keeps {@link #AHEAD} pieces in flight or fetched, in reading order. */
        private void fetchAhead() {
            int ahead = 0;
            for (Piece p : pieces.values()) {
                if (ahead++ == AHEAD) {
                    return;
                }
                if (p.bytes == null) {
                    owner.submit(p);
                }
            }
        }

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) {
            pos = newPos;
        }

        @Override
        public void readFully(byte[] b) throws IOException {
            readFully(b, 0, b.length);
        }

        @Override
        public void readFully(byte[] b, int start, int len) throws IOException {
            readFully(ByteBuffer.wrap(b, start, len));
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            while (buf.hasRemaining()) {
                Map.Entry<Long, Piece> e = pieces.floorEntry(pos);
                Piece piece = e == null || e.getValue().end() <= pos ? null : e.getValue();
                if (piece == null) {
                    // not prefetched (the footer, a gap): from the object, up to the next piece
                    Long next = pieces.higherKey(pos);
                    int n = (int) Math.min(buf.remaining(), next == null ? Long.MAX_VALUE : next - pos);
                    ByteBuffer slice = buf.slice();
                    slice.limit(n);
                    fallback.seek(pos);
                    fallback.readFully(slice);
                    buf.position(buf.position() + n);
                    pos += n;
                    continue;
                }
                if (piece.bytes == null) {
                    owner.submit(piece); // read out of order: fetch it now
                }
                byte[] bytes = await(piece);
                int from = (int) (pos - piece.offset);
                int n = Math.min(buf.remaining(), bytes.length - from);
                if (n <= 0) {
                    throw new EOFException("range at " + piece.offset + " ended after " + bytes.length + " of "
                            + piece.length + " bytes");
                }
                buf.put(bytes, from, n);
                pos += n;
                if (pos >= piece.end()) {
                    pieces.remove(piece.offset); // read once, in order: its bytes are no longer needed
                    fetchAhead();
                }
            }
        }

        private static byte[] await(Piece piece) throws IOException {
            try {
                return piece.bytes.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a range");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException(cause);
            }
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            int n = buf.remaining();
            readFully(buf);
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            readFully(one);
            return one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            readFully(b, off, len);
            return len;
        }

        @Override
        public void close() throws IOException {
            pieces.values().forEach(p -> {
                if (p.bytes != null) {
                    p.bytes.cancel(true);
                }
            });
            pieces.clear();
            fallback.close();
        }
    }
}
