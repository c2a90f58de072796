package io.deltaagent.daemon;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.DaemonSettings;
import io.deltaagent.storage.throttle.BucketBackoff;
import io.deltaagent.storage.throttle.Buckets;
import io.deltaagent.storage.throttle.RequestBudget;
import io.deltaagent.storage.throttle.Throttling;
import io.deltaagent.config.TableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the daemon adds to S3A's own throttle retries: one backoff per bucket shared by every audit cycle of the process
 * ({@link BucketBackoff}), and a request budget per bucket per cycle ({@link RequestBudget}). An audit of a backed-off
 * or spent bucket is deferred before it sends a request; an audit the store throttled is THROTTLED, retried by a later
 * cycle, never a failure of the cycle.
 */
final class StorageThrottle {

    /** The /api/tables status of a table the store throttled, or whose audit waited for its bucket's backoff. */
    static final String THROTTLED = "THROTTLED";
    /** The /api/tables status of a table whose bucket spent this cycle's request budget. */
    static final String DEFERRED = "DEFERRED";

    private final BucketBackoff backoff;
    private final DaemonMetrics metrics;
    /**
     * Tables deferred by their bucket and not audited since, each with when it was first deferred: the next cycle starts
     * with them, longest waiting first, so none starves.
     */
    private final java.util.Map<String, Long> waiting = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong deferrals = new java.util.concurrent.atomic.AtomicLong();

    StorageThrottle(BucketBackoff backoff, DaemonMetrics metrics) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * {@code tables} with those a bucket deferred first, longest waiting first, then the others in their order: a budget
     * then rotates over the tables of a bucket.
     */
    List<TableEntry> waitingFirst(List<TableEntry> tables) {
        List<TableEntry> out = new ArrayList<>(tables.size());
        tables.stream().filter(t -> waiting.containsKey(t.path()))
                .sorted(java.util.Comparator.comparingLong(t -> waiting.getOrDefault(t.path(), Long.MAX_VALUE))).forEach(out::add);
        tables.stream().filter(t -> !waiting.containsKey(t.path())).forEach(out::add);
        return out;
    }

    /** The throttling of one cycle, with its own request budget. */
    Cycle cycle(DaemonSettings settings) {
        return new Cycle(settings, new RequestBudget(settings.storageRequestBudget()));
    }

    /** Why an audit is not started now: a status ({@link #THROTTLED} or {@link #DEFERRED}) and a reason naming the bucket. */
    record Deferral(String status, String reason) {
    }

    final class Cycle {

        private final DaemonSettings settings;
        private final RequestBudget budget;

        private Cycle(DaemonSettings settings, RequestBudget budget) {
            this.settings = settings;
            this.budget = budget;
        }

        /** Why the audit of {@code table} must wait for a later cycle, or empty when it may start now. */
        Optional<Deferral> deferral(String table) {
            Optional<String> bucket = Buckets.of(table);
            if (bucket.isEmpty()) {
                return Optional.empty();
            }
            String b = bucket.get();
            Optional<Deferral> waiting = backoff.until(b).map(until -> new Deferral(THROTTLED,
                    "bucket " + b + " is throttled by the store: audits of it wait until " + until + "; retried next cycle"));
            if (waiting.isEmpty() && !budget.mayStart(b)) {
                waiting = Optional.of(new Deferral(DEFERRED, "bucket " + b + " spent this cycle's request budget ("
                        + budget.spent(b) + " of daemon.storage-request-budget " + budget.limit() + "); audited next cycle"));
            }
            waiting.ifPresent(d -> {
                metrics.storageDeferred(b, d.status());
                StorageThrottle.this.waiting.putIfAbsent(table, deferrals.incrementAndGet());
            });
            return waiting;
        }

        /** Books a finished audit: its requests against the budget; a throttled one backs its bucket off. */
        void ended(AuditOutcome o) {
            waiting.remove(o.table());
            Optional<String> bucket = Buckets.of(o.table());
            if (bucket.isEmpty()) {
                return;
            }
            String b = bucket.get();
            if (throttled(o)) {
                var state = backoff.throttled(b, settings.throttleBackoff(), settings.maxThrottleBackoff());
                metrics.storageThrottled(b);
                org.slf4j.LoggerFactory.getLogger(StorageThrottle.class).warn("{}: throttled by the store (bucket {}, {} in a row): "
                        + "no audit of the bucket starts before {}", o.table(), b, state.throttlings(), state.until());
                return;
            }
            if (o.health() != null) {
                backoff.succeeded(b);
                Long requests = o.health().readCost().requests() == null ? null : o.health().readCost().requests().total();
                budget.spend(b, requests == null ? 0 : requests);
            }
        }
    }

    /** True when the store throttled {@code o}'s reads (after S3A's own retries). */
    static boolean throttled(AuditOutcome o) {
        // only a storage error: access denied or a corrupt log is not fixed by waiting, whatever its message quotes
        return o.error() != null && o.error().kind() == io.deltaagent.error.TableReadException.Kind.STORAGE_ERROR
                && Throttling.isThrottled(o.error());
    }
}
