package io.deltaagent.plan;

import io.deltaagent.config.ByteSize;
import io.deltaagent.policy.MaintenanceAction;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's prediction beside what it did: files and bytes rewritten and files written, from the operation metrics of
 * the commits the job made (read back from the log), and the table's files after, re-measured. Write amplification
 * is bytes rewritten over the small-file bytes the plan counted (1.0 when only small files were rewritten).
 *
 * @param filesRewritten null until the run ended, or when its commits could not be read back
 * @param deviation why the run is flagged (actual beyond the tolerance of the prediction), null when it is not
 */
public record PlanCheck(
        long plannedFilesRewritten,
        long plannedBytesRewritten,
        long plannedFilesWritten,
        long plannedSmallFileBytes,
        long plannedFilesAfter,
        Long filesRewritten,
        Long bytesRewritten,
        Long filesWritten,
        Long bytesWritten,
        Long filesAfter,
        Double writeAmplification,
        String deviation) {

    /** The prediction alone, before the run ends. */
    public static PlanCheck planned(Expectation e) {
        return new PlanCheck(e.filesRewritten(), e.bytesRewritten(), e.filesWritten(), e.smallFileBytes(), e.filesAfter(),
                null, null, null, null, null, null, null);
    }

    /**
     * Compares a finished run with its prediction. Only rewrites (OPTIMIZE) are judged: files rewritten and files
     * written may differ by one file or by {@code tolerance} of the prediction, bytes rewritten may not exceed it by more
     * than {@code tolerance}. Files after are reported, not judged: other writers may have committed meanwhile.
     *
     * @param actual the commits' metrics, or null when they could not be read (nothing is judged then)
     * @param filesAfter the table's active files re-measured after the run, or null
     */
    public PlanCheck judged(MaintenanceAction action, CommitMetrics actual, Long filesAfter, double tolerance) {
        PlanCheck e = this;
        if (actual == null) {
            return new PlanCheck(e.plannedFilesRewritten(), e.plannedBytesRewritten(), e.plannedFilesWritten(),
                    e.plannedSmallFileBytes(), e.plannedFilesAfter(), null, null, null, null, filesAfter, null, null);
        }
        Double amplification = e.plannedSmallFileBytes() > 0 ? (double) actual.bytesRemoved() / e.plannedSmallFileBytes() : null;
        String deviation = null;
        if (action == MaintenanceAction.OPTIMIZE || action == MaintenanceAction.OPTIMIZE_ZORDER) {
            List<String> off = new ArrayList<>();
            if (beyond(actual.filesRemoved(), e.plannedFilesRewritten(), tolerance)) {
                off.add("rewrote " + actual.filesRemoved() + " files, planned " + e.plannedFilesRewritten());
            }
            if (actual.bytesRemoved() > Math.ceil(e.plannedBytesRewritten() * (1 + tolerance))) {
                off.add("rewrote " + ByteSize.format(actual.bytesRemoved()) + ", planned " + ByteSize.format(e.plannedBytesRewritten()));
            }
            if (beyond(actual.filesAdded(), e.plannedFilesWritten(), tolerance)) {
                off.add("wrote " + actual.filesAdded() + " files, planned about " + e.plannedFilesWritten());
            }
            deviation = off.isEmpty() ? null : String.join("; ", off) + " (prediction-tolerance " + Math.round(tolerance * 100) + "%)";
        }
        return new PlanCheck(e.plannedFilesRewritten(), e.plannedBytesRewritten(), e.plannedFilesWritten(),
                e.plannedSmallFileBytes(), e.plannedFilesAfter(), actual.filesRemoved(), actual.bytesRemoved(), actual.filesAdded(), actual.bytesAdded(), filesAfter, amplification,
                deviation);
    }

    /**
     * What a run that did part of its work (cancelled after it committed) did, from its commits' metrics, beside the
     * prediction; not judged, and no write amplification (its prediction was for the whole work).
     */
    public PlanCheck partly(CommitMetrics actual, Long filesAfter) {
        return new PlanCheck(plannedFilesRewritten, plannedBytesRewritten, plannedFilesWritten, plannedSmallFileBytes,
                plannedFilesAfter, actual.filesRemoved(), actual.bytesRemoved(), actual.filesAdded(), actual.bytesAdded(), filesAfter,
                null, null);
    }

    private static boolean beyond(long actual, long planned, double tolerance) {
        return Math.abs(actual - planned) > Math.max(1.0, tolerance * planned);
    }
}
