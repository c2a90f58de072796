package io.deltaagent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.storage.TablePaths;
import java.nio.file.Path;

/**
 * What the fast lifecycle tests share: a small Delta table written by Delta Standalone whose small files make OPTIMIZE due
 * (no Spark), and a config that plans it at once.
 */
public final class LifecycleSetup {

    /** Files per partition of {@link #smallFilesTable}: 3 commits of 4 files spread over the partitions. */
    public static final int COMMITS = 3;

    private LifecycleSetup() {
    }

    /**
     * A table of 12 files of about 1 kB under {@code dir}, over {@code partitions} values of {@code date} (0: unpartitioned),
     * at version 2; returns its canonical name.
     */
    public static String smallFilesTable(Path dir, int partitions) {
        StandaloneTables.write(dir, COMMITS, 4, 1000, partitions, 0);
        return TablePaths.canonical(dir.toString());
    }

    /** {@link #config(String, String)} with no cooldown and nothing more. */
    public static AgentConfig config() {
        return config("0s", "");
    }

    /**
     * Defaults under which that table needs OPTIMIZE now (5 small files due, no hot-partition window), one partition per
     * job, the given {@code cooldown}, plus {@code extra} YAML (e.g. a daemon: section).
     */
    public static AgentConfig config(String cooldown, String extra) {
        return new ConfigLoader().parse("lifecycle.yaml", "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n"
                + "  min-small-files: 5\n  max-partitions-per-job: 1\n  cooldown: " + cooldown + "\n" + extra);
    }

    /** The agent's JSON for stored health: ISO instants. */
    public static ObjectMapper json() {
        return new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
