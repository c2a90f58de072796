package io.deltaagent.storage.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The per-bucket backoff, the per-cycle request budget, buckets of table URIs and what counts as throttled. */
@Tag("fast")
class BucketBackoffTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private static final Duration BASE = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofMinutes(15);

    @Test
    void aThrottledBucketWaitsWithJitterDoublingUpToTheMaxWhileOtherBucketsGoOn() {
        MutableClock clock = new MutableClock(T0);
        // jitter at its two ends: the wait is drawn from [d/2, d]
        BucketBackoff low = new BucketBackoff(clock, () -> 0.0);
        BucketBackoff high = new BucketBackoff(clock, () -> 0.999_999);

        assertThat(low.throttled("hot", BASE, MAX).until()).isEqualTo(T0.plusSeconds(15));
        assertThat(high.throttled("hot", BASE, MAX).until()).isEqualTo(T0.plusSeconds(30));
        assertThat(high.until("hot")).contains(T0.plusSeconds(30));
        assertThat(high.until("cool")).as("another bucket is not slowed").isEmpty();

        // repeats double the wait: 60 s, 120 s, ... up to the max, never beyond it
        assertThat(high.throttled("hot", BASE, MAX).until()).isEqualTo(T0.plusSeconds(60));
        assertThat(high.throttled("hot", BASE, MAX).until()).isEqualTo(T0.plusSeconds(120));
        for (int i = 0; i < 40; i++) {
            high.throttled("hot", BASE, MAX);
        }
        assertThat(high.until("hot")).contains(T0.plus(MAX));
        assertThat(high.state("hot").orElseThrow().throttlings()).isEqualTo(43);

        clock.now = T0.plus(MAX);
        assertThat(high.until("hot")).as("the wait is over").isEmpty();
        assertThat(high.state("hot")).as("remembered until a read succeeds").isPresent();
        high.succeeded("hot");
        assertThat(high.state("hot")).isEmpty();
        assertThat(high.throttled("hot", BASE, MAX).until()).as("after a success it starts from the base again")
                .isEqualTo(clock.now.plusSeconds(30));
    }

    @Test
    void aLateThrottlingNeverShortensALongerWait() {
        MutableClock clock = new MutableClock(T0);
        double[] jitter = {0.999_999};
        BucketBackoff b = new BucketBackoff(clock, () -> jitter[0]);
        b.throttled("hot", BASE, MAX);
        b.throttled("hot", BASE, MAX); // until T0 + 60 s
        jitter[0] = 0.0;
        clock.now = T0.plusSeconds(1);
        // the third: [60 s, 120 s] from now with jitter 0 is 61 s, later than 60 s: moved on
        assertThat(b.throttled("hot", BASE, MAX).until()).isEqualTo(T0.plusSeconds(61));
        BucketBackoff capped = new BucketBackoff(clock, () -> 0.0);
        capped.throttled("hot", Duration.ofMinutes(10), Duration.ofMinutes(10)); // until now + 5 m
        assertThat(capped.throttled("hot", Duration.ofSeconds(1), Duration.ofSeconds(1)).until())
                .as("a shorter backoff reported later keeps the longer one").isEqualTo(clock.now.plusSeconds(300));
    }

    @Test
    void theBudgetStopsStartingAuditsOfASpentBucketOnly() {
        RequestBudget budget = new RequestBudget(100);
        assertThat(budget.mayStart("hot")).isTrue();
        budget.spend("hot", 60);
        assertThat(budget.mayStart("hot")).as("60 of 100: one more may start").isTrue();
        budget.spend("hot", 60);
        assertThat(budget.mayStart("hot")).as("120 of 100: spent").isFalse();
        assertThat(budget.spent("hot")).isEqualTo(120);
        assertThat(budget.mayStart("cool")).isTrue();

        RequestBudget unlimited = new RequestBudget(0);
        unlimited.spend("hot", Long.MAX_VALUE / 2);
        assertThat(unlimited.mayStart("hot")).isTrue();
        assertThatThrownBy(() -> new RequestBudget(-1)).hasMessageContaining("a request budget is >= 0");
    }

    @Test
    void bucketsOfTableUris() {
        assertThat(Buckets.of("s3a://lake/events")).contains("lake");
        assertThat(Buckets.of("s3://lake/a/b")).contains("lake");
        assertThat(Buckets.of("gs://lake-eu/t")).contains("lake-eu");
        assertThat(Buckets.of("abfss://data@acct.dfs.core.windows.net/t")).contains("data@acct.dfs.core.windows.net");
        assertThat(Buckets.of("/data/t")).isEmpty();
        assertThat(Buckets.of("file:/data/t")).isEmpty();
        assertThat(Buckets.of("hdfs://nn:8020/t")).isEmpty();
    }

    @Test
    void throttlingIsSlowDownOr429NotATimeoutOrADeniedRequest() {
        // as S3A words a 503 SlowDown once its throttle retries are spent (AWSServiceThrottledException's message)
        Exception s3a = new java.io.IOException("getFileStatus on s3a://hot/t/_delta_log: "
                + "software.amazon.awssdk.services.s3.model.S3Exception: Please reduce your request rate. "
                + "(Service: S3, Status Code: 503, Request ID: 1):SlowDown");
        assertThat(Throttling.isThrottled(new RuntimeException("wrapped", s3a))).isTrue();
        assertThat(Throttling.isThrottled(new java.io.IOException("HTTP 429 Too Many Requests"))).isTrue();
        assertThat(Throttling.isThrottled(new java.io.IOException("Operation failed: \"Ingress is over the account limit.\", 503, PUT, "
                + "ServerBusy"))).isTrue();
        assertThat(Throttling.isThrottled(new java.net.SocketTimeoutException("Read timed out"))).isFalse();
        assertThat(Throttling.isThrottled(new java.io.IOException("Connection reset"))).isFalse();
        assertThat(Throttling.isThrottled(new java.nio.file.AccessDeniedException("s3a://hot/t: 403 Forbidden"))).isFalse();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
