package io.deltaagent.daemon;

import io.deltaagent.audit.AuditOutcome;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the daemon's audit cycles can do their work, for {@code /readyz}: a schedule whose last cycle audited tables
 * and saw every one of them time out (its storage stalls or is unreachable) makes the daemon not ready until a cycle of
 * it audits a table again. A cycle with some tables timing out and others audited is ready: the healthy ones are served.
 */
final class CycleHealth {

    /** The last finished cycle of one schedule. */
    record LastCycle(Instant endedAt, int audits, int timedOut) {
    }

    private final Map<String, LastCycle> bySchedule = new ConcurrentHashMap<>();

    void finished(String schedule, java.util.List<AuditOutcome> outcomes, Instant endedAt) {
        int timedOut = (int) outcomes.stream().filter(AuditOutcome::timedOut).count();
        bySchedule.put(schedule, new LastCycle(endedAt, outcomes.size(), timedOut));
    }

    /** Why the cycles cannot do their work, or empty when they can. */
    Optional<String> problem() {
        return bySchedule.entrySet().stream()
                .filter(e -> e.getValue().audits() > 0 && e.getValue().timedOut() == e.getValue().audits())
                .findFirst()
                .map(e -> "every audit of the last cycle of schedule '" + e.getKey() + "' (" + e.getValue().audits()
                        + " table" + (e.getValue().audits() == 1 ? "" : "s") + ", ended " + e.getValue().endedAt()
                        + ") timed out: its storage stalls or is unreachable");
    }
}
