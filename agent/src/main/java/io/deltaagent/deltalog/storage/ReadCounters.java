package io.deltaagent.deltalog.storage;

import io.deltaagent.storage.RequestCounters;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link LogStore} has read: opens per object (a whole read, a range read, a Parquet stream), the bytes
 * handed to the readers, and on object stores the requests sent (LIST pages, GETs, HEADs) and the bytes received.
 * Per store, so per audit: two audits of tables sharing one FileSystem count apart.
 */
public final class ReadCounters {

    /** The scheme whose requests this store counts ("s3a"), or null: the store counts no requests. */
    private final String source;
    private final LongAdder getRequests = new LongAdder();
    private final LongAdder headRequests = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder directGets = new LongAdder();
    private final LongAdder directBytes = new LongAdder();

    ReadCounters(String source) {
        this.source = source;
    }

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

    void got(long requests) {
        getRequests.add(requests);
    }

    void headed(long requests) {
        headRequests.add(requests);
    }

    void received(long bytes) {
        bytesReceived.add(bytes);
    }

    /** One GET the store sent through the S3 client itself, which S3A's own counters do not see. */
    void gotDirect(long bytes) {
        getRequests.increment();
        directGets.increment();
        bytesReceived.add(bytes);
        directBytes.add(bytes);
    }

    /**
     * The requests this store sent and the bytes it received from storage so far; all null where it counts none (a
     * file system rather than an object store).
     */
    public RequestCounters.Requests requests() {
        if (source == null) {
            return RequestCounters.Requests.NONE;
        }
        return new RequestCounters.Requests(listRequests.sum(), getRequests.sum(), headRequests.sum(),
                bytesReceived.sum(), source);
    }

    /**
     * The requests of {@link #requests()} that S3A's FileSystem counters do not see: the LIST pages and GETs the store
     * sent through the S3 client itself. Added to a FileSystem-wide difference (a library reading outside the store),
     * they make the audit's whole without counting the store's streams twice.
     */
    public RequestCounters.Requests directRequests() {
        if (source == null) {
            return RequestCounters.Requests.NONE;
        }
        return new RequestCounters.Requests(listRequests.sum(), directGets.sum(), 0L, directBytes.sum(), source);
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
