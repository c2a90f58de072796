package io.deltaagent.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates active files as they stream past: totals, small files, a size histogram and per-partition
 * counts. It keeps no file objects: 8 bytes per file for the exact median, and one small entry per
 * partition.
 */
public final class FileStatsAccumulator {

    private static final long MIB = 1024L * 1024L;
    /** Histogram bucket lower bounds; the last bucket is open-ended. */
    static final long[] BOUNDS = {0, MIB, 8 * MIB, 32 * MIB, 64 * MIB, 128 * MIB, 256 * MIB, 1024 * MIB};

    private final SmallFileRule rule;
    /** Ascending; a file below thresholds[i] is small under candidate i (one candidate unless the target is adaptive). */
    private final long[] thresholds;
    private final int minSmallFiles;
    private final int worstLimit;
    private final List<String> partitionColumns;

    private final long[] bucketFiles = new long[BOUNDS.length];
    private final long[] bucketBytes = new long[BOUNDS.length];
    /**
     * Per partition (keyed by its values in column order): files, bytes, newest mtime, then small files and small bytes
     * for each candidate threshold.
     */
    private final Map<List<String>, long[]> partitions = new HashMap<>();
    private long[] sizes = new long[1024];
    private long files;
    private long totalBytes;
    private final long[] smallFiles;
    private final long[] smallBytes;

    public FileStatsAccumulator(SmallFileRule rule, int minSmallFiles, int worstLimit, List<String> partitionColumns) {
        this.rule = rule;
        this.thresholds = rule.thresholds();
        this.smallFiles = new long[thresholds.length];
        this.smallBytes = new long[thresholds.length];
        this.minSmallFiles = minSmallFiles;
        this.worstLimit = worstLimit;
        this.partitionColumns = List.copyOf(partitionColumns);
    }

    public void add(long size, Map<String, String> partitionValues, long modificationTime) {
        add(size, partitionValues, modificationTime, 0L);
    }

    /**
     * Adds a file and, once {@link #trackNewest()} was called, remembers which files hold each partition's newest
     * modification time (by {@code keyHash}), so that removing files later keeps that figure exact or says it cannot.
     */
    public void add(long size, Map<String, String> partitionValues, long modificationTime, long keyHash) {
        if (sizeCount == sizes.length) {
            sizes = Arrays.copyOf(sizes, sizes.length * 2);
        }
        sizes[(int) sizeCount++] = size;
        files++;
        totalBytes += size;
        int bucket = BOUNDS.length - 1;
        while (size < BOUNDS[bucket]) {
            bucket--;
        }
        bucketFiles[bucket]++;
        bucketBytes[bucket] += size;

        List<String> key = partitionKey(partitionValues);
        long[] p = partitions.computeIfAbsent(key, k -> new long[3 + 2 * thresholds.length]);
        if (newest != null) {
            Newest n = newest.computeIfAbsent(key, k -> new Newest());
            if (p[0] == 0 || modificationTime > p[2]) {
                n.holders.clear();
                n.unknown = false;
            }
            if (p[0] == 0 || modificationTime >= p[2]) {
                n.holders.add(keyHash);
                n.unknown = false;
            }
        }
        p[0]++;
        p[1] += size;
        p[2] = Math.max(p[2], modificationTime);
        for (int i = thresholds.length - 1; i >= 0 && size < thresholds[i]; i--) {
            smallFiles[i]++;
            smallBytes[i] += size;
            p[3 + 2 * i]++;
            p[4 + 2 * i] += size;
        }
    }

    /** The files holding a partition's newest modification time; unknown once they were all removed. */
    private static final class Newest {
        final java.util.Set<Long> holders = new java.util.HashSet<>(2);
        boolean unknown;
    }

    /** Per partition, while tracking; null otherwise. */
    private Map<List<String>, Newest> newest;
    /** Sizes of removed files, taken out of {@link #sizes} when the result is next computed. */
    private long[] removedSizes = new long[16];
    private int removed;
    private long sizeCount;

    /** Starts remembering the files that hold each partition's newest modification time (before the first add). */
    public void trackNewest() {
        newest = new HashMap<>();
    }

    /**
     * Removes a file added before, known by its size, partition values and key hash.
     *
     * @return false when the figures cannot stay exact: no such partition, or (while tracking) the partition's newest
     *         file is gone and which of the others is newest is not known
     */
    public boolean remove(long size, Map<String, String> partitionValues, long keyHash) {
        List<String> key = partitionKey(partitionValues);
        long[] p = partitions.get(key);
        if (p == null || p[0] == 0 || p[1] < size) {
            return false;
        }
        if (removed == removedSizes.length) {
            removedSizes = Arrays.copyOf(removedSizes, removed * 2);
        }
        removedSizes[removed++] = size;
        files--;
        totalBytes -= size;
        int bucket = BOUNDS.length - 1;
        while (size < BOUNDS[bucket]) {
            bucket--;
        }
        bucketFiles[bucket]--;
        bucketBytes[bucket] -= size;
        p[0]--;
        p[1] -= size;
        for (int i = thresholds.length - 1; i >= 0 && size < thresholds[i]; i--) {
            smallFiles[i]--;
            smallBytes[i] -= size;
            p[3 + 2 * i]--;
            p[4 + 2 * i] -= size;
        }
        if (p[0] == 0) {
            partitions.remove(key);
            if (newest != null) {
                newest.remove(key);
            }
        } else if (newest != null) {
            Newest n = newest.get(key);
            if (n != null && n.holders.remove(keyHash) && n.holders.isEmpty()) {
                n.unknown = true;
            }
        }
        return true;
    }

