package io.deltaagent.jobs.result;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a vacuum run did or, for a dry run, would do.
 *
 * @param dryRun true when nothing was deleted
 * @param retention the requested retention as given ({@code 168h}, {@code 7d}, ...)
 * @param retentionHours the retention handed to Delta: whole hours, rounded up from {@code retention}
 * @param floorHours the safety floor: the larger of 7 days and the table's {@code delta.deletedFileRetentionDuration}
 * @param belowFloorAllowed true when {@code --unsafe-allow-retention-below-floor} was given
 * @param filesToDelete how many files Delta found eligible for deletion (dry run and real run)
 * @param bytesToDelete their total size
 * @param filesDeleted files actually deleted (real run; null for a dry run or when Delta did not log the vacuum)
 * @param directoriesVacuumed directories Delta walked (real run, from the VACUUM END commit)
 * @param files the eligible files (dry run only), at most {@link #FILE_LIST_CAP}
 * @param filesTruncated true when {@code files} was cut at the cap
 */
@JsonPropertyOrder({"dryRun", "retention", "retentionHours", "floorHours", "belowFloorAllowed", "filesToDelete",
        "bytesToDelete", "filesDeleted", "directoriesVacuumed", "files", "filesTruncated"})
public record VacuumDetails(
        boolean dryRun,
        String retention,
        long retentionHours,
        long floorHours,
        boolean belowFloorAllowed,
        Long filesToDelete,
        Long bytesToDelete,
        Long filesDeleted,
        Long directoriesVacuumed,
        List<String> files,
        boolean filesTruncated) {

    /** The most file paths a dry-run result lists; {@code filesToDelete} always has the full count. */
    public static final int FILE_LIST_CAP = 1000;

    public VacuumDetails {
        files = files == null ? null : List.copyOf(files);
        if (files != null && files.size() > FILE_LIST_CAP) {
            throw new IllegalArgumentException("at most " + FILE_LIST_CAP + " files are listed, got " + files.size());
        }
    }
}
