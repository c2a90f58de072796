package io.deltaagent.daemon;

import io.deltaagent.config.TableSettings;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.policy.Breach;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Orders due actions by what they gain: the breach furthest past its threshold, as a multiple of the
 * threshold (150 small files against min-small-files 50 gains 3.0; a 30 s log read against 10 s gains 3.0).
 * Unit-free, so small files, slow log reads and tombstones compare; ties go to the table name, so the order is
 * stable and can be explained line by line.
 */
public final class Ranking {

    private Ranking() {
    }

    public static Candidate candidate(String table, PlannedAction action, TableSettings settings, String backend) {
        Breach strongest = null;
        double gain = 0;
        for (Breach b : action.reasons()) {
            double g = b.limit() <= 0 ? b.measured() : (double) b.measured() / b.limit();
            if (strongest == null || g > gain) {
                strongest = b;
                gain = g;
            }
        }
        String why = String.format(Locale.ROOT, "gain %.1fx: %s %d %s against %d", gain, strongest.threshold(),
                strongest.measured(), strongest.unit(), strongest.limit());
        return new Candidate(table, action, settings, backend, gain, why);
    }

    public static List<Candidate> rank(List<Candidate> candidates) {
        List<Candidate> ranked = new ArrayList<>(candidates);
        ranked.sort(Comparator.comparingDouble(Candidate::gain).reversed()
                .thenComparing(Candidate::table)
                .thenComparing(c -> c.action().action().ordinal()));
        return ranked;
    }
}
