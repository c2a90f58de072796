package io.deltaagent.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a synthetic table's history, in counts only: which files each version adds and which
 * earlier files each compaction removes. Version 0 creates the table; every other version is a 30-second
 * streaming micro-batch, except every {@code compactEvery}-th, an OPTIMIZE that rewrites the files the
 * {@code compactWindow} micro-batches after the previous compaction added (so tombstones accumulate, and
 * most of the table stays small streaming files). File ids are dense and in commit order: version v adds
 * ids {@code [firstId[v], firstId[v + 1])}.
 */
final class HistoryPlan {

    /** Compacted files are about this many small files merged into one. */
    static final int COMPACTION_RATIO = 64;

    final int latestVersion;
    final int compactEvery;
    final int compactWindow;
    /** firstId[v]: the first file id version v adds; firstId[latestVersion + 1] is the total. */
    final int[] firstId;

    private HistoryPlan(int latestVersion, int compactEvery, int compactWindow, int[] firstId) {
        this.latestVersion = latestVersion;
        this.compactEvery = compactEvery;
        this.compactWindow = compactWindow;
        this.firstId = firstId;
    }

    boolean isCompaction(int version) {
        return compactEvery > 0 && version >= compactEvery && version % compactEvery == 0;
    }

    /** The versions whose added files compaction {@code version} removes: [from, to). */
    int windowStart(int version) {
        return version - compactEvery + 1;
    }

    int windowEnd(int version) {
        return windowStart(version) + compactWindow;
    }

    /** Removed ids of compaction {@code version}: [removedFrom, removedTo). */
    int removedFrom(int version) {
        return firstId[windowStart(version)];
    }

    int removedTo(int version) {
        return firstId[windowEnd(version)];
    }

    int addedCount(int version) {
        return firstId[version + 1] - firstId[version];
    }

    /**
     * Plans a history whose latest version holds exactly {@code activeFiles} files.
     *
     * @param groupsOf how many partition groups the removed id range of a compaction splits into (a
     *        compaction writes one output file per 64 inputs of each group); null for an unpartitioned table
     */
    static HistoryPlan plan(int activeFiles, int latestVersion, int compactEvery, int compactWindow,
                            CompactionGroups groupsOf) {
        if (compactEvery > 0 && compactWindow >= compactEvery) {
            throw new IllegalArgumentException("--compact-window (" + compactWindow + ") must be below --compact-every ("
                    + compactEvery + ")");
        }
        int appendCommits = 0;
        for (int v = 1; v <= latestVersion; v++) {
            if (!(compactEvery > 0 && v >= compactEvery && v % compactEvery == 0)) {
                appendCommits++;
            }
        }
        long appended = activeFiles;
        HistoryPlan plan = null;
        for (int attempt = 0; attempt < 12 && appended >= 0; attempt++) {
            plan = distribute(appended, appendCommits, latestVersion, compactEvery, compactWindow, groupsOf);
            long diff = activeFiles - plan.activeAt(latestVersion);
            if (diff == 0) {
                return plan;
            }
            if (attempt >= 6 && plan.adjustLastAppend(diff)) {
                return plan; // rounding of compaction outputs can oscillate: the last micro-batch takes the rest
            }
            appended += diff;
        }
        throw new IllegalArgumentException("cannot plan " + activeFiles + " active files over " + latestVersion
                + " versions with compaction every " + compactEvery + " versions; use more files or fewer versions");
    }

    private static HistoryPlan distribute(long appended, int appendCommits, int latestVersion, int compactEvery,
                                          int compactWindow, CompactionGroups groupsOf) {
        int[] firstId = new int[latestVersion + 2];
        HistoryPlan plan = new HistoryPlan(latestVersion, compactEvery, compactWindow, firstId);
        long next = 0;
        int appendIndex = 0;
        firstId[0] = 0;
        firstId[1] = 0; // version 0 creates the table and adds nothing
        for (int v = 1; v <= latestVersion; v++) {
            long adds;
            if (plan.isCompaction(v)) {
                adds = groupsOf.outputs(plan, v); // its window's ids are already placed
            } else {
                adds = (appended * (appendIndex + 1)) / appendCommits - (appended * appendIndex) / appendCommits;
                appendIndex++;
            }
            next += adds;
            if (next > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("too many files: " + next);
            }
            firstId[v + 1] = (int) next;
        }
        return plan;
    }

    /** Adds {@code diff} files to the newest micro-batch (never compacted: compactions rewrite older ones). */
    private boolean adjustLastAppend(long diff) {
        int v = latestVersion;
        while (v > 0 && isCompaction(v)) {
            v--;
        }
        if (v == 0 || addedCount(v) + diff < 0 || (compactEvery > 0 && v < latestVersion)) {
            return false;
        }
        for (int u = v + 1; u <= latestVersion + 1; u++) {
            firstId[u] += (int) diff;
        }
        return true;
    }

    long activeAt(int version) {
        long active = firstId[version + 1];
        for (int v = 1; v <= version; v++) {
            if (isCompaction(v)) {
                active -= removedTo(v) - removedFrom(v);
            }
        }
        return active;
    }

    long tombstonesAt(int version) {
        long removed = 0;
        for (int v = 1; v <= version; v++) {
            if (isCompaction(v)) {
                removed += removedTo(v) - removedFrom(v);
            }
        }
        return removed;
    }

    /** The compactions at or before {@code version}, oldest first. */
    List<Integer> compactionsUpTo(int version) {
        List<Integer> out = new ArrayList<>();
        for (int v = 1; v <= version; v++) {
            if (isCompaction(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** How many output files compaction {@code version} writes: one per 64 inputs of each partition group. */
    @FunctionalInterface
    interface CompactionGroups {
        int outputs(HistoryPlan plan, int compactionVersion);
    }
}
