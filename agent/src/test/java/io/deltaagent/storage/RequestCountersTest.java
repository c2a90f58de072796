package io.deltaagent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Whether a FileSystem-wide request count (the fallback for Delta Kernel and Standalone) is one audit's own: reads that
 * overlap anywhere in the JVM say they are not, since FileSystem instances are cached and shared.
 */
class RequestCountersTest {

    @Test
    void overlappingReadsAreMarkedShared() {
        RequestCounters.Read alone = RequestCounters.beginRead();
        assertThat(alone.shared()).isFalse();
        alone.close();
        assertThat(alone.shared()).isFalse();

        RequestCounters.Read first = RequestCounters.beginRead();
        RequestCounters.Read second = RequestCounters.beginRead();
        assertThat(second.shared()).as("began while another ran").isTrue();
        second.close();
        assertThat(first.shared()).as("another began while it ran, even if it ended since").isTrue();
        first.close();
        first.close(); // idempotent: the count of reads in progress stays right

        RequestCounters.Read later = RequestCounters.beginRead();
        assertThat(later.shared()).isFalse();
        later.close();
    }
}
