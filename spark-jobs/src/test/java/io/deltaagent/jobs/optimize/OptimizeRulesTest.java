package io.deltaagent.jobs.optimize;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.jobs.error.InvalidInputException;
import io.deltaagent.jobs.table.TableState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizeRulesTest {
    private static TableState table(List<String> partitionColumns) {
        return new TableState("s3a://lake/events", "s3a://lake/events", 3, partitionColumns,
                List.of("id", "customer_id", "payload", "payload.kind", "event_date"), 100, 10, Duration.ofDays(30),
                Duration.ofDays(7), Duration.ofDays(2), true);
    }

    @Test
    void wherePassesOnPartitionColumnsInAnyCase() {
        assertThatCode(() -> OptimizeRules.checkWhere(table(List.of("event_date")), "EVENT_DATE > '2024'",
                List.of("EVENT_DATE"))).doesNotThrowAnyException();
        assertThatCode(() -> OptimizeRules.checkWhere(table(List.of("event_date")), "true", List.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void whereFailsOnDataColumnsUnknownColumnsAndUnpartitionedTables() {
        assertThatThrownBy(() -> OptimizeRules.checkWhere(table(List.of("event_date")), "id = 1", List.of("id")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("s3a://lake/events: --where 'id = 1' references column 'id', which is not a partition "
                        + "column; OPTIMIZE's WHERE may only use partition columns: [event_date].");
        assertThatThrownBy(() -> OptimizeRules.checkWhere(table(List.of("event_date")), "payload.kind = 'x'",
                List.of("payload.kind"))).hasMessageContaining("'payload.kind', which is not a partition column");
        assertThatThrownBy(() -> OptimizeRules.checkWhere(table(List.of("event_date")), "dt = 1", List.of("dt")))
                .hasMessageContaining("'dt', which the table does not have");
        assertThatThrownBy(() -> OptimizeRules.checkWhere(table(List.of()), "id = 1", List.of("id")))
                .hasMessageStartingWith("s3a://lake/events: --where 'id = 1' cannot be used: the table is not "
                        + "partitioned");
    }

    @Test
    void zOrderTakesDataColumnsIncludingNestedOnes() {
        assertThatCode(() -> OptimizeRules.checkZOrder(table(List.of("event_date")),
                List.of("customer_id", "Payload.Kind"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> OptimizeRules.checkZOrder(table(List.of("event_date")), List.of("event_date")))
                .hasMessage("s3a://lake/events: --zorder-by column 'event_date' is a partition column; Z-ordering "
                        + "sorts data within each partition, so name data columns instead: "
                        + "[id, customer_id, payload, payload.kind].");
        assertThatThrownBy(() -> OptimizeRules.checkZOrder(table(List.of("event_date")), List.of("nope")))
                .hasMessage("s3a://lake/events: --zorder-by column 'nope' does not exist in the table; its data "
                        + "columns are [id, customer_id, payload, payload.kind].");
    }
}
