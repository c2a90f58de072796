package io.deltaagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader();

    private AgentConfig parse(String yaml) {
        return loader.parse("agent.yaml", yaml);
    }

    @Test
    void builtInDefaultsArePinned() {
        TableSettings d = TableSettings.defaults();
        assertThat(d.targetFileSize()).isEqualTo(ByteSize.parse("128MiB"));
        assertThat(d.smallFileSize()).isNull();
        assertThat(d.smallFileRule(Map.of()).thresholds()).containsExactly(64L * 1024 * 1024);
        assertThat(d.adaptiveTargetFileSize()).isFalse();
        assertThat(d.maxBytesPerJob()).isEqualTo(ByteSize.parse("100GiB"));
        assertThat(d.maxPartitionsPerJob()).isEqualTo(1000);
        assertThat(d.predictionTolerance()).isEqualTo(0.2);
        assertThat(d.minSmallFiles()).isEqualTo(50);
        assertThat(d.maxCommitsSinceCheckpoint()).isEqualTo(20);
        assertThat(d.maxLogObjects()).isEqualTo(10_000);
        assertThat(d.maxLogReadLatency()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.zorderBy()).isEmpty();
        assertThat(d.vacuumEnabled()).isFalse();
        assertThat(d.vacuumRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(d.vacuumMinTombstones()).isEqualTo(1000);
        assertThat(d.historyDepth()).isEqualTo(200);
        assertThat(d.worstPartitions()).isEqualTo(10);
        assertThat(d.reader()).isEqualTo(ReaderChoice.AUTO);
        assertThat(d.maxDeletionVectorFileShare()).isEqualTo(0.2);
        assertThat(d.hotPartitionWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.cooldown()).isEqualTo(Duration.ofHours(6));
        assertThat(d.auditSchedule()).isEqualTo("0 */15 * * * ?");
        assertThat(d.optimizeWindow()).isEqualTo(MaintenanceWindow.ALWAYS);
        assertThat(d.checkpointWindow()).isEqualTo(MaintenanceWindow.ALWAYS);
        assertThat(d.vacuumWindow()).isEqualTo(MaintenanceWindow.ALWAYS);
        assertThat(TableOptions.ALL).hasSize(TableOptions.BY_KEY.size());
    }

    @Test
    void theExampleConfigInTheRepoLoads() throws Exception {
        Path example = Path.of(System.getProperty("deltaagent.repo.dir"), "config", "agent.yaml");
        AgentConfig config = loader.load(example);
        assertThat(config.tables()).isNotEmpty();
    }

    @Test
    void layersDefaultsThenTableEntries() {
        AgentConfig c = parse("""
                defaults:
                  target-file-size: 256MiB
                  max-log-read-latency: 30s
                tables:
                  - path: s3a://lake/events
                    min-small-files: 10
                    zorder-by: [user_id, ts]
                  - /data/plain
                discover: [s3a://lake/raw]
                hadoop:
                  fs.s3a.endpoint: http://127.0.0.1:9000
                """);
        TableSettings events = c.entryFor("s3a://lake/events").settings();
        assertThat(events.targetFileSize().bytes()).isEqualTo(256L << 20);
        assertThat(events.minSmallFiles()).isEqualTo(10);
        assertThat(events.zorderBy()).containsExactly("user_id", "ts");
        assertThat(events.maxLogReadLatency()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.entryFor("/data/plain").settings().minSmallFiles()).isEqualTo(50);
        assertThat(c.entryFor("/elsewhere").settings().targetFileSize().bytes()).isEqualTo(256L << 20);
        assertThat(c.discoverRoots()).containsExactly("s3a://lake/raw");
        assertThat(c.hadoop()).containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000");
    }

    @Test
    void targetFileSizePrecedence() {
        AgentConfig c = parse("""
                defaults:
                  target-file-size: 256MiB
                tables:
                  - path: /a
                    target-file-size: 32MiB
                  - path: /b
                """);
        Map<String, String> table = Map.of("delta.targetFileSize", "104857600");
        assertThat(c.entryFor("/a").settings().effectiveTargetFileBytes(table, 0)).as("table entry wins").isEqualTo(32L << 20);
        assertThat(c.entryFor("/b").settings().effectiveTargetFileBytes(table, 0)).as("then the table's own property")
                .isEqualTo(104_857_600L);
        assertThat(c.entryFor("/b").settings().effectiveTargetFileBytes(Map.of(), 0)).as("then defaults").isEqualTo(256L << 20);
    }

    @Test
    void adaptiveTargetGrowsWithTheTableUnlessATargetIsSet() {
        AgentConfig c = parse("""
                defaults:
                  adaptive-target-file-size: true
                tables:
                  - path: /a
                    target-file-size: 32MiB
                  - path: /b
                  - path: /c
                    small-file-size: 10MiB
                """);
        long gib = 1L << 30;
        TableSettings b = c.entryFor("/b").settings();
        assertThat(b.effectiveTargetFileBytes(Map.of(), 9 * gib)).isEqualTo(128L << 20);
        assertThat(b.effectiveTargetFileBytes(Map.of(), 10 * gib)).isEqualTo(256L << 20);
        assertThat(b.effectiveTargetFileBytes(Map.of(), 100 * gib)).isEqualTo(512L << 20);
        assertThat(b.effectiveTargetFileBytes(Map.of(), 1024 * gib)).isEqualTo(1024L << 20);
        assertThat(b.effectiveTargetFileBytes(Map.of(), 50_000 * gib)).as("capped at 1 GiB").isEqualTo(1024L << 20);
        SmallFileRule rule = b.smallFileRule(Map.of());
        assertThat(rule.thresholds()).containsExactly(64L << 20, 128L << 20, 256L << 20, 512L << 20);
        assertThat(rule.thresholds()[rule.choose(200 * gib)]).as("half the adaptive target").isEqualTo(256L << 20);
        assertThat(b.effectiveTargetFileBytes(Map.of("delta.targetFileSize", "64MiB"), 100 * gib))
                .as("the table's own target wins").isEqualTo(64L << 20);
        assertThat(b.smallFileRule(Map.of("delta.targetFileSize", "64MiB")).thresholds()).containsExactly(32L << 20);
        assertThat(c.entryFor("/a").settings().effectiveTargetFileBytes(Map.of(), 100 * gib)).as("the entry's target wins")
                .isEqualTo(32L << 20);
        assertThat(c.entryFor("/c").settings().smallFileRule(Map.of()).thresholds()).as("an explicit small-file-size stays")
                .containsExactly(10L << 20);
    }

    @Test
    void jobBoundsAndToleranceAreValidated() {
        assertThatThrownBy(() -> parse("defaults:\n  max-partitions-per-job: 1001\n"))
                .hasMessageContaining("defaults.max-partitions-per-job").hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> parse("defaults:\n  max-bytes-per-job: 100B\n"))
                .hasMessageContaining("defaults.max-bytes-per-job").hasMessageContaining(">= 1KiB");
        assertThatThrownBy(() -> parse("defaults:\n  prediction-tolerance: 0\n"))
                .hasMessageContaining("defaults.prediction-tolerance");
        assertThat(parse("defaults:\n  max-bytes-per-job: 2GiB\n").entryFor("/x").settings().maxBytesPerJob().bytes())
                .isEqualTo(2L << 30);
    }

    @Test
    void unknownKeysAreRejectedWithTheValidOnes() {
        assertThatThrownBy(() -> parse("defualts: {}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("agent.yaml: unknown key 'defualts'; valid keys are: backends, catalogs, daemon, defaults, discover, hadoop, resilience, tables");
        assertThatThrownBy(() -> parse("defaults:\n  target-size: 1MiB"))
                .hasMessageStartingWith("agent.yaml: unknown key 'defaults.target-size'; valid keys under 'defaults' are: "
                        + "adaptive-target-file-size, audit-schedule, audit-timeout, backend, checkpoint-window, cooldown, history-depth, hot-partition-window,");
    }

    @Test
    void valuesAreParsedWithUnitsAndValidated() {
        assertThatThrownBy(() -> parse("defaults:\n  max-log-read-latency: soon"))
                .hasMessage("agent.yaml: defaults.max-log-read-latency: 'soon' is not a duration; write a number with a unit: "
                        + "500ms, 10s, 5m, 2h, 7d (expected a duration (ms, s, m, h, d), > 0)");
        assertThatThrownBy(() -> parse("defaults:\n  min-small-files: 1"))
                .hasMessageContaining("defaults.min-small-files: 1 is out of range: must be >= 2");
        assertThatThrownBy(() -> parse("defaults:\n  vacuum-retention: 1d"))
                .hasMessageContaining("defaults.vacuum-retention: 1d is out of range: must be >= 7d");
        assertThatThrownBy(() -> parse("tables:\n  - path: /a\n    vacuum-enabled: maybe"))
                .hasMessageContaining("tables[0].vacuum-enabled: 'maybe' is not a boolean");
        assertThatThrownBy(() -> parse("defaults:\n  reader: spark"))
                .hasMessageContaining("defaults.reader: 'spark' is not a reader; use auto, projected, standalone or kernel");
        assertThatThrownBy(() -> parse("defaults:\n  max-deletion-vector-file-share: 150%"))
                .hasMessageContaining("defaults.max-deletion-vector-file-share: 1.5 is out of range: must be > 0 and <= 1");
        assertThat(parse("defaults:\n  max-deletion-vector-file-share: 25%").defaultSettings().maxDeletionVectorFileShare())
                .isEqualTo(0.25);
        assertThatThrownBy(() -> parse("defaults:\n  cooldown: -5m"))
                .hasMessageContaining("defaults.cooldown: '-5m' is not a duration");
    }

    @Test
    void secretsAreRefused() {
        assertThatThrownBy(() -> parse("hadoop:\n  fs.s3a.secret.key: abc"))
                .hasMessageContaining("hadoop.fs.s3a.secret.key: secrets are not read from the config file")
                .hasMessageNotContaining("abc");
        assertThat(parse("hadoop:\n  fs.s3a.aws.credentials.provider: x").hadoop()).containsKey("fs.s3a.aws.credentials.provider");
    }

    @Test
    void tablesNeedAPathAndAreListedOnce() {
        assertThatThrownBy(() -> parse("tables:\n  - min-small-files: 3")).hasMessageContaining("tables[0]: each table needs a 'path'");
        assertThatThrownBy(() -> parse("tables:\n  - path: /a\n  - path: /a")).hasMessageContaining("table /a is listed twice");
    }

    @Test
    void invalidYamlSaysWhere() {
        assertThatThrownBy(() -> parse("defaults:\n  a: [1, 2\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("agent.yaml: not valid YAML (line");
    }

    @Test
    void emptyFileIsTheDefaults(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("empty.yaml"), "");
        assertThat(loader.load(f).tables()).isEmpty();
        assertThat(List.of(ByteSize.parse("1.5GiB").bytes(), ByteSize.parse("512KB").bytes(), ByteSize.parse("100").bytes()))
                .containsExactly(1610612736L, 512_000L, 100L);
        assertThat(ByteSize.format(3 * 1024 * 1024 + 512 * 1024)).isEqualTo("3.5 MiB");
        assertThat(Durations.toConfigString(Duration.ofHours(168))).isEqualTo("7d");
    }
}
