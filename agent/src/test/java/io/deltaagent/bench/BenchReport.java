package io.deltaagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the JSON lines of bench-audit or bench-maintain into the Markdown tables of docs/BENCHMARKS.md.
 * When a run was repeated, the newest line of each (table, tool) wins. Exit 1 when a line does not parse or a
 * tool read a different number of files than the table holds (a benchmark of a wrong answer is no benchmark).
 */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("audit") || args[0].equals("maintain") || args[0].equals("fleet"))) {
            System.err.println("usage: BenchReport audit|maintain|fleet RESULTS.jsonl");
            System.exit(2);
        }
        List<JsonNode> lines = read(Path.of(args[1]));
        boolean ok = switch (args[0]) {
            case "audit" -> audit(lines, System.out);
            case "fleet" -> fleet(lines, System.out);
            default -> maintain(lines, System.out);
        };
        System.exit(ok ? 0 : 1);
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            if (!line.isBlank()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new IOException(file + ":" + n + ": not a JSON line: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /** What one audit run measured, whatever the tool; {@code node} is its whole JSON line. */
    record AuditRun(String tool, long files, long since, int exit, double wall, Long rssKb, Long heap, Long filesRead,
                    Long snapshotMs, Long scanMs, JsonNode node) {

        static AuditRun of(JsonNode n) {
            JsonNode r = n.path("result");
            Long read;
            Long snapshot;
            Long scan;
            if (n.path("tool").asText().equals("agent-incremental")) {
                read = longOrNull(r.path("files"));
                snapshot = longOrNull(r.path("first").path("readCost").path("snapshotMillis"));
                scan = longOrNull(r.path("first").path("readCost").path("scanMillis"));
            } else if (n.path("tool").asText().startsWith("agent-")) {
                JsonNode h = r.path("tables").path(0).path("health");
                read = longOrNull(h.path("files").path("activeFiles"));
                snapshot = longOrNull(h.path("readCost").path("snapshotMillis"));
                scan = longOrNull(h.path("readCost").path("scanMillis"));
            } else if (n.path("tool").asText().startsWith("spark-")) {
                read = longOrNull(r.path("files"));
                snapshot = longOrNull(r.path("sessionMs"));
                scan = longOrNull(r.path("opMs"));
            } else {
                read = longOrNull(r.path("files"));
                snapshot = longOrNull(r.path("snapshotMs"));
                scan = longOrNull(r.path("scanMs"));
            }
            return new AuditRun(n.path("tool").asText(), n.path("files").asLong(), n.path("commitsSinceCheckpoint").asLong(),
                    n.path("exit").asInt(), n.path("wallSeconds").asDouble(), longOrNull(n.path("maxRssKb")),
                    longOrNull(n.path("peakHeapBytes")),
                    read, snapshot, scan, n);
        }

        /** "s3, 20 ms per request" for a run through the latency proxy, "" for local disk. */
        String storage() {
            return node.path("storage").asText("").equals("s3")
                    ? "S3 with " + node.path("latencyMs").asLong() + " ms per request" : "";
        }

        /** The tool, and for the agent how it read the table when not in full ({@code agent-auto (checksum-proven)}). */
        String label() {
            String mode = node.path("result").path("tables").path(0).path("health").path("readCost").path("mode").asText("");
            return mode.isEmpty() || mode.equals("full") ? tool : tool + " (" + mode + ")";
        }

        boolean correct() {
            return exit == 0 && filesRead != null && filesRead == files;
        }
    }

    static boolean audit(List<JsonNode> lines, PrintStream out) {
        Map<String, Map<String, AuditRun>> byTable = new TreeMap<>();
        for (JsonNode n : lines) {
            if (n.path("bench").asText().equals("audit")) {
                AuditRun run = AuditRun.of(n);
                String key = String.format("%09d/%06d/%s", run.files(), run.since(), run.storage());
                byTable.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(run.tool(), run);
            }
        }
        boolean ok = true;
        for (Map<String, AuditRun> runs : byTable.values()) {
            AuditRun any = runs.values().iterator().next();
            String label = String.format(Locale.ROOT, "%,d files, %d commits since the last checkpoint%s", any.files(),
                    any.since(), any.storage().isEmpty() ? ", local disk" : ", " + any.storage());
            if (!any.storage().isEmpty()) {
                ok &= s3Table(runs, out);
                TargetRows.print(label, TargetRows.audit(runs), out);
                continue;
            }
            AuditRun base = runs.getOrDefault("agent-auto", runs.values().stream()
                    .filter(r -> r.tool().startsWith("agent-")).findFirst().orElse(null));
            out.printf(Locale.ROOT, "%n#### %,d files, %d commits since the last checkpoint%n%n", any.files(), any.since());
            out.println("| tool | wall s | × agent | snapshot / session ms | scan / op ms | peak RSS MB | peak heap MB | files read |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---|");
            for (AuditRun r : runs.values()) {
                String ratio = base == null || base.wall() == 0 ? "" : String.format(Locale.ROOT, "%.1f", r.wall() / base.wall());
                String read = r.correct() ? String.format(Locale.ROOT, "%,d ✓", r.filesRead())
                        : "**" + (r.exit() != 0 ? "exit " + r.exit() : r.filesRead() + " ≠ " + r.files()) + "**";
                ok &= r.correct();
                out.printf(Locale.ROOT, "| %s | %.1f | %s | %s | %s | %s | %s | %s |%n", r.label(), r.wall(), ratio,
                        num(r.snapshotMs()), num(r.scanMs()), mb(r.rssKb() == null ? null : r.rssKb() * 1024),
                        mb(r.heap()), read);
            }
            TargetRows.print(label, TargetRows.audit(runs), out);
        }
        growth(byTable, out);
        return ok;
    }

    /** Wall time of each tool by file count (fewest commits since checkpoint) and by commits since checkpoint. */
    private static void growth(Map<String, Map<String, AuditRun>> byTable, PrintStream out) {
        TreeSet<Long> sizes = new TreeSet<>();
        TreeSet<Long> tails = new TreeSet<>();
        Map<String, Map<String, Double>> wall = new TreeMap<>();
        for (Map<String, AuditRun> runs : byTable.values()) {
            for (AuditRun r : runs.values()) {
                if (!r.storage().isEmpty()) {
                    continue;
                }
                sizes.add(r.files());
                tails.add(r.since());
                wall.computeIfAbsent(r.tool(), t -> new TreeMap<>()).put(r.files() + "/" + r.since(), r.wall());
            }
        }
        if (wall.isEmpty()) {
            return;
        }
        out.printf("%n#### Wall seconds by file count and commits since the last checkpoint%n%n| tool |");
        List<String> columns = new ArrayList<>();
        for (long s : sizes) {
            for (long t : tails) {
                columns.add(s + "/" + t);
                out.printf(Locale.ROOT, " %,d files, %d since |", s, t);
            }
        }
        out.printf("%n|---|%s%n", "---:|".repeat(columns.size()));
        for (Map.Entry<String, Map<String, Double>> e : wall.entrySet()) {
            out.print("| " + e.getKey() + " |");
            for (String c : columns) {
                Double w = e.getValue().get(c);
                out.print(w == null ? " – |" : String.format(Locale.ROOT, " %.1f |", w));
            }
            out.println();
        }
    }

    /**
     * One table read through the latency proxy: each tool's wall time, Spark's time over it (Spark measured in the same
     * run), the audit's own time, and its requests as the tool counted them (S3A's counters) and as the server saw them.
     */
    private static boolean s3Table(Map<String, AuditRun> runs, PrintStream out) {
        AuditRun any = runs.values().iterator().next();
        AuditRun spark = runs.get("spark-describe");
        out.printf(Locale.ROOT, "%n#### %,d files, %d commits since the last checkpoint, %s%n%n", any.files(), any.since(),
                any.storage());
        out.println("| tool | wall s | Spark ÷ tool | read ms | peak heap MB | files read | requests counted by the tool, LIST/GET/HEAD "
                + "| requests at the server, LIST/GET/HEAD (all) |");
        out.println("|---|---:|---:|---:|---:|---|---|---|");
        boolean ok = true;
        for (AuditRun r : runs.values()) {
            String ratio = spark == null || r.wall() == 0 ? "–" : String.format(Locale.ROOT, "%.1f", spark.wall() / r.wall());
            String read = r.correct() ? String.format(Locale.ROOT, "%,d ✓", r.filesRead())
                    : "**" + (r.exit() != 0 ? "exit " + r.exit() : r.filesRead() + " ≠ " + r.files()) + "**";
            ok &= r.correct();
            JsonNode res = r.node().path("result");
            String readMs;
            String own;
            String server;
            switch (r.tool().startsWith("agent-") && !r.tool().equals("agent-incremental") ? "agent"
                    : r.tool().startsWith("spark-") ? "spark" : r.tool()) {
                case "agent" -> {
                    JsonNode cost = res.path("tables").path(0).path("health").path("readCost");
                    readMs = num(longOrNull(cost.path("auditMillis")));
                    own = agentRequests(cost);
                    server = requests(r.node().path("proxyRequests"), true);
                }
                case "agent-incremental" -> {
                    JsonNode first = res.path("first");
                    JsonNode second = res.path("second");
                    readMs = num(longOrNull(first.path("wallMillis"))) + " → " + num(longOrNull(second.path("wallMillis")))
                            + " (" + second.path("readCost").path("mode").asText("?") + ")";
                    own = agentRequests(first.path("readCost")) + " → " + agentRequests(second.path("readCost"));
                    server = requests(first.path("proxy"), true) + " → " + requests(second.path("proxy"), true);
                }
                case "spark" -> {
                    readMs = num(longOrNull(res.path("opMs")));
                    own = "–";
                    server = requests(r.node().path("proxyRequests"), true);
                }
                default -> {
                    Long snap = longOrNull(res.path("snapshotMs"));
                    Long scan = longOrNull(res.path("scanMs"));
                    readMs = snap == null || scan == null ? "–" : num(snap + scan);
                    own = requests(res.path("requests"), false);
                    server = requests(r.node().path("proxyRequests"), true);
                }
            }
            out.printf(Locale.ROOT, "| %s | %.1f | %s | %s | %s | %s | %s | %s |%n", r.label(), r.wall(), ratio, readMs,
                    mb(r.heap()), read, own, server);
        }
        return ok;
    }

    /** The whole audit's requests (readCost.requests) when the agent reports them, else the snapshot's. */
    private static String agentRequests(JsonNode cost) {
        JsonNode all = cost.path("requests");
        if (all.isObject() && all.path("get").isNumber()) {
            return requests(all, false);
        }
        if (cost.path("getRequests").isNumber()) {
            return "snapshot " + num(longOrNull(cost.path("listRequests"))) + "/" + num(longOrNull(cost.path("getRequests")))
                    + "/" + num(longOrNull(cost.path("headRequests")));
        }
        return "–";
    }

    private static String requests(JsonNode n, boolean withTotal) {
        if (!n.isObject()) {
            return "–";
        }
        String s = num(longOrNull(n.path("list"))) + "/" + num(longOrNull(n.path("get"))) + "/" + num(longOrNull(n.path("head")));
        return withTotal && n.path("total").isNumber() ? s + " (" + num(n.path("total").asLong()) + ")" : s;
    }

    /**
     * bench-fleet's cycles: per storage, fleet and max-concurrent-audits, each measured cycle (the newest run of each
     * wins). Wrong when a cycle audited fewer tables than the fleet has or counted other files than the tables hold.
     */
    static boolean fleet(List<JsonNode> lines, PrintStream out) {
        Map<String, JsonNode> last = new TreeMap<>();
        for (JsonNode n : lines) {
            if (n.path("bench").asText().equals("fleet")) {
                String key = String.format(Locale.ROOT, "%s/%s/%09d/%09d/%03d/%03d", n.path("storage").asText(),
                        n.path("latencyMs").asText(""), n.path("tables").asLong(), n.path("files").asLong(),
                        n.path("concurrency").asLong(), n.path("cycle").asLong());
                last.put(key, n);
            }
        }
        boolean ok = true;
        out.println();
        out.println("| storage | tables | files | max-concurrent-audits | cycle | read modes | cycle s | tables/s | peak heap MB "
                + "(sampled) / max | live after GC MB | peak RSS MB | requests at the server (per table) | requests the agent reported "
                + "| files counted |");
        out.println("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|---|");
        for (JsonNode n : last.values()) {
            String storage = n.path("storage").asText();
            if (storage.equals("s3")) {
                storage = "S3, " + n.path("latencyMs").asLong() + " ms";
            }
            long tables = n.path("tables").asLong();
            long files = n.path("files").asLong();
            double took = n.path("tookMs").asLong() / 1000.0;
            boolean right = n.path("filesCounted").asLong() == files && n.path("tablesAudited").asLong() == tables
                    && n.path("tablesWithWrongFiles").asLong() == 0;
            ok &= right;
            StringBuilder modes = new StringBuilder();
            n.path("modes").fields().forEachRemaining(e -> modes.append(modes.length() == 0 ? "" : ", ")
                    .append(e.getKey()).append(' ').append(e.getValue().asLong()));
            JsonNode proxy = n.path("proxyRequests");
            String server = proxy.isObject() ? requests(proxy, true) + String.format(Locale.ROOT, " (%.1f)",
                    n.path("proxyRequestsPerTable").asDouble()) : "–";
            out.printf(Locale.ROOT, "| %s | %,d | %,d | %d | %d | %s | %.1f | %s | %s / %s | %s | %s | %s | %s | %s |%n", storage, tables,
                    files, n.path("concurrency").asLong(), n.path("cycle").asLong(), modes, took,
                    took == 0 ? "–" : String.format(Locale.ROOT, "%.0f", n.path("tablesAudited").asLong() / took),
                    mb(longOrNull(n.path("heapPeakSampledBytes"))), mb(longOrNull(n.path("heapMaxBytes"))),
                    n.path("heapLiveAfterGcBytes").asLong() > 0 ? mb(n.path("heapLiveAfterGcBytes").asLong()) : "–",
                    mb(n.path("rssPeakKb").asLong() > 0 ? n.path("rssPeakKb").asLong() * 1024 : null), server,
                    requests(n.path("agentRequests"), true) + (n.path("agentRequests").path("tablesShared").asLong() > 0
                            ? String.format(Locale.ROOT, ", shared in %,d tables", n.path("agentRequests").path("tablesShared").asLong()) : ""),
                    right ? String.format(Locale.ROOT, "%,d ✓", n.path("filesCounted").asLong())
                            : String.format(Locale.ROOT, "**%,d ≠ %,d** (%d tables audited, %d wrong)", n.path("filesCounted").asLong(),
                            files, n.path("tablesAudited").asLong(), n.path("tablesWithWrongFiles").asLong()));
        }
        fleetTargets(last, out);
        return ok;
    }

    /** Issue 26's cycle targets for each daemon run on S3 (the targets: 1,000 tables, 20 ms, 8 audits at once). */
    private static void fleetTargets(Map<String, JsonNode> cycles, PrintStream out) {
        Map<String, JsonNode[]> runs = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : cycles.entrySet()) {
            JsonNode n = e.getValue();
            int cycle = n.path("cycle").asInt();
            if (n.path("storage").asText().equals("s3") && (cycle == 1 || cycle == 2)) {
                String run = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
                runs.computeIfAbsent(run, k -> new JsonNode[2])[cycle - 1] = n;
            }
        }
        for (JsonNode[] run : runs.values()) {
            JsonNode any = run[0] != null ? run[0] : run[1];
            String heading = String.format(Locale.ROOT, "%,d tables (%,d files) on S3 at %d ms, %d audits at once",
                    any.path("tables").asLong(), any.path("files").asLong(), any.path("latencyMs").asLong(),
                    any.path("concurrency").asLong());
            TargetRows.print(heading, TargetRows.fleet(run[0], run[1]), out);
        }
    }

    static boolean maintain(List<JsonNode> lines, PrintStream out) {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        Map<String, List<JsonNode>> logRuns = new LinkedHashMap<>();
        for (JsonNode n : lines) {
            if (n.path("bench").asText().equals("maintain")) {
                String phase = n.path("phase").asText();
                if (phase.startsWith("log-")) {
                    logRuns.computeIfAbsent(phase, p -> new ArrayList<>()).add(n);
                } else {
                    last.put(phase, n);
                }
            }
        }
        boolean ok = true;
        out.println();
        out.println("| state | files | average file size | full-scan aggregate, median ms | selective query, median ms | job wall s |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (String phase : List.of("before", "after-optimize", "after-zorder")) {
            JsonNode n = last.get(phase);
            if (n == null) {
                continue;
            }
            JsonNode r = n.path("result");
            ok &= n.path("exit").asInt() == 0 && r.has("files");
            long files = r.path("files").asLong();
            JsonNode job = phase.startsWith("after-") ? last.get(phase.replace("after-", "job-")) : null;
            out.printf(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s |%n", phase, files,
                    files == 0 ? "–" : size(r.path("sizeInBytes").asLong() / files),
                    num(longOrNull(r.path("fullScanMedianMs"))), num(longOrNull(r.path("selectiveMedianMs"))),
                    job == null ? "–" : String.format(Locale.ROOT, "%.1f", job.path("wallSeconds").asDouble()));
            if (job != null) {
                ok &= job.path("exit").asInt() == 0;
            }
        }
        if (!logRuns.isEmpty()) {
            out.println();
            out.println("| log | commits since checkpoint | log read (cold snapshot), median ms | runs ms | agent wall s, median |");
            out.println("|---|---:|---:|---|---:|");
            for (Map.Entry<String, List<JsonNode>> e : logRuns.entrySet()) {
                List<Long> snapshots = new ArrayList<>();
                List<Double> walls = new ArrayList<>();
                long since = -1;
                for (JsonNode n : e.getValue()) {
                    JsonNode h = n.path("result").path("tables").path(0).path("health");
                    ok &= n.path("exit").asInt() == 0 && h.has("readCost");
                    snapshots.add(h.path("readCost").path("snapshotMillis").asLong());
                    walls.add(n.path("wallSeconds").asDouble());
                    since = h.path("log").path("commitsSinceCheckpoint").asLong();
                }
                out.printf(Locale.ROOT, "| %s | %d | %s | %s | %.1f |%n", e.getKey().substring(4), since,
                        num(median(snapshots)), snapshots, median(walls));
            }
        }
        return ok;
    }

    static <T extends Comparable<T>> T median(List<T> values) {
        List<T> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static Long longOrNull(JsonNode n) {
        return n.isNumber() ? n.asLong() : null;
    }

    private static String num(Long v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%,d", v);
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private static String mb(Long bytes) {
        return bytes == null ? "–" : String.format(Locale.ROOT, "%,.0f", bytes / 1048576.0);
    }
}
