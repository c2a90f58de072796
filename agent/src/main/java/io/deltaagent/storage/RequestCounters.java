package io.deltaagent.storage;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsSupport;

/**
 * A point-in-time copy of a FileSystem's request counters. S3A counts LIST, GET and HEAD requests and the bytes read
 * from objects; the agent adds the LIST requests it sends through S3A's own S3 client ({@link #countDirectList}),
 * which S3A does not see. Other FileSystems report none, and the differences are then null.
 */
public record RequestCounters(String scheme, Map<String, Long> values) {

    static final String DIRECT_LIST = "deltaagent_direct_list_request";
    static final String[] LIST = {"object_list_request", "object_continue_list_request", DIRECT_LIST};
    static final String[] GET = {"action_http_get_request"};
    static final String[] HEAD = {"action_http_head_request"};
    static final String[] BYTES = {"stream_read_bytes"};

    /** LIST requests the agent sent itself, per FileSystem instance (weak: a closed instance is forgotten). */
    private static final Map<FileSystem, LongAdder> DIRECT = new WeakHashMap<>();

    public static RequestCounters of(FileSystem fs) {
        // the instance's own IOStatistics: S3A's StorageStatistics are registered JVM-wide under one name and
        // stay bound to the first instance, so they miss the requests of later instances
        Map<String, Long> values = new HashMap<>();
        IOStatistics stats = IOStatisticsSupport.retrieveIOStatistics(fs);
        if (stats != null) {
            values.putAll(stats.counters());
            LongAdder direct;
            synchronized (DIRECT) {
                direct = DIRECT.get(fs);
            }
            values.put(DIRECT_LIST, direct == null ? 0L : direct.sum());
        }
        return new RequestCounters(fs.getScheme(), values);
    }

    /** Per FileSystem instance: reads in progress, and reads begun so far. */
    private static final Map<FileSystem, long[]> READS = new WeakHashMap<>();

    /** Marks a read whose requests are counted on {@code fs}; close it when the read ends, however it ends. */
    public static Read beginRead(FileSystem fs) {
        synchronized (READS) {
            long[] r = READS.computeIfAbsent(fs, f -> new long[2]);
            Read read = new Read(r, r[0] > 0, r[1]);
            r[0]++;
            r[1]++;
            return read;
        }
    }

    /** One read on one FileSystem instance: whether others used it meanwhile, so that its counts include theirs. */
    public static final class Read implements AutoCloseable {
        private final long[] counts;
        private final boolean othersAtStart;
        private final long begun;
        private boolean closed;

        private Read(long[] counts, boolean othersAtStart, long begun) {
            this.counts = counts;
            this.othersAtStart = othersAtStart;
            this.begun = begun;
        }

        /** True when another read used the FileSystem since this one began. */
        public boolean shared() {
            synchronized (READS) {
                return othersAtStart || counts[0] > (closed ? 0 : 1) || counts[1] - begun > 1;
            }
        }

        @Override
        public void close() {
            synchronized (READS) {
                if (!closed) {
                    closed = true;
                    counts[0]--;
                }
            }
        }
    }

    /** Counts one LIST request the agent sent through {@code fs}'s S3 client. */
    public static void countDirectList(FileSystem fs) {
        LongAdder adder;
        synchronized (DIRECT) {
            adder = DIRECT.computeIfAbsent(fs, f -> new LongAdder());
        }
        adder.increment();
    }

    /** The LIST, GET and HEAD requests and the bytes read since {@code before}; all null where the FileSystem counts none. */
    public record Requests(Long list, Long get, Long head, Long bytesRead, String source) {

        public static final Requests NONE = new Requests(null, null, null, null, null);

        /** The requests of both; null counts stay null (a FileSystem that counts none). */
        public Requests plus(Requests other) {
            return new Requests(sum(list, other.list), sum(get, other.get), sum(head, other.head),
                    sum(bytesRead, other.bytesRead), source != null ? source : other.source);
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
