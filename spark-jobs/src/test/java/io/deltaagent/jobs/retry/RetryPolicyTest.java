package io.deltaagent.jobs.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(10));

    @Test
    void pinsTheDefaults() {
        RetryPolicy defaults = RetryPolicy.defaults();
        assertThat(defaults.maxAttempts()).isEqualTo(3);
        assertThat(defaults.baseBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void doublesPerRetryWithTheUpperHalfRandomAndACap() {
        assertThat(policy.backoffBefore(2, 0.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffBefore(2, 0.999_999)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoffBefore(3, 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoffBefore(3, 0.999_999)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoffBefore(5, 0.999_999)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoffBefore(60, 0.5)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("maxAttempts must be between 1 and 100");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff must be >= baseBackoff");
        assertThatThrownBy(() -> policy.backoffBefore(1, 0.5)).hasMessageContaining("first attempt");
    }
}
