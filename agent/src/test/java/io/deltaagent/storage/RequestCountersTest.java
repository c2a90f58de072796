package io.deltaagent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/** Whether an audit's request counts are its own: reads that overlap on one FileSystem instance say they are not. */
class RequestCountersTest {

    @Test
    void overlappingReadsOnOneFileSystemAreMarkedShared() throws Exception {
        FileSystem fs = FileSystem.newInstance(new java.net.URI("file:///"), new Configuration());
        try {
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
        } finally {
            fs.close();
        }
    }
}
