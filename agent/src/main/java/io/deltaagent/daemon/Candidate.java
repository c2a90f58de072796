package io.deltaagent.daemon;

import io.deltaagent.config.TableSettings;
import io.deltaagent.plan.PlannedAction;
import java.util.Objects;

/**
 * One action a table's audit found due, waiting for admission.
 *
 * @param gain how far past its threshold the table is (measured / limit of the strongest breach): the
 *             tables that gain most from maintenance go first
 * @param why the gain in words, for logs and /api/tables
 */
public record Candidate(String table, PlannedAction action, TableSettings settings, String backend, double gain, String why) {
    public Candidate {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(backend, "backend");
    }

    public String actionName() {
        return action.action().name();
    }
}
