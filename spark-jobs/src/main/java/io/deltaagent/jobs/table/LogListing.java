package io.deltaagent.jobs.table;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files under a table's {@code _delta_log/} at one moment, by path relative to it, with their sizes.
 */
public record LogListing(Map<String, Long> sizes) {
    public LogListing {
        sizes = Map.copyOf(sizes);
    }

    public int objects() {
        return sizes.size();
    }

    public long bytes() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Files listed here that {@code later} no longer has. */
    public Set<String> goneIn(LogListing later) {
        Map<String, Long> gone = new TreeMap<>(sizes);
        gone.keySet().removeAll(later.sizes().keySet());
        return gone.keySet();
    }
}
