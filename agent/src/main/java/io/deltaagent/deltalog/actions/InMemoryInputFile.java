package io.deltaagent.deltalog.actions;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet input over a log object already fetched whole: its streams cost no request. A small checkpoint part is
 * fetched in one request and both of the audit's passes (sparse actions, file actions) read it from here.
 */
public final class InMemoryInputFile implements InputFile {

    private final byte[] bytes;
    private final String name;

    /** @param name the object, as messages name it */
    public InMemoryInputFile(byte[] bytes, String name) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public long getLength() {
        return bytes.length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new Stream();
    }

    @Override
    public String toString() {
        return name;
    }

    private final class Stream extends SeekableInputStream {
        private int pos;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > bytes.length) {
                throw new EOFException(name + ": seek to " + newPos + " outside its " + bytes.length + " bytes");
            }
            pos = (int) newPos;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= bytes.length) {
                return -1;
            }
            int n = Math.min(len, bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void readFully(byte[] b) throws IOException {
            readFully(b, 0, b.length);
        }

        @Override
        public void readFully(byte[] b, int start, int len) throws IOException {
            if (len > bytes.length - pos) {
                throw new EOFException(name + ": " + len + " bytes wanted at " + pos + ", only " + (bytes.length - pos) + " left");
            }
            System.arraycopy(bytes, pos, b, start, len);
            pos += len;
        }

        @Override
        public int read(ByteBuffer buf) {
            if (!buf.hasRemaining()) {
                return 0;
            }
            if (pos >= bytes.length) {
                return -1;
            }
            int n = Math.min(buf.remaining(), bytes.length - pos);
            buf.put(bytes, pos, n);
            pos += n;
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            int n = buf.remaining();
            if (n > bytes.length - pos) {
                throw new EOFException(name + ": " + n + " bytes wanted at " + pos + ", only " + (bytes.length - pos) + " left");
            }
            buf.put(bytes, pos, n);
            pos += n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, bytes.length - pos));
            pos += (int) k;
            return k;
        }

        @Override
        public int available() {
            return bytes.length - pos;
        }
    }
}
