package io.deltaagent.deltalog.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key-hash set re-audits keep, against java.util's set, through growth and deletions in clustered slots. */
class LongSetTest {

    @Test
    void behavesAsASetThroughGrowthAndDeletion() {
        Random random = new Random(42);
        LongSet set = new LongSet();
        Set<Long> truth = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            // a small range, so removes hit members and probe runs collide; 0 included (the empty-slot marker)
            long v = random.nextInt(20_000) - 10;
            if (random.nextInt(3) == 0) {
                assertThat(set.remove(v)).isEqualTo(truth.remove(v));
            } else {
                assertThat(set.add(v)).isEqualTo(truth.add(v));
            }
            if (i % 1000 == 0) {
                assertThat(set.size()).isEqualTo(truth.size());
            }
        }
        for (long v = -10; v < 20_000; v++) {
            assertThat(set.contains(v)).as("member %d", v).isEqualTo(truth.contains(v));
        }
    }

    @Test
    void fileKeysAreTheSameFromACheckpointRowAndACommit() {
        String path = "date=2024-01-01/part-00000-ü.snappy.parquet";
        assertThat(FileKeys.of(org.apache.parquet.io.api.Binary.fromString(path), null)).isEqualTo(FileKeys.of(path, null));
        assertThat(FileKeys.of(path, "u@1")).isNotEqualTo(FileKeys.of(path, null)).isNotEqualTo(FileKeys.of(path, "u@2"));
    }
}
