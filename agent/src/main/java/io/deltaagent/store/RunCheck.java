package io.deltaagent.store;

/**
 * A run's prediction beside what it did, as stored in its row (the planned_* and actual_* columns): the store's own copy
 * of the figures of a judged plan, so the store needs nothing of the planner. Component names are those of the API's
 * and {@code history --json}'s {@code check} object.
 *
 * @param filesRewritten null until the run ended, or when its commits could not be read back
 * @param deviation why the run is flagged (actual beyond the tolerance of the prediction), null when it is not
 */
public record RunCheck(
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
}
