package io.deltaagent.storage;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;

/**
 * A point-in-time copy of a FileSystem's own request counters: the documented fallback for the readers that reach
 * storage outside the audit's {@code LogStore} (Delta Kernel, Delta Standalone). S3A counts LIST, GET and HEAD requests
 * and the bytes read from objects per FileSystem instance, which every audit of the JVM on that bucket shares: a
 * difference is one audit's only when no other audit ran meanwhile ({@link #beginRead}). Other FileSystems report none,
 * and the differences are then null. The projected reader's counts come from its store, exact per audit.
 */
public record RequestCounters(String scheme, Map<String, Long> values) {

    static final String[] LIST = {"object_list_request", "object_continue_list_request"};
    static final String[] GET = {"action_http_get_request"};
    static final String[] HEAD = {"action_http_head_request"};
    static final String[] BYTES = {"stream_read_bytes"};

    public static RequestCounters of(FileSystem fs) {
        // the instance's own IOStatistics: S3A's StorageStatistics are registered JVM-wide under one name and
        // stay bound to the first instance, so they miss the requests of later instances
        Map<String, Long> values = new HashMap<>();
        IOStatistics stats = IOStatisticsSupport.retrieveIOStatistics(fs);
        if (stats != null) {
            values.putAll(stats.counters());
        }
        return new RequestCounters(fs.getScheme(), values);
    }

    /** Reads in progress in this JVM, and reads begun so far: [0] in progress, [1] begun. */
    private static final long[] READS = new long[2];

    /**
     * Marks a read whose requests are taken from a FileSystem's own counters; close it when the read ends, however it
     * ends. JVM-wide on purpose: FileSystem instances are cached and shared, so any other read may have used the same
     * one, and a count that may include another's is marked shared rather than passed off as exact.
     */
    public static Read beginRead() {
        synchronized (READS) {
            Read read = new Read(READS[0] > 0, READS[1]);
            READS[0]++;
            READS[1]++;
            return read;
        }
    }

    /** One read: whether others ran meanwhile, so that a FileSystem-wide count may include theirs. */
    public static final class Read implements AutoCloseable {
        private final boolean othersAtStart;
        private final long begun;
        private boolean closed;

        private Read(boolean othersAtStart, long begun) {
            this.othersAtStart = othersAtStart;
            this.begun = begun;
        }

        /** True when another read ran since this one began. */
        public boolean shared() {
            synchronized (READS) {
                return othersAtStart || READS[0] > (closed ? 0 : 1) || READS[1] - begun > 1;
            }
        }

        @Override
        public void close() {
            synchronized (READS) {
                if (!closed) {
                    closed = true;
                    READS[0]--;
                }
            }
        }
    }

    /** The LIST, GET and HEAD requests and the bytes read since {@code before}; all null where the FileSystem counts none. */
    public record Requests(Long list, Long get, Long head, Long bytesRead, String source) {

        public static final Requests NONE = new Requests(null, null, null, null, null);

        /** The requests of both; null counts stay null (a FileSystem that counts none). */
        public Requests plus(Requests other) {
            return new Requests(sum(list, other.list), sum(get, other.get), sum(head, other.head),
                    sum(bytesRead, other.bytesRead), source != null ? source : other.source);
        }

        /** These less {@code before}'s: what was counted between two readings of one counter. */
        public Requests minus(Requests before) {
            return new Requests(diff(list, before.list), diff(get, before.get), diff(head, before.head),
                    diff(bytesRead, before.bytesRead), source);
        }

        private static Long diff(Long a, Long b) {
            return a == null ? null : b == null ? a : Long.valueOf(a - b);
        }

        private static Long sum(Long a, Long b) {
            return a == null ? b : b == null ? a : Long.valueOf(a + b);
        }
    }

    public Requests requestsSince(RequestCounters before) {
        return new Requests(delta(before, LIST), delta(before, GET), delta(before, HEAD), delta(before, BYTES),
                countsRequests() ? scheme : null);
    }

    public boolean countsRequests() {
        return values.containsKey(LIST[0]) && values.containsKey(GET[0]);
    }

    /** Every counter that moved since {@code before}, for debug logs. */
    public Map<String, Long> changesSince(RequestCounters before) {
        Map<String, Long> changes = new java.util.TreeMap<>();
        values.forEach((k, v) -> {
            long d = v - before.values.getOrDefault(k, 0L);
            if (d != 0) {
                changes.put(k, d);
            }
        });
        return changes;
    }

    private Long delta(RequestCounters before, String[] names) {
        if (!countsRequests()) {
            return null;
        }
        long sum = 0;
        for (String n : names) {
            sum += values.getOrDefault(n, 0L) - before.values.getOrDefault(n, 0L);
        }
        return sum;
    }
}
