package io.deltaagent.daemon;

import io.deltaagent.error.DeltaAgentException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which tables a finished cycle no longer audits because they went away (removed from the config, gone from
 * their discovery root, or dropped from their catalog), so their state and gauges can be dropped. A discovery root that cannot be listed now retires
 * nothing: its tables were skipped, not removed, and their ageing last-audit time is the signal operators need.
 */
final class Retirement {

    private static final Logger LOG = LoggerFactory.getLogger(Retirement.class);

    private Retirement() {
    }

    /** The tables of {@code schedule} that the cycle begun at {@code cycleStart} did not audit and that are gone. */
    static Set<String> gone(ConfigGeneration g, TableStates states, String schedule, Instant cycleStart) {
        Set<String> unseen = states.unseen(schedule, cycleStart);
        if (unseen.isEmpty()) {
            return unseen;
        }
        Set<String> present = new TreeSet<>();
        g.config().tables().forEach(t -> present.add(t.path()));
        for (String root : g.config().discoverRoots()) {
            try {
                present.addAll(g.discovery().discover(root));
            } catch (DeltaAgentException e) {
                LOG.warn("{}; its tables keep their last state until it can be listed again", e.getMessage());
                return Set.of();
            }
        }
        if (g.usesCatalogs()) {
            // a table that left its catalog is gone like one whose path is; a catalog that did not answer retires nothing
            var catalogs = g.catalogTables();
            if (!catalogs.complete()) {
                LOG.warn("a catalog could not be read; its tables keep their last state until it answers again");
                return Set.of();
            }
            present.addAll(catalogs.entries().keySet());
        }
        Set<String> gone = new TreeSet<>(unseen);
        gone.removeAll(present);
        return gone;
    }
}
