package io.deltaagent.deltalog.storage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link LogStore} has read: opens per object (a whole read, a range read, a Parquet stream), and the bytes
 * handed to the readers. Per store, so per audit: two audits of tables sharing one FileSystem count apart.
 */
public final class ReadCounters {

    private final Map<String, LongAdder> opens = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();
    private final LongAdder rangeReads = new LongAdder();
    private final LongAdder listRequests = new LongAdder();

    void listed() {
        listRequests.increment();
    }

    /** Listing requests ({@link LogStore#list}): LIST pages on object stores, one per listing elsewhere. */
    public long listRequests() {
        return listRequests.sum();
    }

    void opened(String path) {
        opens.computeIfAbsent(path, p -> new LongAdder()).increment();
    }

    void read(String path, long n) {
        if (n > 0) {
            bytes.computeIfAbsent(path, p -> new LongAdder()).add(n);
        }
    }

    void rangeRead() {
        rangeReads.increment();
    }

    /** Opens per object, by path, sorted. */
    public Map<String, Long> opensByObject() {
        Map<String, Long> out = new TreeMap<>();
        opens.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Bytes handed to readers per object, by path, sorted. */
    public Map<String, Long> bytesByObject() {
        Map<String, Long> out = new TreeMap<>();
        bytes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Bytes handed to readers in all. */
    public long bytesRead() {
        return bytes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Range reads ({@link LogStore#readRange}) in all. */
    public long rangeReads() {
        return rangeReads.sum();
    }
}
