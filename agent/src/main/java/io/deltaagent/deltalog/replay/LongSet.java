package io.deltaagent.deltalog.replay;

/**
 * A set of 64-bit hashes (open addressing, linear probing, backward-shift deletion): 8 to 16 bytes per member, so a
 * re-audit can remember a million file keys in some 16 MB instead of their paths.
 */
public final class LongSet {

    private static final long EMPTY = 0L;
    private long[] slots = new long[16];
    private int size;
    private boolean hasZero;

    /** Bytes held, for memory budgets. */
    public long bytes() {
        return slots.length * 8L;
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    public boolean contains(long v) {
        if (v == EMPTY) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = slot(v, mask); ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == EMPTY) {
                return false;
            }
            if (s == v) {
                return true;
            }
        }
    }

    /** @return false when it was already there */
    public boolean add(long v) {
        if (v == EMPTY) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 4L > slots.length * 3L) { // at most 3/4 full: 11 to 21 bytes per member
            grow();
        }
        int mask = slots.length - 1;
        for (int i = slot(v, mask); ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == EMPTY) {
                slots[i] = v;
                size++;
                return true;
            }
            if (s == v) {
                return false;
            }
        }
    }

    /** @return false when it was not there */
    /** Adds every value of {@code other}. */
    void addAll(LongSet other) {
        if (other.hasZero) {
            add(EMPTY);
        }
        for (long v : other.slots) {
            if (v != EMPTY) {
                add(v);
            }
        }
    }

    public boolean remove(long v) {
        if (v == EMPTY) {
            boolean had = hasZero;
            hasZero = false;
            return had;
        }
        int mask = slots.length - 1;
        int i = slot(v, mask);
        while (slots[i] != v) {
            if (slots[i] == EMPTY) {
                return false;
            }
            i = (i + 1) & mask;
        }
        // shift back the run after the hole so no probe sequence is broken
        int hole = i;
        for (int j = (hole + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(slots[j], mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = EMPTY;
        size--;
        return true;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long v : old) {
            if (v != EMPTY) {
                add(v);
            }
        }
    }

    private static int slot(long v, int mask) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }
}
