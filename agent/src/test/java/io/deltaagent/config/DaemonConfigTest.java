package io.deltaagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.ConfigException;
import io.deltaagent.policy.MaintenanceAction;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonConfigTest {

    private final ConfigLoader loader = new ConfigLoader();

    private AgentConfig parse(String yaml) {
        return loader.parse("agent.yaml", yaml);
    }

    @Test
    void daemonDefaultsArePinned() {
        DaemonSettings d = DaemonSettings.defaults();
        assertThat(d.maxConcurrentJobs()).isEqualTo(2);
        assertThat(d.maxConcurrentJobsPerBackend()).isEmpty();
        assertThat(d.maxConcurrentAudits()).isEqualTo(4);
        assertThat(d.jobTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(d.failureBackoff()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.maxFailureBackoff()).isEqualTo(Duration.ofDays(1));
        assertThat(d.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.httpAddress()).isEqualTo("127.0.0.1:9464");
        assertThat(d.httpTokenEnv()).isNull();
        assertThat(d.httpTokenFile()).isNull();
        assertThat(d.instanceId()).isNull();
        assertThat(d.clusterCheckinInterval()).isEqualTo(Duration.ofMillis(7500));
        assertThat(d.storageRequestBudget()).isZero();
        assertThat(d.throttleBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.maxThrottleBackoff()).isEqualTo(Duration.ofMinutes(15));
        assertThat(DaemonOptions.ALL).hasSize(DaemonOptions.BY_KEY.size());
        assertThat(parse("tables: [/t]").daemon()).isEqualTo(d);
    }

    @Test
    void daemonSectionAndPerTableSchedulesAndWindows() {
        AgentConfig c = parse("""
                defaults:
                  audit-schedule: "0 0/5 * * * ?"
                  optimize-window: "01:00-05:00"
                tables:
                  - path: /lake/events
                    audit-schedule: "0 0 * * * ?"
                    optimize-window: "22:00-02:00, 12:00-12:30"
                  - /lake/orders
                daemon:
                  max-concurrent-jobs: 3
                  max-concurrent-jobs-per-backend: {local: 1}
                  http-address: 0.0.0.0:9000
                  http-token-env: AGENT_TOKEN
                  instance-id: agent-a
                  shutdown-grace: 5s
                  storage-request-budget: 5000
                  throttle-backoff: 10s
                """);
        TableSettings events = c.entryFor("/lake/events").settings();
        assertThat(events.auditSchedule()).isEqualTo("0 0 * * * ?");
        assertThat(MaintenanceAction.OPTIMIZE.windowIn(events).toString()).isEqualTo("22:00-02:00, 12:00-12:30");
        assertThat(MaintenanceAction.CHECKPOINT.windowIn(events)).isEqualTo(MaintenanceWindow.ALWAYS);
        TableSettings orders = c.entryFor("/lake/orders").settings();
        assertThat(orders.auditSchedule()).isEqualTo("0 0/5 * * * ?");
        assertThat(orders.optimizeWindow().toString()).isEqualTo("01:00-05:00");
        DaemonSettings d = c.daemon();
        assertThat(d.maxConcurrentJobs()).isEqualTo(3);
        assertThat(d.maxJobsOn("local")).isEqualTo(1);
        assertThat(d.maxJobsOn("databricks")).as("unlisted backends: the overall cap").isEqualTo(3);
        assertThat(d.httpAddress()).isEqualTo("0.0.0.0:9000");
        assertThat(d.httpTokenEnv()).isEqualTo("AGENT_TOKEN");
        assertThat(d.instanceId()).isEqualTo("agent-a");
        assertThat(d.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.storageRequestBudget()).isEqualTo(5000);
        assertThat(d.throttleBackoff()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void badDaemonSettingsAreRejectedWithTheKey() {
        assertThatThrownBy(() -> parse("daemon:\n  max-jobs: 3")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("agent.yaml: unknown key 'daemon.max-jobs'; valid keys under 'daemon' are: budget-compute-hours-per-day, budget-per-day, cluster-checkin-interval, ");
        assertThatThrownBy(() -> parse("daemon:\n  max-concurrent-jobs: 0"))
                .hasMessageContaining("daemon.max-concurrent-jobs: 0 is out of range: must be 1 to 1000");
        assertThatThrownBy(() -> parse("daemon:\n  max-concurrent-jobs-per-backend: {local: 0}"))
                .hasMessageContaining("daemon.max-concurrent-jobs-per-backend: {local: 0} is out of range: must be every limit >= 1");
        assertThatThrownBy(() -> parse("daemon:\n  storage-request-budget: -1"))
                .hasMessageContaining("daemon.storage-request-budget: -1 is out of range: must be >= 0 (0: no limit)");
        assertThatThrownBy(() -> parse("daemon:\n  http-address: localhost"))
                .hasMessageContaining("daemon.http-address: localhost is out of range: must be HOST:PORT");
        assertThatThrownBy(() -> parse("daemon:\n  http-token-env: 'my token'"))
                .hasMessageContaining("daemon.http-token-env: my token is out of range: must be an environment variable name");
        assertThatThrownBy(() -> parse("defaults:\n  audit-schedule: every minute"))
                .hasMessageContaining("defaults.audit-schedule: 'every minute' is not a Quartz cron expression");
        assertThatThrownBy(() -> parse("tables:\n  - path: /t\n    optimize-window: 1am-5am"))
                .hasMessageContaining("tables[0].optimize-window: '1am-5am' is not a window; write HH:MM-HH:MM (UTC) or always");
        assertThatThrownBy(() -> parse("defaults:\n  vacuum-window: 03:00-03:00"))
                .hasMessageContaining("defaults.vacuum-window: the span 03:00-03:00 is empty");
    }

    @Test
    void windowsAreDailyUtcSpansThatMayWrapMidnight() {
        MaintenanceWindow night = MaintenanceWindow.parse("01:00-05:00");
        assertThat(night.isOpen(Instant.parse("2026-01-01T00:59:59Z"))).isFalse();
        assertThat(night.isOpen(Instant.parse("2026-01-01T01:00:00Z"))).isTrue();
        assertThat(night.isOpen(Instant.parse("2026-01-01T04:59:59Z"))).isTrue();
        assertThat(night.isOpen(Instant.parse("2026-01-01T05:00:00Z"))).as("end exclusive").isFalse();
        MaintenanceWindow wrap = MaintenanceWindow.parse("22:00-02:00,12:00-12:30");
        assertThat(wrap.isOpen(Instant.parse("2026-01-01T23:30:00Z"))).isTrue();
        assertThat(wrap.isOpen(Instant.parse("2026-01-02T01:59:00Z"))).isTrue();
        assertThat(wrap.isOpen(Instant.parse("2026-01-02T02:00:00Z"))).isFalse();
        assertThat(wrap.isOpen(Instant.parse("2026-01-02T12:15:00Z"))).isTrue();
        assertThat(MaintenanceWindow.parse("always").isOpen(Instant.parse("2026-01-02T07:00:00Z"))).isTrue();
        assertThat(Map.of("w", wrap.toString())).containsEntry("w", "22:00-02:00, 12:00-12:30");
    }
}
