package io.deltaagent.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The daemon's resources over a soak run, sampled at intervals, and the verdict on them: the median heap after a full
 * GC, live threads and open file descriptors of the last third of the run must not exceed the first third's by more than
 * a small allowance. Medians, not maxima: a leak raises the floor, while a burst (a fault's retries, a PostgreSQL
 * restart's reconnects) raises one sample and is gone by the next; the maxima are reported beside them.
 */
final class SoakSamples {

    /** One sample: seconds since the start, heap in use right after a full GC, live threads, open fds. */
    record Sample(long second, long heapAfterGcBytes, long threads, long fds) {
    }

    /** A resource's first and last thirds (their highest samples), and whether it stayed flat. */
    record Trend(String name, long firstThird, long lastThird, long firstMax, long lastMax, long allowance, boolean flat) {
        String describe() {
            return String.format(Locale.ROOT, "%-14s median first third %,d, last third %,d (allowed +%,d; maxima %,d and %,d): %s",
                    name, firstThird, lastThird, allowance, firstMax, lastMax, flat ? "flat" : "GROWING");
        }
    }

    private final List<Sample> samples = new ArrayList<>();

    synchronized void add(Sample s) {
        samples.add(s);
    }

    synchronized List<Sample> all() {
        return List.copyOf(samples);
    }

    /**
     * Heap (+25% or 32 MiB, whichever is more), threads (+20% or 12: cached pools of commit fetchers and audit readers
     * follow the load, 60 s behind), fds (+16), comparing the first and last thirds of the
     * samples taken after {@code warmupSeconds}.
     */
    synchronized List<Trend> trends(long warmupSeconds) {
        List<Sample> judged = samples.stream().filter(s -> s.second() >= warmupSeconds).toList();
        return List.of(
                trend(judged, "heap after GC", Sample::heapAfterGcBytes, 32L << 20, 0.25),
                trend(judged, "threads", Sample::threads, 12, 0.2),
                trend(judged, "open fds", Sample::fds, 16, 0));
    }

    private static Trend trend(List<Sample> samples, String name, ToLongFunction<Sample> value, long minAllowance, double share) {
        int n = samples.size();
        if (n < 3) {
            return new Trend(name, -1, -1, -1, -1, 0, false); // too short to judge is a violation, not a pass
        }
        long[] first = samples.subList(0, n / 3).stream().mapToLong(value).sorted().toArray();
        long[] last = samples.subList(n - n / 3, n).stream().mapToLong(value).sorted().toArray();
        long firstMedian = first[first.length / 2];
        long lastMedian = last[last.length / 2];
        long allowance = Math.max(minAllowance, (long) (firstMedian * share));
        return new Trend(name, firstMedian, lastMedian, first[first.length - 1], last[last.length - 1], allowance,
                lastMedian <= firstMedian + allowance);
    }
}
