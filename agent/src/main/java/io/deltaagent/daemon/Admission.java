package io.deltaagent.daemon;

import io.deltaagent.config.DaemonSettings;
import io.deltaagent.config.MaintenanceWindow;
import io.deltaagent.store.ActionClaim;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which ranked candidates start now: one action per table at a time, only inside the action's
 * window, and no more jobs than the overall and per-backend caps (counting every daemon's jobs in flight).
 * Pure: the time and the jobs in flight are arguments, so tests need no clock or database.
 */
public final class Admission {

    private Admission() {
    }

    /**
     * What else may keep an open window's candidate waiting (the day's budget): asked after the window and before the caps,
     * so a candidate it defers takes no job slot; told of each candidate admitted.
     */
    public interface Gate {
        Gate NONE = new Gate() {
            @Override
            public java.util.Optional<String> refusal(Candidate c) {
                return java.util.Optional.empty();
            }

            @Override
            public void admitted(Candidate c) {
            }
        };

        /** Why {@code c} must wait, or empty. */
        java.util.Optional<String> refusal(Candidate c);

        void admitted(Candidate c);
    }

    /** Decisions in rank order for {@code ranked} (best first), given the claims already in flight. */
    public static List<Decision> decide(List<Candidate> ranked, List<ActionClaim> inFlight, DaemonSettings settings, Instant now) {
        return decide(ranked, inFlight, settings, now, Gate.NONE);
    }

    /** {@link #decide(List, List, DaemonSettings, Instant)} with a {@code gate} (the budget) between the window and the caps. */
    public static List<Decision> decide(List<Candidate> ranked, List<ActionClaim> inFlight, DaemonSettings settings, Instant now,
                                        Gate gate) {
        Map<String, String> busyTables = new HashMap<>();
        Map<String, Integer> perBackend = new HashMap<>();
        for (ActionClaim c : inFlight) {
            busyTables.putIfAbsent(c.table(), c.action() + " (admitted " + c.claimedAt().truncatedTo(ChronoUnit.SECONDS)
                    + " by " + c.owner() + (c.runId() == null ? "" : ", run " + c.runId()) + ")");
            perBackend.merge(c.backend(), 1, Integer::sum);
        }
        int running = inFlight.size();
        List<Decision> out = new ArrayList<>();
        int rank = 0;
        for (Candidate c : ranked) {
            rank++;
            String busy = busyTables.get(c.table());
            MaintenanceWindow window = c.action().action().windowIn(c.settings());
            int onBackend = perBackend.getOrDefault(c.backend(), 0);
            Decision d;
            java.util.Optional<String> gated;
            if (busy != null) {
                d = new Decision(c, rank, Decision.Verdict.IN_FLIGHT, "the table is busy with " + busy);
            } else if (!window.isOpen(now)) {
                d = new Decision(c, rank, Decision.Verdict.WINDOW_CLOSED, "its window " + window + " UTC is closed at "
                        + LocalTime.ofInstant(now, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES) + " UTC");
            } else if ((gated = gate.refusal(c)).isPresent()) {
                d = new Decision(c, rank, Decision.Verdict.BUDGET, gated.get());
            } else if (running >= settings.maxConcurrentJobs()) {
                d = new Decision(c, rank, Decision.Verdict.CAPPED, "all " + settings.maxConcurrentJobs()
                        + " job slots are busy (max-concurrent-jobs)");
            } else if (onBackend >= settings.maxJobsOn(c.backend())) {
                d = new Decision(c, rank, Decision.Verdict.CAPPED, "all " + settings.maxJobsOn(c.backend()) + " slots of backend "
                        + c.backend() + " are busy (max-concurrent-jobs-per-backend)");
            } else {
                d = new Decision(c, rank, Decision.Verdict.ADMITTED, running + 1 + " of " + settings.maxConcurrentJobs()
                        + " job slots, " + (onBackend + 1) + " of " + settings.maxJobsOn(c.backend()) + " on " + c.backend());
                running++;
                perBackend.merge(c.backend(), 1, Integer::sum);
                busyTables.put(c.table(), c.actionName() + " (admitted now)");
                gate.admitted(c);
            }
            out.add(d);
        }
        return out;
    }
}
