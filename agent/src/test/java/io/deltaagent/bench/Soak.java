package io.deltaagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.testing.LatencyProxy;
import io.deltaagent.testing.LatencyProxy.Fault;
import io.deltaagent.testing.PostgresTestServer;
import io.deltaagent.testing.StandaloneTables;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The soak run of scripts/soak: the real daemon ({@code scripts/delta-agent daemon}, audit-only) over many small tables
 * in two buckets of S3Proxy behind the fault-injecting {@link LatencyProxy}, its history in a PostgreSQL of its own,
 * while writers append Delta Standalone commits and faults come in turn: {@code 503 SlowDown} on one bucket, connection
 * resets, latency spikes, a PostgreSQL restart. Afterwards every table must be audited at its true version and file
 * count, no run left open, the history's latest audit of each table at that version, and the daemon's heap after GC,
 * threads and open file descriptors flat (first third against last third). Prints a summary; exit 1 on any violation.
 */
@CommandLine.Command(name = "Soak", mixinStandardHelpOptions = true)
public final class Soak implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] BUCKETS = {"soak-a", "soak-b"};

    @Option(names = "--duration", defaultValue = "10m", description = "how long faults and writers run (e.g. 3m, 15m, 1h)")
    String duration;
    @Option(names = "--tables", defaultValue = "40", description = "tables, split over two buckets")
    int tables;
    @Option(names = "--interval-s", defaultValue = "5", description = "seconds between audit cycles (divides 60)")
    int intervalSeconds;
    @Option(names = "--sample-s", defaultValue = "10", description = "seconds between resource samples (each forces a full GC)")
    int sampleSeconds;
    @Option(names = "--warmup-s", defaultValue = "60",
            description = "seconds at the start not judged for flatness: bounded pools (16 HTTP workers, the commit fetchers and "
                    + "audit readers, cached for 60 s) fill up then")
    int warmupSeconds;
    @Option(names = "--fault-period-s", defaultValue = "60", description = "seconds of one round of faults")
    int faultPeriod;
    @Option(names = "--work", required = true, description = "where the store, config, logs are kept")
    Path work;
    @Option(names = "--agent", required = true, description = "the launcher: scripts/delta-agent")
    Path agent;
    @Option(names = "--s3proxy-jar", required = true)
    Path s3proxyJar;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Soak()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Duration length = io.deltaagent.config.Durations.parse(duration);
        Files.createDirectories(work);
        Path store = Files.createTempDirectory(work, "soak-");
        List<String> violations = new ArrayList<>();
        PostgresTestServer pg = PostgresTestServer.own();
        try (S3BenchServer s3 = S3BenchServer.start(s3proxyJar, store, BUCKETS[0], Duration.ofMillis(5))) {
            Map<String, Path> onDisk = new LinkedHashMap<>();
            Map<String, long[]> expected = new java.util.concurrent.ConcurrentHashMap<>(); // {version, files}
            for (int i = 0; i < tables; i++) {
                String bucket = BUCKETS[i % 2];
                Path dir = store.resolve("store").resolve(bucket).resolve("t" + i);
                var w = StandaloneTables.write(dir, 2, 3, 1_000_000, 0, 0);
                String uri = "s3a://" + bucket + "/t" + i;
                onDisk.put(uri, dir);
                expected.put(uri, new long[] {w.version(), w.files()});
            }
            Path config = config(store, s3, onDisk.keySet());
            ProcessBuilder pb = new ProcessBuilder(List.of(agent.toString(), "daemon", "--config", config.toString(),
                    "--history-db", pg.jdbcUrl(), "--work-dir", store.resolve("jobs").toString()))
                    .redirectOutput(store.resolve("daemon.out").toFile()).redirectError(store.resolve("daemon.log").toFile());
            pb.environment().put("AWS_ACCESS_KEY_ID", S3BenchServer.ACCESS_KEY);
            pb.environment().put("AWS_SECRET_ACCESS_KEY", S3BenchServer.SECRET_KEY);
            pb.environment().put("DELTA_AGENT_DB_USER", "agent");
            System.err.printf(Locale.ROOT, "soak: %d tables, %s, daemon starting (%s)%n", tables, length, store);
            Process daemon = pb.start();
            SoakSamples samples = new SoakSamples();
            long faultsInjected;
            try {
                URI base = FleetBench.awaitListening(store.resolve("daemon.out"), daemon);
                Map<String, Integer> threadsAtStart = null;
                // the HTTP server's 16 workers start one per request until all are there: its steady state, not growth
                for (int i = 0; i < 20; i++) {
                    FleetBench.get(base.resolve("healthz"));
                }
                long t0 = System.nanoTime();
                long end = t0 + length.toNanos();
                Random random = new Random(42);
                long nextSample = t0;
                long nextWrite = t0;
                int restarts = 0;
                int appends = 0;
                int round = -1;
                while (System.nanoTime() < end) {
                    if (!daemon.isAlive()) {
                        violations.add("the daemon exited with " + daemon.exitValue() + " during the run");
                        break;
                    }
                    long now = System.nanoTime();
                    long second = TimeUnit.NANOSECONDS.toSeconds(now - t0);
                    int r = (int) (second / faultPeriod);
                    if (r != round) {
                        round = r;
                        restarts += faultRound(s3.proxy(), pg, r);
                    }
                    if (now >= nextWrite) {
                        // a writer appends to a random table: one Delta Standalone commit of 2 files
                        List<String> names = new ArrayList<>(onDisk.keySet());
                        String t = names.get(random.nextInt(names.size()));
                        var log = io.delta.standalone.DeltaLog.forTable(new org.apache.hadoop.conf.Configuration(), onDisk.get(t).toString());
                        var txn = log.startTransaction();
                        long v = log.update().getVersion() + 1;
                        txn.commit(List.of(
                                new io.delta.standalone.actions.AddFile("part-w" + v + "-0.parquet", Map.of(), 500_000, System.currentTimeMillis(), true, null, null),
                                new io.delta.standalone.actions.AddFile("part-w" + v + "-1.parquet", Map.of(), 500_001, System.currentTimeMillis(), true, null, null)),
                                new io.delta.standalone.Operation(io.delta.standalone.Operation.Name.WRITE), "soak-writer");
                        long[] e = expected.get(t);
                        expected.put(t, new long[] {log.update().getVersion(), e[1] + 2});
                        appends++;
                        nextWrite = now + TimeUnit.SECONDS.toNanos(2);
                    }
                    if (now >= nextSample) {
                        samples.add(sample(base, daemon.pid(), second));
                        if (threadsAtStart == null && second >= 10) {
                            threadsAtStart = threadGroups(daemon.pid());
                        }
                        nextSample = now + TimeUnit.SECONDS.toNanos(sampleSeconds);
                    }
                    Thread.sleep(200);
                }
                s3.proxy().clearFaults();
                faultsInjected = s3.proxy().injected(Fault.SLOW_DOWN) + s3.proxy().injected(Fault.RESET)
                        + s3.proxy().injected(Fault.LATENCY_SPIKE);
                samples.add(sample(base, daemon.pid(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)));
                // faults over, writers stopped: within the backoff's ceiling and a few cycles every table must be current
                JsonNode states = awaitCurrent(base, expected, Duration.ofMinutes(3), violations);
                checkHistory(pg.jdbcUrl(), expected, violations);
                ObjectNode summary = JSON.createObjectNode();
                summary.put("tables", tables);
                summary.put("seconds", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
                summary.put("appends", appends);
                summary.put("postgresRestarts", restarts);
                summary.put("slowDowns", s3.proxy().injected(Fault.SLOW_DOWN));
                summary.put("resets", s3.proxy().injected(Fault.RESET));
                summary.put("latencySpikes", s3.proxy().injected(Fault.LATENCY_SPIKE));
                summary.put("throttledAudits", metric(base, "deltaagent_storage_throttled_total"));
                summary.put("deferredAudits", metric(base, "deltaagent_storage_deferred_total"));
                summary.put("cycles", cycles(store.resolve("daemon.log")));
                summary.put("samples", samples.all().size());
                // which threads there are more of at the end than 10 s in, by name with digits dropped: where a leak is
                Map<String, Integer> threadsAtEnd = threadGroups(daemon.pid());
                summary.put("s3aThreadPools", s3aPools(daemon.pid()));
                ObjectNode grown = summary.putObject("threadsGrown");
                for (var e : threadsAtEnd.entrySet()) {
                    int before = threadsAtStart == null ? 0 : threadsAtStart.getOrDefault(e.getKey(), 0);
                    if (e.getValue() > before) {
                        grown.put(e.getKey(), e.getValue() - before);
                    }
                }
                for (SoakSamples.Trend t : samples.trends(warmupSeconds)) {
                    ObjectNode n = summary.putObject(t.name().replace(' ', '_'));
                    n.put("firstThirdMedian", t.firstThird());
                    n.put("lastThirdMedian", t.lastThird());
                    n.put("firstThirdMax", t.firstMax());
                    n.put("lastThirdMax", t.lastMax());
                    n.put("flat", t.flat());
                    System.out.println("soak: " + t.describe());
                    if (!t.flat()) {
                        violations.add(t.describe());
                    }
                }
                if (faultsInjected == 0) {
                    violations.add("no fault was injected: the run was too short for one round (--fault-period-s " + faultPeriod + ")");
                }
                summary.put("tablesCurrent", states == null ? 0 : tables - violations.stream().filter(v -> v.startsWith("s3a://")).count());
                summary.putPOJO("violations", violations);
                summary.putPOJO("series", samples.all());
                Files.writeString(work.resolve("soak-summary.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
                System.out.println(JSON.writeValueAsString(summary));
                daemon.destroy();
                if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                    violations.add("the daemon did not stop within 60 s of SIGTERM");
                } else if (daemon.exitValue() != 0 && daemon.exitValue() != 143) {
                    violations.add("the daemon exited with " + daemon.exitValue() + " on SIGTERM");
                }
            } finally {
                daemon.destroyForcibly();
            }
        } finally {
            pg.stop();
        }
        violations.forEach(v -> System.out.println("soak: VIOLATION: " + v));
        System.out.println(violations.isEmpty() ? "soak: OK" : "soak: FAILED (" + violations.size() + " violations)");
        return violations.isEmpty() ? 0 : 1;
    }

    /** One round of faults, in turn: SlowDown on one bucket, resets, latency spikes, a PostgreSQL restart. */
    private int faultRound(LatencyProxy proxy, PostgresTestServer pg, int round) {
        proxy.clearFaults();
        Duration window = Duration.ofSeconds(Math.max(5, faultPeriod / 2));
        switch (round % 4) {
            case 0 -> proxy.inject(Fault.SLOW_DOWN, BUCKETS[1], 1.0, window);
            case 1 -> proxy.inject(Fault.RESET, null, 0.1, window);
            case 2 -> proxy.injectSpike(Duration.ofMillis(500), null, 0.2, window);
            default -> {
                System.err.println("soak: restarting PostgreSQL");
                pg.stop();
                sleep(Duration.ofSeconds(3));
                pg.start();
                return 1;
            }
        }
        System.err.printf(Locale.ROOT, "soak: fault round %d: %s for %s%n", round, List.of("slowdown", "resets", "spikes").get(round % 4), window);
        return 0;
    }

    private Path config(Path store, S3BenchServer s3, java.util.Collection<String> uris) throws IOException {
        java.time.LocalTime closed = java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusHours(12).withSecond(0).withNano(0);
        String window = closed.format(java.time.format.DateTimeFormatter.ofPattern("HH:mm")) + "-"
                + closed.plusMinutes(1).format(java.time.format.DateTimeFormatter.ofPattern("HH:mm"));
        StringBuilder yaml = new StringBuilder("defaults:\n")
                .append("  audit-schedule: \"0/").append(intervalSeconds).append(" * * * * ?\"\n")
                .append("  max-log-read-latency: 10m\n")
                .append("  optimize-window: \"").append(window).append("\"\n")
                .append("  checkpoint-window: \"").append(window).append("\"\n")
                .append("  vacuum-window: \"").append(window).append("\"\n")
                .append("daemon:\n  max-concurrent-audits: 4\n  http-address: 127.0.0.1:0\n  instance-id: soak\n")
                .append("  throttle-backoff: 5s\n  max-throttle-backoff: 30s\n")
                .append("tables:\n");
        uris.forEach(u -> yaml.append("  - ").append(u).append('\n'));
        yaml.append("hadoop:\n");
        Map<String, String> conf = new LinkedHashMap<>(s3.s3aSettings(true));
        conf.put("fs.s3a.retry.throttle.limit", "2");
        conf.put("fs.s3a.retry.throttle.interval", "100ms");
        // idle S3A transfer threads end after 5 s instead of 60 s: threads still there at the end are held, not idle
        conf.put("fs.s3a.threads.keepalivetime", "5s");
        conf.forEach((k, v) -> {
            if (!k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key")) {
                yaml.append("  ").append(k).append(": \"").append(v).append("\"\n");
            }
        });
        return Files.writeString(store.resolve("agent.yaml"), yaml);
    }

    /** Heap after a full GC (jcmd GC.run, then the heap pools in /metrics), live threads (/metrics), fds (/proc). */
    private static SoakSamples.Sample sample(URI base, long pid, long second) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gc.waitFor(60, TimeUnit.SECONDS);
        String metrics = FleetBench.get(base.resolve("metrics"));
        long heap = FleetBench.heapSum(metrics, "jvm_memory_used_bytes");
        long threads = (long) value(metrics, "jvm_threads_live_threads");
        long fds;
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = s.count();
        }
        return new SoakSamples.Sample(second, heap, threads, fds);
    }

    /** The daemon's threads by name with digits replaced by '#' (jcmd Thread.print), so pools count as one name. */
    private static Map<String, Integer> threadGroups(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Map<String, Integer> groups = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            groups.merge(m.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        return groups;
    }

    /** Distinct S3A transfer pools alive (one pair per S3A FileSystem instance): growing means instances leak. */
    private static long s3aPools(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        java.util.Set<String> pools = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("\"(s3a-transfer-[^\"]*?-pool\\d+)-t\\d+\"").matcher(text);
        while (m.find()) {
            pools.add(m.group(1));
        }
        return pools.size();
    }

    /** Waits until every table is audited at its expected version and file count; what is still not is a violation. */
    private static JsonNode awaitCurrent(URI base, Map<String, long[]> expected, Duration timeout, List<String> violations)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> wrong = List.of();
        JsonNode states = null;
        while (System.nanoTime() < deadline) {
            states = JSON.readTree(FleetBench.get(base.resolve("api/tables")));
            wrong = new ArrayList<>();
            Map<String, JsonNode> byTable = new LinkedHashMap<>();
            states.forEach(s -> byTable.put(s.get("table").asText(), s));
            for (var e : expected.entrySet()) {
                JsonNode s = byTable.get(e.getKey());
                String status = s == null ? "absent" : s.get("status").asText();
                JsonNode h = s == null ? null : s.get("health");
                boolean current = h != null && !h.isNull() && (status.equals("HEALTHY") || status.equals("MAINTENANCE_DUE"))
                        && h.get("identity").get("version").asLong() == e.getValue()[0]
                        && h.get("files").get("activeFiles").asLong() == e.getValue()[1];
                if (!current) {
                    wrong.add(e.getKey() + ": " + status + (h == null || h.isNull() ? "" : ", version "
                            + h.get("identity").get("version").asLong() + " files " + h.get("files").get("activeFiles").asLong())
                            + " where the table has version " + e.getValue()[0] + " files " + e.getValue()[1]
                            + (s == null || s.get("error").isNull() ? "" : " (" + s.get("error").asText() + ")"));
                }
            }
            if (wrong.isEmpty()) {
                return states;
            }
            Thread.sleep(1000);
        }
        violations.addAll(wrong);
        return states;
    }

    /** No run left open; the history's newest audit sample of each table is at the table's version. */
    private static void checkHistory(String jdbcUrl, Map<String, long[]> expected, List<String> violations) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "agent", "")) {
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM maintenance_run WHERE state IN ('SUBMITTED', 'RUNNING')")) {
                rs.next();
                if (rs.getLong(1) != 0) {
                    violations.add(rs.getLong(1) + " runs left open in the history database");
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT s.table_path, s.table_version FROM audit_sample s "
                    + "WHERE s.table_version IS NOT NULL AND s.sampled_at = (SELECT max(sampled_at) FROM audit_sample x "
                    + "WHERE x.table_path = s.table_path AND x.table_version IS NOT NULL)")) {
                Map<String, Long> latest = new LinkedHashMap<>();
                while (rs.next()) {
                    latest.put(rs.getString(1), rs.getLong(2));
                }
                for (var e : expected.entrySet()) {
                    Long v = latest.get(e.getKey());
                    if (v == null || v != e.getValue()[0]) {
                        violations.add(e.getKey() + ": the history's latest audit is at version " + v + ", the table at " + e.getValue()[0]);
                    }
                }
            }
        }
    }

    private static int cycles(Path log) throws IOException {
        Matcher m = Pattern.compile("audit cycle '[^']*': tables=").matcher(Files.readString(log));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static double metric(URI base, String name) throws IOException {
        String text = FleetBench.get(base.resolve("metrics"));
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static double value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
