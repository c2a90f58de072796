package io.deltaagent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectionTest {

    @Test
    void everyRankOfRandomSortedReversedAndRepetitiveArraysMatchesSorting() {
        Random random = new Random(7);
        for (int n = 1; n <= 40; n++) {
            for (long[] a : shapes(random, n)) {
                long[] sorted = a.clone();
                Arrays.sort(sorted);
                for (int k = 0; k < n; k++) {
                    long[] work = a.clone();
                    long nth = Selection.nth(work, k);
                    assertThat(nth).as("n=%d k=%d in %s", n, k, Arrays.toString(a)).isEqualTo(sorted[k]);
                    for (int i = 0; i < k; i++) {
                        assertThat(work[i]).isLessThanOrEqualTo(nth);
                    }
                    for (int i = k + 1; i < n; i++) {
                        assertThat(work[i]).isGreaterThanOrEqualTo(nth);
                    }
                    long[] after = work.clone();
                    Arrays.sort(after);
                    assertThat(after).as("a permutation of the input").isEqualTo(sorted);
                }
            }
        }
    }

    @Test
    void medianOfAMillionSizesEqualsTheSortedOne() {
        Random random = new Random(42);
        long[] sizes = new long[1_000_000];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 1_048_576L + random.nextInt(7 * 1_048_576) + (i % 1000 == 0 ? 1L << 30 : 0);
        }
        long[] sorted = sizes.clone();
        Arrays.sort(sorted);
        int mid = sizes.length / 2;
        long upper = Selection.nth(sizes, mid);
        assertThat(upper).isEqualTo(sorted[mid]);
        assertThat(Selection.max(sizes, 0, mid)).isEqualTo(sorted[mid - 1]);
    }

    @Test
    void aRankOutsideTheArrayIsRefused() {
        assertThatThrownBy(() -> Selection.nth(new long[3], 3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("k 3 outside 0..2");
    }

    private static long[][] shapes(Random random, int n) {
        long[] rnd = new long[n];
        long[] few = new long[n];
        long[] asc = new long[n];
        long[] desc = new long[n];
        long[] same = new long[n];
        for (int i = 0; i < n; i++) {
            rnd[i] = random.nextLong();
            few[i] = random.nextInt(3);
            asc[i] = i;
            desc[i] = n - i;
            same[i] = 5;
        }
        return new long[][] {rnd, few, asc, desc, same};
    }
}
