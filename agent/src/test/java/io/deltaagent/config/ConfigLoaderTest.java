package io.deltaagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.error.ConfigException;
import io.deltaagent.health.SmallFileRule;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        assertThat(d.smallFileBytes(Map.of())).hasValue(64L * 1024 * 1024);
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
        assertThat(b.smallFileBytes(Map.of())).as("adaptive: depends on the table's size").isEmpty();
        SmallFileRule rule = new SettingsThresholds(b).smallFiles(Map.of());
        assertThat(rule.thresholds()).containsExactly(64L << 20, 128L << 20, 256L << 20, 512L << 20);
        assertThat(rule.thresholds()[rule.choose(200 * gib)]).as("half the adaptive target").isEqualTo(256L << 20);
        assertThat(b.effectiveTargetFileBytes(Map.of("delta.targetFileSize", "64MiB"), 100 * gib))
                .as("the table's own target wins").isEqualTo(64L << 20);
        assertThat(b.smallFileBytes(Map.of("delta.targetFileSize", "64MiB"))).hasValue(32L << 20);
        assertThat(c.entryFor("/a").settings().effectiveTargetFileBytes(Map.of(), 100 * gib)).as("the entry's target wins")
                .isEqualTo(32L << 20);
        assertThat(c.entryFor("/c").settings().smallFileBytes(Map.of())).as("an explicit small-file-size stays")
                .hasValue(10L << 20);
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
        assertThatThrownBy(() -> parse("defaults:\n  cooldown: -PT5M"))
                .hasMessageContaining("defaults.cooldown: '-PT5M' is negative; a duration is 0 or more");
    }

    /**
     * Every option of every section, by its type: overflow, negative and NaN values are refused at load, each naming the
     * file and the key, instead of being accepted (a size saturated to Long.MAX_VALUE) or failing later mid-command
     * ("long overflow"). The options are taken from their definitions, so an option added later is checked too.
     */
    @Test
    void everyNumericOptionIsRangeCheckedAtLoadNamingTheFileAndKey(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Map<String, List<ConfigOption<?>>> sections = new LinkedHashMap<>();
        sections.put("defaults", TableOptions.ALL);
        sections.put("daemon", DaemonOptions.ALL);
        sections.put("resilience", BackendOptions.RESILIENCE_SECTION.options());
        for (OptionSection backend : BackendOptions.SECTIONS) {
            sections.put("backends." + backend.key(), backend.options());
        }
        Map<OptionType<?>, List<String>> bad = Map.of(
                OptionType.DURATION, List.of("99999999999999999d", "9999999999999d", "99999999999999999999999ms", "36501d",
                        "P36501D", "-PT1S", "PT-1S"),
                OptionType.BYTE_SIZE, List.of("99999999999999999999999B", "99999999999999999999999", "9223372036854775807",
                        "1025TiB", "0B"),
                OptionType.INTEGER, List.of("99999999999", "-99999999999", "-1"),
                OptionType.FRACTION, List.of("NaN", "Infinity", "-Infinity", "1e400"),
                OptionType.DECIMAL, List.of("NaN", "Infinity", "-1", "1e400"),
                OptionType.BACKEND_LIMITS, List.of("{local: 99999999999}", "{local: 0}"));
        int checked = 0;
        Path file = tmp.resolve("agent.yaml");
        for (Map.Entry<String, List<ConfigOption<?>>> section : sections.entrySet()) {
            for (ConfigOption<?> option : section.getValue()) {
                for (String value : bad.getOrDefault(option.type(), List.of())) {
                    Files.writeString(file, yamlAt(section.getKey(), option.key() + ": " + value));
                    String keyPath = section.getKey() + "." + option.key();
                    assertThatThrownBy(() -> loader.load(file)).as(keyPath + ": " + value).isInstanceOf(ConfigException.class)
                            .hasMessageStartingWith(file + ": " + keyPath + ": ");
                    checked++;
                }
            }
        }
        assertThat(checked).as("options checked").isGreaterThan(100);
        // the largest of each still loads
        assertThat(parse("defaults:\n  cooldown: 36500d\n  max-bytes-per-job: 1024TiB").defaultSettings().cooldown())
                .isEqualTo(Duration.ofDays(36_500));
        assertThatThrownBy(() -> parse("defaults:\n  cooldown: 99999999999999999d")).hasMessage("agent.yaml: defaults.cooldown: "
                + "'99999999999999999d' is too long; a duration is at most 36500d (100 years) (expected a duration (ms, s, m, h, d), >= 0)");
        assertThatThrownBy(() -> parse("defaults:\n  target-file-size: 99999999999999999999999B")).hasMessage("agent.yaml: "
                + "defaults.target-file-size: '99999999999999999999999B' is too large; a byte size is at most 1024TiB "
                + "(expected a byte size (B, KiB, MiB, GiB, TiB; KB, MB, GB), >= 1MiB)");
    }

    /** "a.b" places {@code line} under a then b. */
    private static String yamlAt(String section, String line) {
        StringBuilder yaml = new StringBuilder();
        String indent = "";
        for (String part : section.split("\\.")) {
            yaml.append(indent).append(part).append(":\n");
            indent += "  ";
        }
        return yaml.append(indent).append(line).append("\n").toString();
    }

    @Test
    void aKeySetTwiceIsRefusedWithItsFileKeyAndLine(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> parse("defaults:\n  cooldown: 1h\n  min-small-files: 3\n  cooldown: 2h\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("agent.yaml: line 4: key 'defaults.cooldown' is set twice; keep one (YAML keys must be unique in their mapping)");
        assertThatThrownBy(() -> parse("tables:\n  - path: /a\n  - path: /b\n    reader: auto\n    reader: kernel\n"))
                .hasMessageStartingWith("agent.yaml: line 5: key 'tables[1].reader' is set twice");
        assertThatThrownBy(() -> parse("backends:\n  emr:\n    region: a\n    region: b\n"))
                .hasMessageStartingWith("agent.yaml: line 4: key 'backends.emr.region' is set twice");
        assertThatThrownBy(() -> parse("defaults: {}\ndefaults:\n  cooldown: 1h\n"))
                .hasMessageStartingWith("agent.yaml: line 2: key 'defaults' is set twice");
        assertThatThrownBy(() -> parse("hadoop:\n  fs.s3a.endpoint: a\n  fs.s3a.endpoint: b\n"))
                .hasMessageStartingWith("agent.yaml: line 3: key 'hadoop.fs.s3a.endpoint' is set twice");
    }

    /**
     * Through the CLI: an out-of-range config value or a duplicate key stops the command before any table is audited,
     * exit 2 naming the file and key; the command line's durations get the same checks, naming the option.
     */
    @Test
    void theCliRefusesOutOfRangeValuesBeforeAuditingAnything(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path table = Fixtures.copy("spark_optimized", tmp);
        Map<String, String> configs = Map.of(
                "cooldown: 99999999999999999d", "defaults.cooldown: '99999999999999999d' is too long",
                "max-log-read-latency: 9999999999999d", "defaults.max-log-read-latency: '9999999999999d' is too long",
                "target-file-size: 99999999999999999999999B", "defaults.target-file-size: '99999999999999999999999B' is too large",
                "cooldown: 1h\n  cooldown: 2h", "line 3: key 'defaults.cooldown' is set twice");
        for (Map.Entry<String, String> c : configs.entrySet()) {
            Path config = Files.writeString(tmp.resolve("agent.yaml"), "defaults:\n  " + c.getKey() + "\ntables:\n  - path: " + table + "\n");
            for (String command : List.of("audit", "plan", "maintain")) {
                CliRun run = CliRun.of(command, "--config", config.toString());
                assertThat(run.exitCode()).as(command + " " + c.getKey() + ": " + run.err()).isEqualTo(ExitCode.USAGE);
                assertThat(run.err()).contains(config + ": " + c.getValue()).doesNotContain("overflow");
                assertThat(run.out()).as("nothing audited").doesNotContain(table.toString());
            }
        }
        List<String[]> options = new ArrayList<>(List.of(
                new String[] {"report", "--since", "99999999999999999d"},
                new String[] {"report", "--since", "-PT1S"},
                new String[] {"maintain", "--job-timeout", "9999999999999d", table.toString()},
                new String[] {"history", "--limit", "99999999999"}));
        for (String[] args : options) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains(args[1]).containsAnyOf("too long", "is negative", "out of range")
                    .doesNotContain("overflow").doesNotContain("Exception");
        }
    }

    /** A cloud key in the config is refused with the advice of that cloud: Azure's settings, not AWS variables. */
    @Test
    void aRefusedKeyNamesTheSettingsOfItsOwnStore(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("agent.yaml"),
                "hadoop:\n  fs.azure.account.key.lake.dfs.core.windows.net: c2VjcmV0a2V5\n");
        CliRun run = CliRun.of("audit", "--config", config.toString(), "/tmp/events");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(config + ": hadoop.fs.azure.account.key.lake.dfs.core.windows.net: secrets are not read")
                .contains("fs.azure.account.auth.type").contains("hadoop.security.credential.provider.path")
                .doesNotContain("AWS").doesNotContain("c2VjcmV0a2V5");
        assertThatThrownBy(() -> parse("hadoop:\n  fs.gs.auth.client.secret: x")).hasMessageContaining("fs.gs.auth.service.account.json.keyfile")
                .hasMessageNotContaining("AWS");
        assertThatThrownBy(() -> parse("hadoop:\n  fs.s3a.secret.key: x")).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        assertThat(parse("hadoop:\n  fs.azure.account.auth.type: OAuth\n  fs.azure.account.oauth.provider.type: x\n"
                + "  hadoop.security.credential.provider.path: jceks://file/etc/agent.jceks").hadoop()).hasSize(3);
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
