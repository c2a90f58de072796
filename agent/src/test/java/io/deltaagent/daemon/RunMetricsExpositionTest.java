package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.cost.CostEstimate;
import io.deltaagent.testing.PrometheusText;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The run series of issue 30 as Prometheus reads them: the circuit state as one series per state, the job duration as a
 * histogram with buckets up to 8 h, the build, bytes rewritten and estimated cost. The daemon's own scrape is checked in
 * DashboardTest (a real daemon and job) and DaemonClusterTest (two daemons); this one flips states a real backend would
 * need minutes of failures to reach.
 */
@Tag("fast")
class RunMetricsExpositionTest {

    @Test
    void theCircuitStateIsOneSeriesPerStateWithOneOnTheCurrentOne() {
        DaemonMetrics metrics = new DaemonMetrics();
        AtomicReference<DaemonMetrics.CircuitState> state = new AtomicReference<>(DaemonMetrics.CircuitState.CLOSED);
        metrics.circuitBreaker("databricks", state::get);
        assertThat(states(metrics)).containsExactly(1.0, 0.0, 0.0);
        state.set(DaemonMetrics.CircuitState.OPEN);
        assertThat(states(metrics)).containsExactly(0.0, 1.0, 0.0);
        state.set(DaemonMetrics.CircuitState.HALF_OPEN);
        assertThat(states(metrics)).containsExactly(0.0, 0.0, 1.0);
        PrometheusText m = PrometheusText.parse(metrics.scrape());
        assertThat(m.find("deltaagent_backend_circuit_state")).as("no series without a state").hasSize(3);
        assertThat(m.value("deltaagent_bytes_rewritten_total", "backend", "databricks")).as("at 0 from the start").isZero();
    }

    @Test
    void jobDurationsAreAHistogramWithBucketsFromThirtySecondsToEightHours() {
        DaemonMetrics metrics = new DaemonMetrics();
        metrics.action("OPTIMIZE", "local", "SUCCEEDED", Duration.ofMinutes(3));
        metrics.action("OPTIMIZE", "local", "SUCCEEDED", Duration.ofHours(5));
        PrometheusText m = PrometheusText.parse(metrics.scrape());
        List<PrometheusText.Sample> buckets = m.find("deltaagent_job_duration_seconds_bucket", "action", "OPTIMIZE");
        assertThat(buckets).extracting(s -> s.labels().get("le")).containsExactly("30.0", "60.0", "120.0", "300.0", "600.0",
                "900.0", "1800.0", "3600.0", "7200.0", "14400.0", "28800.0", "+Inf");
        assertThat(m.value("deltaagent_job_duration_seconds_bucket", "le", "120.0")).isZero();
        assertThat(m.value("deltaagent_job_duration_seconds_bucket", "le", "300.0")).isEqualTo(1);
        assertThat(m.value("deltaagent_job_duration_seconds_bucket", "le", "14400.0")).isEqualTo(1);
        assertThat(m.value("deltaagent_job_duration_seconds_bucket", "le", "28800.0")).isEqualTo(2);
        assertThat(m.value("deltaagent_job_duration_seconds_count")).isEqualTo(2);
        assertThat(m.value("deltaagent_job_duration_seconds_sum")).isEqualTo(180 + 5 * 3600);
    }

    @Test
    void buildBytesRewrittenAndEstimatedCostAreExported() {
        DaemonMetrics metrics = new DaemonMetrics();
        metrics.buildInfo("1.2.3", "abc123");
        metrics.rewritten("local", 1_000);
        metrics.rewritten("local", 500);
        metrics.rewritten("local", 0);
        metrics.estimatedCost("emr", new CostEstimate(new BigDecimal("0.25"), "EUR", "test"));
        metrics.estimatedCost("emr", new CostEstimate(new BigDecimal("0.5"), "EUR", "test"));
        PrometheusText m = PrometheusText.parse(metrics.scrape());
        assertThat(m.value("deltaagent_build_info", "version", "1.2.3", "commit", "abc123",
                "java", System.getProperty("java.version"))).isEqualTo(1);
        assertThat(m.value("deltaagent_bytes_rewritten_total", "backend", "local")).isEqualTo(1_500);
        assertThat(m.value("deltaagent_estimated_cost_total", "backend", "emr", "currency", "EUR")).isEqualTo(0.75);
    }

    private static List<Double> states(DaemonMetrics metrics) {
        PrometheusText m = PrometheusText.parse(metrics.scrape());
        return List.of("closed", "open", "half_open").stream()
                .map(s -> m.value("deltaagent_backend_circuit_state", "backend", "databricks", "state", s)).toList();
    }
}
