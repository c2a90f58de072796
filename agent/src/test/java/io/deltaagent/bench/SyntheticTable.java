package io.deltaagent.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Everything about a synthetic table that follows from its settings and seed: commit times, and each
 * file's path, partition, size and statistics, derived from its id (so nothing is held in memory per file
 * and two runs with the same settings write the same bytes, modification times included).
 */
final class SyntheticTable {

    static final long BATCH_MILLIS = 30_000;
    static final String[] COUNTRIES = {"AR", "BR", "DE", "ES", "FR", "GB", "IN", "JP", "MX", "US"};

    final GeneratorSettings settings;
    final HistoryPlan plan;
    private final long endMillis;
    private final String[] versionDate;

    SyntheticTable(GeneratorSettings settings) {
        this.settings = settings;
        this.endMillis = settings.endTime().toEpochMilli();
        this.versionDate = new String[settings.latestVersion() + 1];
        for (int v = 0; v <= settings.latestVersion(); v++) {
            versionDate[v] = LocalDate.ofInstant(Instant.ofEpochMilli(commitMillis(v)), ZoneOffset.UTC).toString();
        }
        this.plan = HistoryPlan.plan(settings.activeFiles(), settings.latestVersion(), settings.compactEvery(),
                settings.compactWindow(), (p, v) -> outputCount(groups(p, v)));
    }

    long commitMillis(int version) {
        return endMillis - (long) (settings.latestVersion() - version) * BATCH_MILLIS;
    }

    String tableId() {
        return uuid(-1).toString();
    }

    String appId() {
        return uuid(-2).toString();
    }

    int versionOf(int id) {
        int lo = 0;
        int hi = plan.latestVersion;
        int[] first = plan.firstId;
        while (lo < hi) { // the last version whose first id is <= id
            int mid = (lo + hi + 1) >>> 1;
            if (first[mid] <= id) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A streaming micro-batch file: mostly 1-8 MiB (log-normal around 3 MiB). */
    SyntheticFile appendedFile(int id) {
        int version = versionOf(id);
        SplittableRandom r = random(id);
        double mib = Math.exp(Math.log(3.0) + 0.6 * gaussian(r));
        long size = Math.max(200_000L, Math.min(32L << 20, (long) (mib * (1 << 20))));
        return file(id, version, versionDate[version], size, id - plan.firstId[version]);
    }

    /** The files compaction {@code version} writes, in id order. */
    List<SyntheticFile> compactionOutputs(int version) {
        List<SyntheticFile> out = new ArrayList<>();
        int id = plan.firstId[version];
        int task = 0;
        for (Group g : groups(plan, version)) {
            long bytes = 0;
            for (int i = g.fromId; i < g.toId; i++) {
                bytes += appendedFile(i).size();
            }
            int outputs = outputs(g);
            for (int k = 0; k < outputs; k++) {
                out.add(file(id++, version, g.date, bytes / outputs, task++));
            }
        }
        return out;
    }

    private SyntheticFile file(int id, int version, String date, long size, int task) {
        SplittableRandom r = random(id);
        String name = String.format("part-%05d-%s.c000.snappy.parquet", task, uuid(id));
        String path = settings.partitioned() ? "date=" + date + "/" + name : name;
        long time = commitMillis(version);
        long rows = Math.max(1, size / 50);
        long minEvent = (long) id * 1_000_000L;
        long minUser = r.nextLong(1_000);
        long maxUser = 999_000 + r.nextLong(1_000);
        String minTime = Instant.ofEpochMilli(time - BATCH_MILLIS).toString();
        String maxTime = Instant.ofEpochMilli(time - 1).toString();
        String stats = "{\"numRecords\":" + rows
                + ",\"minValues\":{\"event_id\":" + minEvent + ",\"user_id\":" + minUser
                + ",\"event_time\":\"" + minTime + "\",\"amount\":" + (r.nextInt(100) / 100.0)
                + ",\"country\":\"" + COUNTRIES[r.nextInt(3)] + "\"}"
                + ",\"maxValues\":{\"event_id\":" + (minEvent + rows - 1) + ",\"user_id\":" + maxUser
                + ",\"event_time\":\"" + maxTime + "\",\"amount\":" + (9_000 + r.nextInt(1_000) + 0.99)
                + ",\"country\":\"" + COUNTRIES[7 + r.nextInt(3)] + "\"}"
                + ",\"nullCount\":{\"event_id\":0,\"user_id\":0,\"event_time\":0,\"amount\":" + r.nextInt(3)
                + ",\"country\":0}}";
        return new SyntheticFile(path, settings.partitioned() ? date : null, size, time, stats);
    }

    /** The removed range of compaction {@code version}, split by the partition its files belong to. */
    List<Group> groups(HistoryPlan p, int version) {
        List<Group> groups = new ArrayList<>();
        int from = p.windowStart(version);
        int to = p.windowEnd(version);
        int v = from;
        while (v < to) {
            int w = v;
            while (w < to && (!settings.partitioned() || versionDate[w].equals(versionDate[v]))) {
                w++;
            }
            if (p.firstId[w] > p.firstId[v]) {
                groups.add(new Group(versionDate[v], p.firstId[v], p.firstId[w]));
            }
            v = w;
        }
        return groups;
    }

    private static int outputCount(List<Group> groups) {
        int n = 0;
        for (Group g : groups) {
            n += outputs(g);
        }
        return n;
    }

    private static int outputs(Group g) {
        return (g.toId - g.fromId + HistoryPlan.COMPACTION_RATIO - 1) / HistoryPlan.COMPACTION_RATIO;
    }

    String dateOfVersion(int version) {
        return versionDate[version];
    }

    private SplittableRandom random(long id) {
        return new SplittableRandom(mix(settings.seed() * 0x9E3779B97F4A7C15L + id));
    }

    private UUID uuid(long id) {
        long a = mix(settings.seed() ^ (id * 0xC2B2AE3D27D4EB4FL));
        long b = mix(a + 0x165667B19E3779F9L);
        return new UUID((a & ~0xF000L) | 0x4000L, (b & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    record Group(String date, int fromId, int toId) {
    }
}
