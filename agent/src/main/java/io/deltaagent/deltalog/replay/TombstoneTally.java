package io.deltaagent.deltalog.replay;

import io.deltaagent.health.Tombstones;
import java.time.Instant;

/** Remove tombstones summed as they stream past: count, bytes, the oldest, and by deletion time. */
public final class TombstoneTally {
    public long count;
    long bytes;
    long oldest = Long.MAX_VALUE;
    public final TombstoneAges ages = new TombstoneAges();

    public void count(long size, Long deletionTimestamp) {
        count++;
        bytes += size;
        ages.add(deletionTimestamp, size);
        if (deletionTimestamp != null) {
            oldest = Math.min(oldest, deletionTimestamp);
        }
    }

    void addAll(TombstoneTally other) {
        count += other.count;
        bytes += other.bytes;
        oldest = Math.min(oldest, other.oldest);
        ages.addAll(other.ages);
    }

    public TombstoneTally copy() {
        TombstoneTally c = new TombstoneTally();
        c.count = count;
        c.bytes = bytes;
        c.oldest = oldest;
        c.ages.addAll(ages);
        return c;
    }

    public Tombstones result() {
        return Tombstones.of(count, bytes, oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest));
    }
}
