package io.deltaagent.storage.throttle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The storage requests one audit cycle may spend per bucket. Audits are not cut off midway: an audit starts while its
 * bucket has budget left, adds what it spent when it ends, and audits of a bucket whose budget is spent are deferred
 * to the next cycle. A limit of 0 means no limit. Thread-safe (a cycle's audits run concurrently).
 */
public final class RequestBudget {

    private final long limit;
    private final Map<String, LongAdder> spent = new ConcurrentHashMap<>();

    public RequestBudget(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a request budget is >= 0 (0: no limit): " + limit);
        }
        this.limit = limit;
    }

    /** True when an audit of {@code bucket} may start. */
    public boolean mayStart(String bucket) {
        return limit == 0 || spent(bucket) < limit;
    }

    /** An audit of {@code bucket} sent {@code requests}. */
    public void spend(String bucket, long requests) {
        spent.computeIfAbsent(bucket, b -> new LongAdder()).add(Math.max(0, requests));
    }

    public long spent(String bucket) {
        LongAdder a = spent.get(bucket);
        return a == null ? 0 : a.sum();
    }

    public long limit() {
        return limit;
    }
}
