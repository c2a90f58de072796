package io.deltaagent.plan;

import java.util.List;
import java.util.Objects;

/**
 * The actions a table needs, in the order to run them, planned from one audit at {@code tableVersion}.
 *
 * @param notes why something that was due is not planned (every candidate partition hot, ...)
 * @param notMaintainable why the agent maintains nothing of this table here (catalog-managed, a writer feature the
 *                        job runtime does not support); null when it may. Such a plan has no actions
 */
public record MaintenancePlan(String table, long tableVersion, List<PlannedAction> actions, List<String> notes,
                              String notMaintainable) {
    public MaintenancePlan {
        Objects.requireNonNull(table, "table");
        actions = List.copyOf(actions);
        notes = List.copyOf(notes);
        if (notMaintainable != null && !actions.isEmpty()) {
            throw new IllegalArgumentException(table + ": a plan for a table not maintainable here has no actions");
        }
    }

    public MaintenancePlan(String table, long tableVersion, List<PlannedAction> actions, List<String> notes) {
        this(table, tableVersion, actions, notes, null);
    }

    /** A plan of nothing, saying why the table is not maintainable here. */
    public static MaintenancePlan notMaintainable(String table, long tableVersion, String why) {
        return new MaintenancePlan(table, tableVersion, List.of(), List.of(), why);
    }

    public boolean maintainable() {
        return notMaintainable == null;
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
