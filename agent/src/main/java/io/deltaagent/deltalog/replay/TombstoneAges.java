package io.deltaagent.deltalog.replay;

import java.util.Map;
import java.util.TreeMap;

/**
 * Removed files by deletion time, so that what VACUUM can delete is counted once the retention is known (it depends on
 * the table's properties, read after the tombstones). Exact and small: every remove of a commit carries that commit's
 * deletionTimestamp, so there is one entry per removing commit still in the log, not one per file.
 */
public final class TombstoneAges {

    /** Deletion time (epoch millis) to {count, bytes}. */
    private final TreeMap<Long, long[]> byTime = new TreeMap<>();
    private long withoutTime;

    void add(Long deletionTimestamp, long size) {
        if (deletionTimestamp == null) {
            withoutTime++;
            return;
        }
        long[] entry = byTime.computeIfAbsent(deletionTimestamp, t -> new long[2]);
        entry[0]++;
        entry[1] += size;
    }

    void addAll(TombstoneAges other) {
        withoutTime += other.withoutTime;
        other.byTime.forEach((t, e) -> {
            long[] mine = byTime.computeIfAbsent(t, k -> new long[2]);
            mine[0] += e[0];
            mine[1] += e[1];
        });
    }

    /** Count and bytes of the removes deleted at or after {@code fromMillis} (null: no lower bound) and before {@code untilMillis}. */
    public long[] between(Long fromMillis, long untilMillis) {
        long[] sum = new long[2];
        if (fromMillis != null && fromMillis >= untilMillis) {
            return sum;
        }
        Map<Long, long[]> range = fromMillis == null ? byTime.headMap(untilMillis, false)
                : byTime.subMap(fromMillis, true, untilMillis, false);
        for (long[] e : range.values()) {
            sum[0] += e[0];
            sum[1] += e[1];
        }
        return sum;
    }

    /** Removes without a deletionTimestamp (optional in the protocol): never counted as vacuumable. */
    public long withoutTime() {
        return withoutTime;
    }
}
