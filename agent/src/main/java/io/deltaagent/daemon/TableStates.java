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

    /** A re-audit after a job, which knows no catalog: the table keeps the catalog's name its audit found. */
    public void putKeepingCatalog(TableState state) {
        states.merge(state.table(), state, (old, next) -> next.catalog() == null && old.catalog() != null
                ? next.withCatalog(old.catalog()) : next);
    }

    /**
     * A table whose audit was not started this cycle (its bucket throttled or its request budget spent): it keeps its last
     * audit's figures, under {@code status} and {@code reason}.
     */
    public void deferred(String table, String schedule, java.time.Instant now, String status, String reason) {
        states.merge(table, new TableState(table, schedule, now, status, null, List.of(), null, List.of(), reason),
                (old, next) -> new TableState(table, schedule, old.auditedAt(), status, old.health(), old.breaches(), old.plan(),
                        List.of(), reason, old.catalog()));
    }

    public void decisions(String table, List<String> lines) {
        states.computeIfPresent(table, (t, s) -> s.withDecisions(lines));
    }

    /** The tables of {@code schedule} last audited before {@code cycleStart} (a cycle of it that began then skipped them). */
    public java.util.Set<String> unseen(String schedule, java.time.Instant cycleStart) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        states.values().stream().filter(s -> s.schedule().equals(schedule) && s.auditedAt().isBefore(cycleStart))
                .forEach(s -> out.add(s.table()));
        return out;
    }

    /** Drops {@code tables}. */
    public void remove(java.util.Collection<String> tables) {
        tables.forEach(states::remove);
    }

    /** Drops the tables whose schedule is not one of {@code schedules} (after a reload). Returns the tables dropped. */
    public java.util.Set<String> retainSchedules(java.util.Collection<String> schedules) {
        return removeIf(s -> !schedules.contains(s.schedule()));
    }

    private java.util.Set<String> removeIf(java.util.function.Predicate<TableState> gone) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        states.values().removeIf(s -> {
            boolean g = gone.test(s);
            if (g) {
                out.add(s.table());
            }
            return g;
        });
        return out;
    }

    /** Every table, sorted by path. */
    public List<TableState> all() {
        return List.copyOf(new TreeMap<>(states).values());
    }
}
