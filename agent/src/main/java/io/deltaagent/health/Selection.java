package io.deltaagent.health;

/**
 * The k-th smallest of an array in linear time (Hoare's quickselect, median-of-three pivots), for the exact median of
 * a million file sizes without sorting them all.
 */
final class Selection {

    private Selection() {
    }

    /**
     * Reorders {@code a} so that {@code a[k]} is its k-th smallest value (0-based), every value before it at most
     * that and every value after it at least that; returns {@code a[k]}.
     */
    static long nth(long[] a, int k) {
        if (k < 0 || k >= a.length) {
            throw new IndexOutOfBoundsException("k " + k + " outside 0.." + (a.length - 1));
        }
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            int midIndex = (lo + hi) >>> 1;
            long pivot = medianOf3(a[lo], a[midIndex], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            // now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] == pivot
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    /** The largest of {@code a[from..to)}. */
    static long max(long[] a, int from, int to) {
        long m = Long.MIN_VALUE;
        for (int i = from; i < to; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }

    private static long medianOf3(long x, long y, long z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }
}
