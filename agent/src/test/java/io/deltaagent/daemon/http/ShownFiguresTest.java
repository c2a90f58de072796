package io.deltaagent.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.store.HealthFigures;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A run's figures in /api/history read as they always have: the same keys in the same order, nothing more. */
@Tag("fast")
class ShownFiguresTest {

    @Test
    void aRunsFiguresAreWrittenAsTheApiHasAlwaysShownThem() throws Exception {
        ObjectMapper json = HttpApi.withShownFigures(new ObjectMapper());
        HealthFigures before = new HealthFigures(7, 150, 3_000_000, 20_000, 140, 9, 12, 4, 35);

        String row = json.writeValueAsString(new java.util.LinkedHashMap<>(Map.of("before", before)));

        assertThat(row).isEqualTo("{\"before\":{\"version\":7,\"files\":150,\"totalBytes\":3000000,\"averageBytes\":20000,"
                + "\"smallFiles\":140,\"commitsSinceCheckpoint\":9,\"logObjects\":12}}");
        assertThat(new ObjectMapper().writeValueAsString(before)).as("other writers keep every figure")
                .contains("\"tombstones\":4").contains("\"snapshotMillis\":35");
    }
}
