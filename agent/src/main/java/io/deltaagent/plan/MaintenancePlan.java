package io.deltaagent.plan;

import java.util.List;
import java.util.Objects;

/**
 * The actions a table needs, in the order to run them, planned from one audit at {@code tableVersion}.
 *
 * @param notes why something that was due is not planned (every candidate partition hot, ...)
 */
public record MaintenancePlan(String table, long tableVersion, List<PlannedAction> actions, List<String> notes) {
    public MaintenancePlan {
        Objects.requireNonNull(table, "table");
        actions = List.copyOf(actions);
        notes = List.copyOf(notes);
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
