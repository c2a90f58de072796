package io.deltaagent.daemon;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The latest {@link TableState} per table, shared by the scheduler's jobs and the HTTP API. Thread-safe. */
public final class TableStates {

    private final Map<String, TableState> states = new ConcurrentHashMap<>();

    public void put(TableState state) {
        states.put(state.table(), state);
    }

    public void decisions(String table, List<String> lines) {
        states.computeIfPresent(table, (t, s) -> s.withDecisions(lines));
    }

    /** Every table, sorted by path. */
    public List<TableState> all() {
        return List.copyOf(new TreeMap<>(states).values());
    }
}
