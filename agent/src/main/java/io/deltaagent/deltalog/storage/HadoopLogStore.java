package io.deltaagent.deltalog.storage;

import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.fs.s3a.S3AUtils;
import org.apache.hadoop.util.functional.FutureIO;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The {@link LogStore} over a Hadoop FileSystem (S3A, the local file system, ABFS, GCS). Objects of known length are
 * opened without asking the store for their status (on S3 a plain open is a HEAD before the GET); range reads on S3A
 * are one ranged GET through S3A's own client (its credentials, endpoint and retries).
 *
 * <p>On S3A the store counts its own requests: each GET it sends itself, each GET an S3A input stream issued (the
 * stream's {@code stream_read_opened} when it closes; a stream reopens after a seek out of its range), a HEAD where an
 * object of unknown length is opened, every LIST page, and the bytes received (a stream's bytes read and drained at
 * close). A stream never closed is not counted.
 */
public final class HadoopLogStore implements LogStore {

    private final FileSystem fs;
    private final ReadCounters counters;
    private final ExecutorService lane;
    /** The engine's pool when this store made its own (a one-off read outside a reader), closed with the store. */
    private final ReadExecutor own;

    /** A store for one audit of a reader: its parallel reads go to the reader's {@code engine}, {@link ReadExecutor#PER_AUDIT} at a time. */
    public HadoopLogStore(FileSystem fs, ReadExecutor engine) {
        this(fs, engine, null);
    }

    /** A store for a one-off read outside any reader, with read threads of its own that end with it. */
    public HadoopLogStore(FileSystem fs) {
        this(fs, null, new ReadExecutor(ReadExecutor.PER_AUDIT));
    }

    private HadoopLogStore(FileSystem fs, ReadExecutor engine, ReadExecutor own) {
        this.fs = Objects.requireNonNull(fs, "fs");
        this.own = own;
        this.counters = new ReadCounters(fs instanceof S3AFileSystem ? fs.getScheme() : null);
        this.lane = (own != null ? own : Objects.requireNonNull(engine, "engine")).lane(ReadExecutor.PER_AUDIT);
    }

    @Override
    public InputStream open(String path, long length) throws IOException {
        Path file = new Path(path);
        FSDataInputStream in;
        if (length < 0) {
            counters.headed(1); // S3A asks for the object's status before it opens it
            in = fs.open(file);
        } else {
            in = FutureIO.awaitFuture(fs.openFile(file)
                    .opt("fs.option.openfile.length", Long.toString(length))
                    .opt("fs.option.openfile.read.policy", "whole-file")
                    .build());
        }
        counters.opened(path);
        return new Counting(in, path);
    }

    @Override
    public java.util.Optional<byte[]> readIfExists(String path) throws IOException {
        byte[] bytes;
        if (fs instanceof S3AFileSystem s3a) {
            counters.opened(path);
            Path file = new Path(path);
            try {
                bytes = s3a.getS3AInternals().getAmazonS3Client("delta-agent small log object read")
                        .getObjectAsBytes(GetObjectRequest.builder().bucket(s3a.getBucket()).key(s3a.pathToKey(file))
                                .build()).asByteArray();
            } catch (NoSuchKeyException e) {
                counters.gotDirect(0);
                return java.util.Optional.empty();
            } catch (SdkException e) {
                counters.gotDirect(0);
                throw S3AUtils.translateException("get", file, e);
            }
            counters.read(path, bytes.length);
            counters.gotDirect(bytes.length);
        } else {
            try (InputStream in = open(path, -1)) {
                bytes = in.readAllBytes();
            } catch (FileNotFoundException e) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(bytes);
    }

    @Override
    public byte[] readRange(String path, long objectLength, long offset, int length) throws IOException {
        counters.opened(path);
        counters.rangeRead();
        int wanted = objectLength < 0 ? length : (int) Math.max(0, Math.min(length, objectLength - offset));
        byte[] out;
        if (fs instanceof S3AFileSystem s3a) {
            out = rangeS3(s3a, new Path(path), offset, wanted);
        } else {
            out = rangeHadoop(new Path(path), objectLength, offset, wanted);
        }
        counters.read(path, out.length);
        return out;
    }

    private byte[] rangeS3(S3AFileSystem s3a, Path file, long offset, int length) throws IOException {
        if (length == 0) {
            return new byte[0];
        }
        try {
            byte[] bytes = s3a.getS3AInternals().getAmazonS3Client("delta-agent log range read")
                    .getObjectAsBytes(GetObjectRequest.builder().bucket(s3a.getBucket()).key(s3a.pathToKey(file))
                            .range("bytes=" + offset + "-" + (offset + length - 1)).build()).asByteArray();
            counters.gotDirect(bytes.length);
            return bytes;
        } catch (NoSuchKeyException e) {
            counters.gotDirect(0);
            throw new FileNotFoundException(file + ": " + e.getMessage());
        } catch (SdkException e) {
            counters.gotDirect(0);
            throw S3AUtils.translateException("get", file, e);
        }
    }

    private byte[] rangeHadoop(Path file, long objectLength, long offset, int length) throws IOException {
        var builder = fs.openFile(file).opt("fs.option.openfile.read.policy", "random");
        if (objectLength >= 0) {
            builder.opt("fs.option.openfile.length", Long.toString(objectLength));
        }
        // not S3A (which takes the ranged GET above): the store counts no requests here
        try (FSDataInputStream in = FutureIO.awaitFuture(builder.build())) {
            byte[] buf = new byte[length];
            int got = 0;
            while (got < length) {
                int n = in.read(offset + got, buf, got, length - got);
                if (n < 0) {
                    break; // the object is shorter than asked (its length was not known)
                }
                got += n;
            }
            return got == length ? buf : Arrays.copyOf(buf, got);
        }
    }

    @Override
    public java.util.List<ListedObject> list(String dir, String startAfter, long versionHint) throws IOException {
        return HadoopListing.list(fs, new Path(dir), startAfter, versionHint, lane, counters);
    }

    @Override
    public InputFile parquet(String path, long length) throws IOException {
        Path file = new Path(path);
        FileStatus status;
        if (length >= 0) {
            status = new FileStatus(length, false, 1, 0, 0, file);
        } else {
            counters.headed(1);
            status = fs.getFileStatus(file);
        }
        return new InputFile() {
            @Override
            public long getLength() {
                return status.getLen();
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                // as Parquet's HadoopInputFile opens it, but keeping the Hadoop stream, whose statistics say its GETs
                FSDataInputStream raw = FutureIO.awaitFuture(fs.openFile(file).withFileStatus(status)
                        .opt("fs.option.openfile.read.policy", "parquet, vector, random, adaptive").build());
                counters.opened(path);
                return new CountingSeekable(HadoopStreams.wrap(raw), raw, path);
            }

            @Override
            public String toString() {
                return path;
            }
        };
    }

    @Override
    public boolean exists(String path) throws IOException {
        return fs.exists(new Path(path));
    }

    @Override
    public boolean isFile(String path) {
        try {
            return fs.getFileStatus(new Path(path)).isFile();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean listsInRanges() {
        return fs instanceof S3AFileSystem; // HadoopListing lists S3 in ranges from a version hint
    }

    @Override
    public io.deltaagent.storage.RequestCounters clientCounters() {
        return io.deltaagent.storage.RequestCounters.of(fs);
    }

    @Override
    public ReadCounters counters() {
        return counters;
    }

    @Override
    public ExecutorService executor() {
        return lane;
    }

    @Override
    public void close() {
        lane.shutdownNow();
        if (own != null) {
            own.close();
        }
    }

    /**
     * The requests an S3A stream sent and the bytes it received, from its statistics once it is closed: each GET it
     * opened (a reopen after a seek is another), the bytes read and those drained at close.
     */
    private void countStream(FSDataInputStream in) {
        if (counters.requests().source() == null) {
            return;
        }
        IOStatistics stats = IOStatisticsSupport.retrieveIOStatistics(in);
        if (stats != null) {
            java.util.Map<String, Long> c = stats.counters();
            counters.got(c.getOrDefault("stream_read_opened", 0L));
            counters.received(c.getOrDefault("stream_read_bytes", 0L)
                    + c.getOrDefault("stream_read_bytes_discarded_in_close", 0L));
        }
    }

    /** Counts the bytes a whole read hands over , and the stream's requests at close. */
    private final class Counting extends FilterInputStream {
        private final FSDataInputStream stream;
        private final String path;
        private boolean closed;

        Counting(FSDataInputStream in, String path) {
            super(in);
            this.stream = in;
            this.path = path;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (!closed) {
                    closed = true;
                    countStream(stream);
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counters.read(path, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            counters.read(path, n);
            return n;
        }
    }

    /** Counts the bytes a Parquet stream hands over; every other call goes to Hadoop's stream as it was. */
    private final class CountingSeekable extends SeekableInputStream {
        private final SeekableInputStream in;
        private final FSDataInputStream raw;
        private final String path;
        private boolean closed;

        CountingSeekable(SeekableInputStream in, FSDataInputStream raw, String path) {
            this.in = in;
            this.raw = raw;
            this.path = path;
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public void seek(long newPos) throws IOException {
            in.seek(newPos);
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            in.readFully(bytes);
            counters.read(path, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            in.readFully(bytes, start, len);
            counters.read(path, len);
        }

        @Override
        public int read(java.nio.ByteBuffer buf) throws IOException {
            int n = in.read(buf);
            counters.read(path, n);
            return n;
        }

        @Override
        public void readFully(java.nio.ByteBuffer buf) throws IOException {
            int n = buf.remaining();
            in.readFully(buf);
            counters.read(path, n);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counters.read(path, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            counters.read(path, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return in.skip(n);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } finally {
                if (!closed) {
                    closed = true;
                    countStream(raw);
                }
            }
        }
    }
}
