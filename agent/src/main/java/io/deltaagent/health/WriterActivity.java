package io.deltaagent.health;

import java.time.Instant;

/**
 * Writer cadence and maintenance history, from the newest commits' commitInfo.
 *
 * @param commitsLast24h commits whose files were written in the last 24 hours (from the listing, exact; from the
 *                       in-commit timestamps on a table that has them)
 * @param filesAddedLast24h files added by those commits, counted from the commits read
 * @param commitsRead how many commit files were read (at most the history depth)
 * @param historyComplete true when every commit of the last 24 hours was read
 * @param lastOptimize null when none was found in the commits read
 */
public record WriterActivity(
        Instant lastCommitTime,
        long commitsLast24h,
        long filesAddedLast24h,
        long commitsRead,
        boolean historyComplete,
        HistoryEvent lastOptimize,
        HistoryEvent lastVacuum,
        HistoryEvent lastWrite) {
}
