package io.deltaagent.cli;

import io.deltaagent.config.ByteSize;
import io.deltaagent.config.Durations;
import io.deltaagent.store.HealthFigures;
import java.io.PrintStream;
import java.util.Locale;

/** The figures maintenance moves, before or after: what {@code maintain} and {@code history} compare. */
record Summary(long version, long files, long averageBytes, long smallFiles, long commitsSinceCheckpoint,
               long logObjects, long snapshotMillis) {

    /** The shown part of a table's figures (as measured, {@link HealthFigures#of}, or as stored); null when absent. */
    static Summary of(HealthFigures h) {
        return h == null ? null : new Summary(h.version(), h.files(), h.averageBytes(), h.smallFiles(), h.commitsSinceCheckpoint(),
                h.logObjects(), h.snapshotMillis());
    }

    static String change(long before, long after) {
        if (before == 0) {
            return after == 0 ? "0%" : "n/a";
        }
        return String.format(Locale.ROOT, "%+.1f%%", 100.0 * (after - before) / before);
    }

    static void printComparison(Summary b, Summary a, PrintStream out) {
        out.printf("  %-26s %12s -> %-12s %s%n", "version", b.version(), a.version(), "");
        out.printf("  %-26s %12d -> %-12d %s%n", "files", b.files(), a.files(), change(b.files(), a.files()));
        out.printf("  %-26s %12s -> %-12s %s%n", "average file size", ByteSize.format(b.averageBytes()),
                ByteSize.format(a.averageBytes()), change(b.averageBytes(), a.averageBytes()));
        out.printf("  %-26s %12d -> %-12d %s%n", "small files", b.smallFiles(), a.smallFiles(), change(b.smallFiles(), a.smallFiles()));
        out.printf("  %-26s %12d -> %-12d %s%n", "commits since checkpoint", b.commitsSinceCheckpoint(), a.commitsSinceCheckpoint(),
                change(b.commitsSinceCheckpoint(), a.commitsSinceCheckpoint()));
        out.printf("  %-26s %12d -> %-12d %s%n", "_delta_log objects", b.logObjects(), a.logObjects(), change(b.logObjects(), a.logObjects()));
        out.printf("  %-26s %12s -> %-12s %s%n", "log read (cold snapshot)", Durations.humanMillis(b.snapshotMillis()),
                Durations.humanMillis(a.snapshotMillis()), change(b.snapshotMillis(), a.snapshotMillis()));
    }
}
