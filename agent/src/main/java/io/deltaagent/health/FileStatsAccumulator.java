package io.deltaagent.health;

import io.deltaagent.config.SmallFileRule;
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
        if (files == sizes.length) {
            sizes = Arrays.copyOf(sizes, sizes.length * 2);
        }
        sizes[(int) files] = size;
        files++;
        totalBytes += size;
        int bucket = BOUNDS.length - 1;
        while (size < BOUNDS[bucket]) {
            bucket--;
        }
        bucketFiles[bucket]++;
        bucketBytes[bucket] += size;

        long[] p = partitions.computeIfAbsent(partitionKey(partitionValues), k -> new long[3 + 2 * thresholds.length]);
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

    public FileStats result() {
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
