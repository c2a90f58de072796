package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.ReadCost;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.StandaloneTables;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a daemon keeps of each table between cycles: the re-audit's baseline holds figures and key hashes, not the
 * data files the commits after the checkpoint added (a daemon of 1,000 tables kept 308,000 of them, with their paths
 * and partition maps, most of its live heap).
 */
@Tag("fast")
class BaselineRetentionTest {

    @Test
    void theBaselineHoldsNoDataFilePathOfTheCommitsAfterTheCheckpoint(@TempDir Path tmp) {
        Path table = tmp.resolve("t");
        // checkpoint at version 5 (interval 5), then 3 commits of 50 files each and one removing 10 files after it
        StandaloneTables.Written written = StandaloneTables.write(table, 9, 50, 100, 2, 10);
        TableLocation location = TableLocation.of(table.toString());
        IncrementalLogReader.Baselines baselines = new IncrementalLogReader.Baselines(64 << 20);
        IncrementalLogReader reader = new IncrementalLogReader(new HadoopStorage(new Configuration()), Clock.systemUTC(), Duration.ofHours(24),
                baselines);
        TableHealth full = reader.read(location, SettingsThresholds.of(TableSettings.defaults()));
        assertThat(full.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(full.log().commitsSinceCheckpoint()).isPositive();
        assertThat(full.tombstones().count()).isEqualTo(written.removed()).isPositive();

        AuditBaseline baseline = baselines.take(location.path().toString());
        assertThat(baseline).isNotNull();
        List<String> strings = reachableStrings(baseline);
        assertThat(strings).isNotEmpty().noneMatch(s -> s.contains("part-"));

        // and the re-audit from it still reports what a full read does
        baselines.keep(location.path().toString(), baseline);
        TableHealth again = reader.read(location, SettingsThresholds.of(TableSettings.defaults()));
        assertThat(again.readCost().mode()).isEqualTo(ReadCost.UNCHANGED);
        assertThat(again.files()).isEqualTo(full.files());
        assertThat(again.tombstones().count()).isEqualTo(full.tombstones().count());
        assertThat(again.tombstones().bytes()).isEqualTo(full.tombstones().bytes());
    }

    /** Every String reachable from {@code root} through the agent's own objects, arrays, collections and maps. */
    private static List<String> reachableStrings(Object root) {
        List<String> out = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            if (o == null || !seen.add(o)) {
                continue;
            }
            Class<?> c = o.getClass();
            if (o instanceof String s) {
                out.add(s);
            } else if (o instanceof CharSequence s) {
                out.add(s.toString());
            } else if (c.isArray()) {
                if (!c.getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(o); i++) {
                        Object v = Array.get(o, i);
                        if (v != null) {
                            todo.add(v);
                        }
                    }
                }
            } else if (o instanceof Map<?, ?> m) {
                todo.addAll(m.keySet().stream().filter(java.util.Objects::nonNull).toList());
                m.values().stream().filter(java.util.Objects::nonNull).forEach(todo::add);
            } else if (o instanceof Collection<?> col) {
                col.stream().filter(java.util.Objects::nonNull).forEach(todo::add);
            } else if (c.getName().startsWith("io.deltaagent.")) {
                for (Class<?> k = c; k != null && k.getName().startsWith("io.deltaagent."); k = k.getSuperclass()) {
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                            continue;
                        }
                        f.setAccessible(true);
                        try {
                            Object v = f.get(o);
                            if (v != null) {
                                todo.add(v);
                            }
                        } catch (IllegalAccessException e) {
                            throw new AssertionError(e);
                        }
                    }
                }
            } else if (c.getName().startsWith("org.apache.parquet.io.api.Binary")) {
                out.add(o.toString());
            }
        }
        return out;
    }
}
