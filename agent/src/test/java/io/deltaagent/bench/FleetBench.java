package io.deltaagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.testing.LatencyProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The daemon over a fleet of generated tables, for scripts/bench-fleet: the real {@code scripts/delta-agent daemon}
 * as a black box, discovering a root of N tables (mixed sizes), audit-only (every maintenance window closed), for
 * each {@code max-concurrent-audits} value and storage (local disk; S3 through the {@link LatencyProxy}). Per
 * audit cycle it records the daemon's own cycle line ({@code audit cycle '...': tables=... took=...}), the heap
 * (jvm_memory_used_bytes of the heap pools from /metrics, sampled every second: the highest sample, a lower bound of
 * the true peak, garbage included; and jvm_gc_live_data_size_bytes, the old generation after the latest major
 * collection: what the daemon retains), the process's peak RSS (VmHWM), the requests the proxy saw during the cycle and those the agent
 * reported (/api/tables: each table's readCost), and the files the daemon counted against the tables' own.
 * One JSON line per cycle to --out.
 */
@CommandLine.Command(name = "FleetBench", mixinStandardHelpOptions = true)
public final class FleetBench implements java.util.concurrent.Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CYCLE = Pattern.compile("^(?:\\d{4}-\\d\\d-\\d\\dT)?(\\d\\d:\\d\\d:\\d\\d\\.\\d{3})Z? .*audit cycle '([^']*)': tables=(\\d+) "
            + "healthy=(\\d+) due=(\\d+) unreadable=(\\d+) candidates=(\\d+) admitted=(\\d+) took=([0-9.]+) (ms|s|min)");
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");

    @Option(names = "--tables", defaultValue = "1000", description = "tables in the fleet")
    int tables;
    @Option(names = "--concurrency", defaultValue = "1,4,8", split = ",", description = "daemon.max-concurrent-audits values")
    List<Integer> concurrency;
    @Option(names = "--storage", defaultValue = "local", split = ",", description = "local, s3 or both")
    List<String> storage;
    @Option(names = "--latency-ms", defaultValue = "20", description = "delay per S3 request")
    long latencyMs;
    @Option(names = "--cycles", defaultValue = "2", description = "audit cycles measured per daemon run")
    int cycles;
    @Option(names = "--interval-s", defaultValue = "10", description = "seconds between audit-schedule firings (divides 60)")
    int intervalSeconds;
    @Option(names = "--versions", defaultValue = "25", description = "latest version of each generated table")
    int versions;
    @Option(names = "--sizes", defaultValue = "100:80,1000:16,10000:3,100000:1",
            description = "FILES:PERCENT of the fleet, largest last")
    String sizes;
    @Option(names = "--work", required = true, description = "where the fleet is generated and kept")
    Path work;
    @Option(names = "--out", required = true, description = "results, JSON lines, appended")
    Path out;
    @Option(names = "--agent", required = true, description = "scripts/delta-agent")
    Path agent;
    @Option(names = "--s3proxy-jar", description = "S3Proxy's jar (for --storage s3)")
    Path s3proxyJar;
    @Option(names = "--timeout-s", defaultValue = "3600", description = "give up on a daemon run after this long")
    long timeoutSeconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (60 % intervalSeconds != 0) {
            throw new IllegalArgumentException("--interval-s must divide 60: " + intervalSeconds);
        }
        Fleet fleet = generate();
        System.err.printf(Locale.ROOT, "bench-fleet: %d tables, %,d files under %s%n", fleet.tables.size(), fleet.files, fleet.root);
        boolean ok = true;
        for (String where : storage) {
            S3BenchServer s3 = null;
            String root = fleet.root.toString();
            try {
                if (where.equals("s3")) {
                    if (s3proxyJar == null) {
                        throw new IllegalArgumentException("--storage s3 needs --s3proxy-jar");
                    }
                    s3 = S3BenchServer.start(s3proxyJar, work.resolve("s3-store"), "fleet", Duration.ofMillis(latencyMs));
                    root = s3.placeTable(fleet.root.getFileName().toString(), fleet.root);
                } else if (!where.equals("local")) {
                    throw new IllegalArgumentException("--storage: local or s3, not " + where);
                }
                for (int c : concurrency) {
                    ok &= run(fleet, where, root, c, s3);
                }
            } finally {
                if (s3 != null) {
                    s3.close();
                }
            }
        }
        return ok ? 0 : 1;
    }

    private record Fleet(Path root, Map<String, Long> tables, long files) {
    }

    /** The fleet under WORK/fleet-N-...: generated once (in this JVM, seconds per large table), reused after. */
    private Fleet generate() throws IOException {
        List<long[]> mix = new ArrayList<>();
        for (String part : sizes.split(",")) {
            String[] fp = part.split(":");
            mix.add(new long[] {Long.parseLong(fp[0]), Long.parseLong(fp[1])});
        }
        Path root = work.resolve("fleet-" + tables + "-v" + versions + "-" + sizes.replace(':', 'x').replace(',', '_'));
        Map<String, Long> plan = new TreeMap<>();
        // the largest sizes first take their share (at least one table each when the fleet has room), the rest the smallest
        int left = tables;
        for (int k = mix.size() - 1; k >= 1; k--) {
            int n = (int) Math.min(left - 1, Math.max(1, Math.round(tables * mix.get(k)[1] / 100.0)));
            for (int i = 0; i < n; i++) {
                plan.put(String.format("t%05d", plan.size()), mix.get(k)[0]);
            }
            left -= n;
        }
        while (plan.size() < tables) {
            plan.put(String.format("t%05d", plan.size()), mix.get(0)[0]);
        }
        long files = plan.values().stream().mapToLong(Long::longValue).sum();
        if (Files.exists(root.resolve(".complete"))) {
            return new Fleet(root, plan, files);
        }
        Files.createDirectories(root);
        long t0 = System.nanoTime();
        int done = 0;
        for (Map.Entry<String, Long> e : plan.entrySet()) {
            Path table = root.resolve(e.getKey());
            if (!Files.exists(table)) {
                int rc = new CommandLine(new TableGenerator()).setOut(new PrintWriter(java.io.OutputStream.nullOutputStream()))
                        .execute("--out", table.toString(), "--files", Long.toString(e.getValue()), "--versions",
                                Integer.toString(versions), "--compact-every", "0", "--seed", Integer.toString(42 + done),
                                // as the fleets measured before checksum files were generated (kept under the same name)
                                "--checksums", "NONE");
                if (rc != 0) {
                    throw new IOException("generating " + table + " failed with exit " + rc);
                }
            }
            if (++done % 100 == 0) {
                System.err.printf(Locale.ROOT, "bench-fleet: generated %d of %d tables (%.0f s)%n", done, plan.size(),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        Files.writeString(root.resolve(".complete"), Instant.now().toString());
        return new Fleet(root, plan, files);
    }

    /** One daemon run: start, measure {@code cycles} audit cycles, stop. */
    private boolean run(Fleet fleet, String where, String root, int maxConcurrent, S3BenchServer s3) throws Exception {
        Path dir = Files.createTempDirectory(work, ".fleet-run-");
        Path config = dir.resolve("agent.yaml");
        // every maintenance window a one-minute span twelve hours away: the daemon audits, plans and admits nothing
        LocalTime closed = LocalTime.now(ZoneOffset.UTC).plusHours(12).withSecond(0).withNano(0);
        String window = closed.format(DateTimeFormatter.ofPattern("HH:mm")) + "-"
                + closed.plusMinutes(1).format(DateTimeFormatter.ofPattern("HH:mm"));
        StringBuilder yaml = new StringBuilder();
        yaml.append("defaults:\n")
                .append("  audit-schedule: \"0/").append(intervalSeconds).append(" * * * * ?\"\n")
                .append("  optimize-window: \"").append(window).append("\"\n")
                .append("  checkpoint-window: \"").append(window).append("\"\n")
                .append("  vacuum-window: \"").append(window).append("\"\n")
                .append("discover:\n  - \"").append(root).append("\"\n")
                .append("daemon:\n  max-concurrent-audits: ").append(maxConcurrent).append('\n')
                .append("  http-address: 127.0.0.1:0\n  instance-id: bench-fleet\n");
        if (s3 != null) {
            yaml.append("hadoop:\n");
            s3.s3aSettings(true).forEach((k, v) -> {
                if (!k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key")) {
                    yaml.append("  ").append(k).append(": \"").append(v).append("\"\n");
                }
            });
        }
        Files.writeString(config, yaml);
        ProcessBuilder pb = new ProcessBuilder(List.of(agent.toString(), "daemon", "--config", config.toString(),
                "--history-db", "jdbc:h2:file:" + dir.resolve("history"), "--work-dir", dir.resolve("jobs").toString()))
                .redirectOutput(dir.resolve("daemon.out").toFile());
        if (s3 != null) {
            pb.environment().put("AWS_ACCESS_KEY_ID", S3BenchServer.ACCESS_KEY);
            pb.environment().put("AWS_SECRET_ACCESS_KEY", S3BenchServer.SECRET_KEY);
        }
        System.err.printf(Locale.ROOT, "bench-fleet: %s, max-concurrent-audits %d: daemon starting (%s)%n", where, maxConcurrent, dir);
        Process daemon = pb.start();
        LinkedBlockingQueue<String> cyclesSeen = new LinkedBlockingQueue<>();
        Path log = dir.resolve("daemon.log");
        Thread reader = new Thread(() -> tail(daemon.getErrorStream(), log, cyclesSeen), "daemon-log");
        reader.setDaemon(true);
        reader.start();
        AtomicLong heapMax = new AtomicLong();
        AtomicLong liveMax = new AtomicLong();
        long heapLimit = 0;
        boolean ok = true;
        try {
            URI base;
            try {
                base = awaitListening(dir.resolve("daemon.out"), daemon);
            } catch (IOException e) {
                reader.join(5000);
                throw new IOException(e.getMessage() + "; its log: " + (Files.exists(log) ? Files.readString(log) : "none"), e);
            }
            Thread sampler = new Thread(() -> sampleHeap(base, heapMax, liveMax, daemon), "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            LatencyProxy.Counts before = s3 == null ? null : s3.proxy().counts();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (int cycle = 1; cycle <= cycles; cycle++) {
                String line = null;
                while (line == null) {
                    if (!daemon.isAlive()) {
                        throw new IOException("the daemon exited with " + daemon.exitValue() + "; see " + log);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("no audit cycle within " + timeoutSeconds + " s; see " + log);
                    }
                    line = cyclesSeen.poll(1, TimeUnit.SECONDS);
                }
                LatencyProxy.Counts now = s3 == null ? null : s3.proxy().counts();
                long heapPeak = heapMax.getAndSet(0);
                long livePeak = liveMax.getAndSet(0);
                Matcher m = CYCLE.matcher(line);
                if (!m.find()) {
                    throw new IllegalStateException("unparsed cycle line: " + line);
                }
                if (heapLimit == 0) {
                    heapLimit = heapMaxBytes(base);
                }
                JsonNode states = JSON.readTree(get(base.resolve("api/tables")));
                ObjectNode r = JSON.createObjectNode();
                r.put("bench", "fleet");
                r.put("storage", where);
                if (s3 != null) {
                    r.put("latencyMs", latencyMs);
                }
                r.put("tables", fleet.tables.size());
                r.put("files", fleet.files);
                r.put("concurrency", maxConcurrent);
                r.put("cycle", cycle);
                r.put("tablesAudited", Long.parseLong(m.group(3)));
                r.put("healthy", Long.parseLong(m.group(4)));
                r.put("due", Long.parseLong(m.group(5)));
                r.put("unreadable", Long.parseLong(m.group(6)));
                r.put("admitted", Long.parseLong(m.group(8)));
                r.put("tookMs", tookMillis(m.group(9), m.group(10)));
                r.put("logTime", m.group(1));
                r.put("heapPeakSampledBytes", heapPeak);
                r.put("heapMaxBytes", heapLimit);
                // the old generation's occupancy after the latest major collection: what the daemon retains, garbage aside
                r.put("heapLiveAfterGcBytes", livePeak);
                r.put("rssPeakKb", vmHwmKb(daemon.pid()));
                summarizeStates(states, fleet, r);
                if (s3 != null) {
                    LatencyProxy.Counts seen = now.minus(before);
                    r.set("proxyRequests", JSON.readTree(seen.toJson()));
                    r.put("proxyRequestsPerTable", fleet.tables.isEmpty() ? 0 : (double) seen.total() / fleet.tables.size());
                    before = now;
                }
                r.put("host", java.net.InetAddress.getLocalHost().getHostName());
                r.put("load1", Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
                r.put("at", Instant.now().toString());
                String json = JSON.writeValueAsString(r);
                Files.writeString(out, json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                System.err.printf(Locale.ROOT, "bench-fleet: %s, concurrency %d, cycle %d: %s tables, took %s %s%s%n", where,
                        maxConcurrent, cycle, m.group(3), m.group(9), m.group(10),
                        s3 == null ? "" : ", " + r.path("proxyRequests").path("total").asLong() + " requests");
                ok &= r.path("filesCounted").asLong() == fleet.files && r.path("tablesAudited").asLong() == fleet.tables.size();
            }
        } finally {
            daemon.destroy(); // SIGTERM: a clean stop
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        return ok;
    }

    /** Files the daemon counted per table (its latest audit of each), the read modes, and the requests it reported. */
    private static void summarizeStates(JsonNode states, Fleet fleet, ObjectNode r) {
        long files = 0;
        long wrong = 0;
        Map<String, Long> modes = new TreeMap<>();
        long list = 0;
        long get = 0;
        long head = 0;
        long shared = 0;
        boolean counted = false;
        Iterable<JsonNode> all = states.isArray() ? states : () -> states.elements();
        for (JsonNode s : all) {
            JsonNode h = s.path("health");
            long f = h.path("files").path("activeFiles").asLong(-1);
            String table = s.path("table").asText();
            String name = table.substring(table.lastIndexOf('/') + 1);
            if (f >= 0) {
                files += f;
            }
            if (!Long.valueOf(f).equals(fleet.tables.get(name))) {
                wrong++;
            }
            JsonNode cost = h.path("readCost");
            modes.merge(cost.path("mode").isTextual() ? cost.path("mode").asText() : "unreported", 1L, Long::sum);
            JsonNode req = cost.path("requests");
            if (req.path("get").isNumber()) {
                counted = true;
                list += req.path("list").asLong();
                get += req.path("get").asLong();
                head += req.path("head").asLong();
                if (req.path("shared").asBoolean(false)) {
                    shared++; // its counts include the audits that ran beside it (readCost.requests.shared)
                }
            }
        }
        r.put("filesCounted", files);
        r.put("tablesWithWrongFiles", wrong);
        r.set("modes", JSON.valueToTree(modes));
        if (counted) {
            ObjectNode a = r.putObject("agentRequests");
            a.put("list", list);
            a.put("get", get);
            a.put("head", head);
            a.put("total", list + get + head);
            a.put("tablesShared", shared);
        } else {
            r.putNull("agentRequests");
        }
    }

    private static long tookMillis(String value, String unit) {
        double v = Double.parseDouble(value);
        return Math.round(switch (unit) {
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        });
    }

    private static void tail(InputStream in, Path log, LinkedBlockingQueue<String> cycles) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = r.readLine()) != null) {
                w.println(line);
                if (line.contains("audit cycle '") && line.contains(" took=")) {
                    w.flush();
                    cycles.add(line);
                }
            }
        } catch (IOException e) {
            // the daemon was stopped: its stderr is closed
        }
    }

    /** The daemon's base URI once its stdout says it listens (120 s at most); also the soak's. */
    static URI awaitListening(Path stdout, Process daemon) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(stdout)) {
                Matcher m = LISTENING.matcher(Files.readString(stdout));
                if (m.find()) {
                    return URI.create(m.group(1));
                }
            }
            if (!daemon.isAlive()) {
                throw new IOException("the daemon exited with " + daemon.exitValue() + " before listening");
            }
            Thread.sleep(100);
        }
        throw new IOException("the daemon did not start listening within 120 s");
    }

    /**
     * Samples the heap in use (sum of the heap pools) every second, keeping the highest. Not faster: a scrape of a
     * 1,000-table daemon's 10,000 series costs it tens of ms of CPU, and at 5 scrapes a second JFR found the scrapes
     * taking a fifth of the daemon's CPU in the cycle being measured (Prometheus scrapes every 15 s or more).
     */
    private static void sampleHeap(URI base, AtomicLong max, AtomicLong liveMax, Process daemon) {
        while (daemon.isAlive()) {
            try {
                String metrics = get(base.resolve("metrics"));
                max.accumulateAndGet(heapSum(metrics, "jvm_memory_used_bytes"), Math::max);
                for (String line : metrics.split("\n")) {
                    if (line.startsWith("jvm_gc_live_data_size_bytes ")) {
                        liveMax.accumulateAndGet((long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)), Math::max);
                    }
                }
                Thread.sleep(1000);
            } catch (IOException e) {
                // the daemon is stopping
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long heapMaxBytes(URI base) throws IOException {
        return heapSum(get(base.resolve("metrics")), "jvm_memory_max_bytes");
    }

    /** The sum of a metric's samples over the heap pools (area="heap"); -1 (max unbounded) counts as 0. */
    static long heapSum(String prometheus, String metric) {
        long sum = 0;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains("area=\"heap\"")) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (v > 0) {
                    sum += (long) v;
                }
            }
        }
        return sum;
    }

    private static long vmHwmKb(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmHWM:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** GET {@code uri}: the body of a 200, else an IOException naming the status; also the soak's. */
    static String get(URI uri) throws IOException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(uri + ": HTTP " + r.statusCode());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
