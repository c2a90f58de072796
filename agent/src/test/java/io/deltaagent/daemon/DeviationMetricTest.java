package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.testing.PrometheusText;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The series the chart's DeltaAgentRunsDeviating alert reads (deploy/helm: increase(deltaagent_actions_deviated_total[1d])). */
@Tag("fast")
class DeviationMetricTest {

    @Test
    void aDeviatedRunIsCountedPerActionAndBackend() {
        DaemonMetrics metrics = new DaemonMetrics();
        metrics.deviated("OPTIMIZE", "local");
        metrics.deviated("OPTIMIZE", "local");
        metrics.deviated("CHECKPOINT", "databricks");
        String scrape = metrics.scrape();
        assertThat(scrape).contains("deltaagent_actions_deviated_total{action=\"OPTIMIZE\",backend=\"local\"} 2.0")
                .contains("deltaagent_actions_deviated_total{action=\"CHECKPOINT\",backend=\"databricks\"} 1.0");
    }
}
