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
 * @param forecast its predicted gain and cost (what a budget ranks and spends by), or null when not forecast
 * @param version the table version it was planned at, or null
 */
public record Candidate(String table, PlannedAction action, TableSettings settings, String backend, double gain, String why,
                        Forecast forecast, Long version) {
    public Candidate {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(backend, "backend");
    }

    public Candidate(String table, PlannedAction action, TableSettings settings, String backend, double gain, String why) {
        this(table, action, settings, backend, gain, why, null, null);
    }

    /** This candidate with its forecast, planned at table version {@code at}. */
    public Candidate with(Forecast f, long at) {
        return new Candidate(table, action, settings, backend, gain, why, f, at);
    }

    public String actionName() {
        return action.action().name();
    }
}