    /** Bytes held for the median and per partition, roughly, for memory budgets. */
    public long retainedBytes() {
        return sizes.length * 8L + removedSizes.length * 8L + partitions.size() * 200L;
    }

    /** Drops the spare room of the sizes kept for the median (a kept accumulator then holds 8 bytes per file). */
    public void trim() {
        settleRemoved();
        if (sizes.length > sizeCount) {
            sizes = Arrays.copyOf(sizes, (int) Math.max(16, sizeCount));
        }
    }

    /** Whether every partition's newest modification time is known (always, unless files were removed). */
    public boolean newestKnown() {
        return newest == null || newest.values().stream().noneMatch(n -> n.unknown);
    }

    private List<String> partitionKey(Map<String, String> values) {
        if (partitionColumns.isEmpty()) {
            return List.of();
        }
        List<String> key = new ArrayList<>(partitionColumns.size());
        for (String column : partitionColumns) {
            key.add(values.get(column));
        }
        return key;
    }

    private static PartitionStat stat(List<String> partitionColumns, List<String> key, long[] p, int t) {
        Map<String, String> values = new LinkedHashMap<>();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < partitionColumns.size(); i++) {
            values.put(partitionColumns.get(i), key.get(i));
            name.append(i == 0 ? "" : "/").append(partitionColumns.get(i)).append('=')
                    .append(key.get(i) == null ? "__HIVE_DEFAULT_PARTITION__" : key.get(i));
        }
        return new PartitionStat(name.toString(), values, p[0], p[1], p[3 + 2 * t], p[4 + 2 * t], Instant.ofEpochMilli(p[2]));
    }

    /**
     * Takes the removed files' sizes out of the sizes kept for the median.
     *
     * @throws IllegalStateException when a removed size was never added (the caller's removes do not match its adds)
     */
    private void settleRemoved() {
        if (removed == 0) {
            return;
        }
        long[] kept = Arrays.copyOf(sizes, (int) sizeCount);
        long[] gone = Arrays.copyOf(removedSizes, removed);
        Arrays.sort(kept);
        Arrays.sort(gone);
        long[] out = new long[Math.max(16, kept.length - gone.length)];
        int o = 0;
        int g = 0;
        for (long v : kept) {
            if (g < gone.length && gone[g] == v) {
                g++;
            } else {
                if (g < gone.length && gone[g] < v) {
                    throw new IllegalStateException("a removed file of " + gone[g] + " bytes was never added");
                }
                out[o++] = v;
            }
        }
        if (g < gone.length) {
            throw new IllegalStateException("a removed file of " + gone[g] + " bytes was never added");
        }
        sizes = out;
        sizeCount = o;
        removed = 0;
    }

    public FileStats result() {
        settleRemoved();
        long median = 0;
        if (files > 0) {
            long[] copy = Arrays.copyOf(sizes, (int) files);
            int mid = (int) (files / 2);
            long upper = Selection.nth(copy, mid);
            // after selecting the mid-th, everything below it is at most it: the lower middle is their maximum
            median = files % 2 == 1 ? upper : (Selection.max(copy, 0, mid) + upper) / 2;
        }
        List<SizeBucket> histogram = new ArrayList<>();
        for (int i = 0; i < BOUNDS.length; i++) {
            histogram.add(new SizeBucket(BOUNDS[i], i + 1 < BOUNDS.length ? BOUNDS[i + 1] : -1, bucketFiles[i], bucketBytes[i]));
        }
        int t = rule.choose(totalBytes);
        int small = 3 + 2 * t;
        long breaching = partitions.values().stream().filter(p -> p[small] >= minSmallFiles).count();
        long maxSmall = partitions.values().stream().mapToLong(p -> p[small]).max().orElse(0);
        List<PartitionStat> ranked = partitionColumns.isEmpty() ? List.of() : partitions.entrySet().stream()
                .filter(e -> e.getValue()[small] > 0)
                .map(e -> stat(partitionColumns, e.getKey(), e.getValue(), t))
                .sorted(Comparator.comparingLong(PartitionStat::smallFiles).reversed().thenComparing(PartitionStat::partition))
                .toList();
        List<PartitionStat> worst = ranked.stream().limit(worstLimit).toList();
        List<PartitionStat> candidates = ranked.stream().filter(p -> p.smallFiles() >= minSmallFiles).toList();
        long partitionCount = partitionColumns.isEmpty() ? 0 : partitions.size();
        return new FileStats(files, totalBytes, files == 0 ? 0 : totalBytes / files, median, thresholds[t],
                smallFiles[t], smallBytes[t], maxSmall, histogram, partitionCount, breaching, worst, candidates);
    }
}
