package io.deltaagent.jobs.run;

import io.deltaagent.jobs.result.LogDetails;
import io.deltaagent.jobs.result.VacuumDetails;
import java.util.List;

/**
 * What one successful attempt of an action did.
 *
 * @param versionBefore the table version the attempt started from
 * @param versionAfter the table's latest version when the attempt finished (may include other writers' commits)
 * @param commitVersion the version this attempt committed, or null when it committed nothing
 * @param filesRemoved data files the attempt removed from the table (or deleted, for vacuum); null if unknown
 * @param filesAdded data files it added
 * @param bytesRemoved bytes of the removed files, null when Delta did not report them
 * @param bytesAdded bytes of the added files
 * @param partitionsOptimized partitions OPTIMIZE rewrote (optimize only)
 * @param log checkpoint details (checkpoint only)
 * @param vacuum vacuum details (vacuum only)
 * @param commitVersions every version this attempt committed, oldest first (several when OPTIMIZE commits in batches)
 */
public record ActionOutcome(
        long versionBefore,
        long versionAfter,
        Long commitVersion,
        Long filesRemoved,
        Long filesAdded,
        Long bytesRemoved,
        Long bytesAdded,
        Long partitionsOptimized,
        LogDetails log,
        VacuumDetails vacuum,
        List<Long> commitVersions) {

    /** An attempt that committed at most once. */
    public ActionOutcome(long versionBefore, long versionAfter, Long commitVersion, Long filesRemoved, Long filesAdded,
                         Long bytesRemoved, Long bytesAdded, Long partitionsOptimized, LogDetails log, VacuumDetails vacuum) {
        this(versionBefore, versionAfter, commitVersion, filesRemoved, filesAdded, bytesRemoved, bytesAdded, partitionsOptimized,
                log, vacuum, commitVersion == null ? List.of() : List.of(commitVersion));
    }

    public ActionOutcome {
        commitVersions = List.copyOf(commitVersions);
        if (versionAfter < versionBefore) {
            throw new IllegalArgumentException("versionAfter " + versionAfter + " < versionBefore " + versionBefore);
        }
        for (Long count : new Long[] {filesRemoved, filesAdded, bytesRemoved, bytesAdded}) {
            if (count != null && count < 0) {
                throw new IllegalArgumentException("file and byte counts must be >= 0");
            }
        }
    }
}
