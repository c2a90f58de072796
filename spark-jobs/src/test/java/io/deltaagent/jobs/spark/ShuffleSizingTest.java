package io.deltaagent.jobs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShuffleSizingTest {
    private static final long MB = 1024L * 1024;

    @Test
    void smallInputsGetTheClustersParallelism() {
        ShuffleSizing sizing = ShuffleSizing.forInput(7 * MB, 2_000, 2);
        assertThat(sizing.shufflePartitions()).isEqualTo(2);
        assertThat(sizing.listingParallelism()).isEqualTo(2);
        assertThat(sizing.advisoryPartitionBytes()).isEqualTo(128 * MB);
    }

    @Test
    void largeInputsGetOnePartitionPerAdvisorySizeUpToTheCap() {
        assertThat(ShuffleSizing.forInput(1024L * 1024 * MB, 5_000_000, 64).shufflePartitions()).isEqualTo(8192);
        assertThat(ShuffleSizing.forInput(1024L * 1024 * MB, 5_000_000, 64).listingParallelism()).isEqualTo(2500);
        assertThat(ShuffleSizing.forInput(Long.MAX_VALUE, Long.MAX_VALUE, 64).shufflePartitions())
                .isEqualTo(ShuffleSizing.MAX_PARTITIONS);
        assertThat(ShuffleSizing.forInput(0, 0, 0).shufflePartitions()).isEqualTo(1);
    }
}
