package io.deltaagent.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.storage.TablePaths;
import io.deltaagent.store.AuditSample;
import io.deltaagent.store.AuditSampleStore;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HeadlessChromium;
import io.deltaagent.testing.PrometheusText;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard, /api/samples and the new /metrics on a daemon maintaining real Spark-written tables (its own JVM, H2,
 * the local backend: it compacts the small-file table with one real Spark job), looked at through a real headless
 * Chromium. Screenshots are kept in {@code agent/target/dashboard-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardTest {

    private static final String TOKEN = "dashboard-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Paths.get(System.getProperty("deltaagent.screenshots.dir", "target/dashboard-screenshots"));

    @TempDir
    static Path tmp;

    private DaemonProcess daemon;
    private String healthy;
    private String events;
    private String waiting;
    private Path lake;
    private Optional<HeadlessChromium> chromium;

    @BeforeAll
    void startDaemonAndMaintainTables() throws Exception {
        lake = Files.createDirectories(tmp.resolve("lake"));
        healthy = TablePaths.canonical(Fixtures.copy("spark_optimized", lake).toString());
        Path staged = Fixtures.copy("spark_partitioned_checkpoints", Files.createDirectories(tmp.resolve("staging")));
        events = TablePaths.canonical(Files.move(staged, lake.resolve("events"), StandardCopyOption.ATOMIC_MOVE).toString());
        // due, but its window is closed for hours: admission refuses it at every cycle, with the reason
        waiting = TablePaths.canonical(Fixtures.copy("spark_partitioned_checkpoints", Files.createDirectories(tmp.resolve("waiting")))
                .toString());
        java.time.LocalTime opens = java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusHours(6).withSecond(0).withNano(0);
        String window = opens + "-" + opens.plusMinutes(1);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, """
                tables:
                  - path: %s
                    optimize-window: "%s"
                defaults:
                  hot-partition-window: 0s
                  max-log-read-latency: 10m
                  audit-schedule: "*/2 * * * * ?"
                discover:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  http-token-env: DASHBOARD_TOKEN
                  instance-id: dashboard-daemon
                  max-concurrent-jobs-per-backend: {local: 1}
                backends:
                  local: {core-hour-price: 0.05}
                """.formatted(waiting, window, lake));
        String db = "jdbc:h2:file:" + tmp.resolve("history");
        // a week of earlier audits, so the charts have a trend before the daemon adds its own
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            new AuditSampleStore(store).record(history(Instant.now()));
        }
        daemon = DaemonProcess.start("daemon", tmp, config, db, tmp.resolve("jobs"), Map.of("DASHBOARD_TOKEN", TOKEN), TOKEN);
        Eventually.await("the compaction of " + events + " to succeed and both tables to be healthy", Duration.ofMinutes(6), () -> {
            JsonNode runs = daemon.json("/api/history?table=" + URLEncoder.encode(events, StandardCharsets.UTF_8));
            if (runs.size() > 0 && runs.get(0).get("state").asText().matches("FAILED|TIMED_OUT|CANCELLED|UNKNOWN")) {
                throw new AssertionError("the run failed: " + runs.get(0) + "\n" + daemon.log());
            }
            JsonNode tables = daemon.json("/api/tables");
            return runs.size() > 0 && "SUCCEEDED".equals(runs.get(0).get("state").asText())
                    && "HEALTHY".equals(status(tables, events)) && "HEALTHY".equals(status(tables, healthy));
        }, done -> done);
        Files.createDirectories(SCREENSHOTS);
        chromium = HeadlessChromium.find(Files.createDirectories(tmp.resolve("chromium")));
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon != null) {
            assertThat(daemon.terminate(Duration.ofSeconds(90))).as("SIGTERM: a clean stop").isZero();
            assertThat(daemon.log()).as("the token never reaches the log").doesNotContain(TOKEN);
            daemon.close();
        }
    }

    private List<AuditSample> history(Instant now) {
        List<AuditSample> out = new ArrayList<>();
        long[] eventsFiles = {40, 70, 100, 120, 150};
        for (int i = 0; i < eventsFiles.length; i++) {
            Instant at = now.minus(Duration.ofDays(5 - i));
            out.add(new AuditSample(events, at, AuditSample.RAW, i < 3 ? "HEALTHY" : "MAINTENANCE_DUE", 10L + i, eventsFiles[i],
                    eventsFiles[i] * 4_000, eventsFiles[i], 2L + 2 * i, 12L + i, 40L + 15 * i, "standalone", null));
            out.add(new AuditSample(healthy, at, AuditSample.RAW, "HEALTHY", 3L, 1L, 9_000L, 0L, 1L, 6L, 20L + i, "standalone", null));
        }
        return out;
    }

    private HeadlessChromium browser() {
        assumeTrue(chromium.isPresent(), "no Chromium: install Debian's chromium (scripts/install-deps) or set DELTA_AGENT_CHROMIUM;"
                + " the dashboard's browser tests are skipped");
        return chromium.get();
    }

    private URI ui(String fragment) {
        return daemon.base().resolve("ui/" + (fragment.isEmpty() ? "" : "#" + fragment));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void theOverviewListsEveryTableWithItsStatus() throws Exception {
        HeadlessChromium browser = browser();
        String dom = browser.dumpDom(ui("token=" + enc(TOKEN)));
        assertThat(dom).contains("data-state=\"overview\"");
        JsonNode tables = daemon.json("/api/tables");
        assertThat(tables.size()).isEqualTo(3);
        for (JsonNode t : tables) {
            assertThat(dom).as(t.get("table").asText())
                    .contains("data-table=\"" + t.get("table").asText() + "\" data-status=\"" + t.get("status").asText() + "\"");
        }
        assertThat(dom).contains("<div class=\"card\" data-status=\"HEALTHY\"><div class=\"n\">2</div>");
        assertThat(dom).contains("<div class=\"card\" data-status=\"MAINTENANCE_DUE\"><div class=\"n\">1</div>");
        assertThat(dom).as("the due action and its admission decision")
                .containsPattern(Pattern.quote("<td>OPTIMIZE</td><td><div class=\"decision\">OPTIMIZE rank 1")
                        + "[^<]*WINDOW_CLOSED");
        browser.screenshot(ui("token=" + enc(TOKEN)), SCREENSHOTS.resolve("overview.png"), 1400, 900);
    }

    @Test
    @Order(2)
    void theTablePageChartsEverySampleAndShowsItsRunsWithBeforeAndAfter() throws Exception {
        HeadlessChromium browser = browser();
        String fragment = "token=" + enc(TOKEN) + "&page=table&table=" + enc(events);
        int before = daemon.json("/api/samples?since=30d&table=" + enc(events)).size();
        String dom = browser.dumpDom(ui(fragment));
        int after = daemon.json("/api/samples?since=30d&table=" + enc(events)).size();
        assertThat(dom).contains("data-state=\"table\"");
        assertThat(before).as("the recorded history at least").isGreaterThanOrEqualTo(5);
        for (String metric : List.of("files", "smallFiles", "logReadMillis", "commitsSinceCheckpoint")) {
            Matcher svg = Pattern.compile("<svg[^>]*data-metric=\"" + metric + "\" data-points=\"(\\d+)\"[^>]*>(.*?)</svg>",
                    Pattern.DOTALL).matcher(dom);
            assertThat(svg.find()).as("the %s chart", metric).isTrue();
            int points = Integer.parseInt(svg.group(1));
            assertThat(points).as("%s: one point per sample", metric).isBetween(before, after);
            assertThat(count(svg.group(2), "<circle class=\"pt\"")).as("%s: circles drawn", metric).isEqualTo(points);
            assertThat(svg.group(2)).contains("<path class=\"line\" d=\"M");
        }
        JsonNode run = daemon.json("/api/history?table=" + enc(events)).get(0);
        assertThat(dom).contains("data-run=\"" + run.get("id").asText() + "\" data-state=\"SUCCEEDED\"")
                .contains("<td class=\"change\">150 → 3</td>")
                .containsPattern("<td class=\"cost\">~0\\.\\d{4} USD \\(estimate: 2 cores x [0-9.]+ h x 0\\.05 USD per core-hour\\)</td>");
        browser.screenshot(ui(fragment), SCREENSHOTS.resolve("table.png"), 1400, 1000);
    }

    @Test
    @Order(3)
    void theRunListShowsTheDaemonsRuns() {
        HeadlessChromium browser = browser();
        String dom = browser.dumpDom(ui("token=" + enc(TOKEN) + "&page=runs"));
        assertThat(dom).contains("data-state=\"runs\"").contains("<td>OPTIMIZE</td>").contains(">" + events + "</a>");
        browser.screenshot(ui("token=" + enc(TOKEN) + "&page=runs"), SCREENSHOTS.resolve("runs.png"), 1400, 700);
    }

    @Test
    @Order(4)
    void withoutTheTokenOrWithAWrongOneThePageAsksForItAndShowsNoData() {
        HeadlessChromium browser = browser();
        for (String fragment : List.of("", "token=not-the-token", "token=not-the-token&page=table&table=" + enc(events), "page=runs")) {
            String dom = browser.dumpDom(ui(fragment));
            assertThat(dom).as(fragment).contains("data-state=\"token-required\"").contains("Token required")
                    .contains("<button id=\"forget-token\" type=\"button\" hidden=\"\">")
                    .doesNotContain(events).doesNotContain(healthy).doesNotContain("OPTIMIZE");
        }
        browser.screenshot(ui("token=not-the-token"), SCREENSHOTS.resolve("token-required.png"), 1000, 500);
    }

    @Test
    @Order(5)
    void dataNeedsTheTokenAndTheStaticFilesAreServedSafely() throws Exception {
        for (String path : List.of("/api/tables", "/api/history", "/api/samples", "/api/samples?table=" + enc(events), "/metrics")) {
            assertThat(daemon.get(path, null).statusCode()).as(path + " without a token").isEqualTo(401);
            assertThat(daemon.get(path, "not-the-token").statusCode()).as(path + " with a wrong token").isEqualTo(401);
        }
        HttpResponse<String> index = daemon.get("/ui/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(index.body()).as("no inline script").doesNotContainPattern("<script(?![^>]*src=)");
        assertThat(daemon.get("/ui/app.js", null).headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(daemon.get("/ui/style.css", null).headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        for (String path : List.of("/ui/nothing.js", "/ui/io/deltaagent/ui/app.js", "/ui/.hidden.js", "/ui/app.js.bak",
                "/ui/%2e%2e/daemon/http/HttpApi.class")) {
            assertThat(daemon.get(path, TOKEN).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(raw("GET /ui/../metrics HTTP/1.1")).as("a raw dot-dot path").startsWith("HTTP/1.1 404");
        assertThat(raw("GET /ui/..%2f..%2fMETA-INF/MANIFEST.MF HTTP/1.1")).startsWith("HTTP/1.1 404");
        assertThat(raw("GET / HTTP/1.1")).startsWith("HTTP/1.1 302").contains("Location: /ui/");
        String etag = index.headers().firstValue("ETag").orElseThrow();
        assertThat(raw("GET /ui/ HTTP/1.1\r\nIf-None-Match: " + etag)).startsWith("HTTP/1.1 304");
    }

    @Test
    @Order(6)
    void samplesComeOldestFirstForATableAndASpan() throws Exception {
        JsonNode all = daemon.json("/api/samples?since=30d&table=" + enc(events));
        assertThat(all.get(0).get("files").asLong()).isEqualTo(40);
        assertThat(all.get(0).get("table").asText()).isEqualTo(events);
        for (int i = 1; i < all.size(); i++) {
            assertThat(Instant.parse(all.get(i).get("sampledAt").asText())).isAfterOrEqualTo(Instant.parse(all.get(i - 1).get("sampledAt").asText()));
        }
        // the daemon may add samples of its own meanwhile: compare the recorded history, not the counts
        JsonNode recent = daemon.json("/api/samples?since=2d&table=" + enc(events));
        assertThat(recent.get(0).get("files").asLong()).as("the last two days start with the sample of a day ago").isEqualTo(150);
        Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2)).minusSeconds(60);
        for (JsonNode sample : recent) {
            assertThat(Instant.parse(sample.get("sampledAt").asText())).isAfter(twoDaysAgo);
        }
        String since = Instant.now().minus(Duration.ofDays(30)).toString();
        assertThat(daemon.json("/api/samples?since=" + since + "&table=" + enc(events)).get(0).get("files").asLong()).isEqualTo(40);
        JsonNode week = daemon.json("/api/samples?table=" + enc(events));
        assertThat(week.get(0).get("files").asLong()).as("7 days by default").isEqualTo(40);
        assertThat(week.size()).isGreaterThanOrEqualTo(5);
        assertThat(daemon.json("/api/samples?since=30d").size()).as("every table").isGreaterThanOrEqualTo(10);
        HttpResponse<String> bad = daemon.get("/api/samples?since=yesterday", TOKEN);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("since: 'yesterday' is not a duration");
    }

    @Test
    @Order(7)
    void metricsCarryTheLastAuditMaintenanceDueStuckAuditsAndTheJvm() {
        PrometheusText m = PrometheusText.parse(daemon.text("/metrics"));
        double now = Instant.now().getEpochSecond();
        for (String table : List.of(healthy, events)) {
            assertThat(m.value("deltaagent_table_last_audit_timestamp_seconds", "table", table)).as(table).isBetween(now - 120, now + 5);
            assertThat(m.value("deltaagent_table_maintenance_due", "table", table)).as(table + ": healthy now").isZero();
        }
        assertThat(m.value("deltaagent_table_maintenance_due", "table", waiting)).as(waiting + ": due, its window closed").isEqualTo(1);
        assertThat(m.value("deltaagent_audits_stuck")).isZero();
        assertThat(m.value("deltaagent_backend_failures_total", "backend", "local")).as("at 0 before any failure").isZero();
        assertThat(m.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
        assertThat(m.value("jvm_threads_live_threads")).isPositive();
        assertThat(m.value("jvm_classes_loaded_classes")).isPositive();
        assertThat(m.value("system_cpu_count")).isPositive();
        assertThat(m.value("process_uptime_seconds")).isPositive();
        assertThat(m.find("jvm_gc_memory_allocated_bytes_total")).isNotEmpty();
    }

    @Test
    @Order(7)
    void metricsCarryTheJobDurationHistogramBytesRewrittenCostCircuitStatesAndTheBuild() {
        JsonNode run = daemon.json("/api/history?table=" + URLEncoder.encode(events, StandardCharsets.UTF_8)).get(0);
        PrometheusText m = PrometheusText.parse(daemon.text("/metrics"));
        // the one job: counted once, in the bucket of its duration and every bucket above, up to 8 h
        assertThat(m.value("deltaagent_job_duration_seconds_count", "action", "OPTIMIZE", "outcome", "succeeded")).isEqualTo(1);
        assertThat(m.value("deltaagent_job_duration_seconds_bucket", "action", "OPTIMIZE", "le", "28800.0")).isEqualTo(1);
        assertThat(m.find("deltaagent_job_duration_seconds_bucket", "action", "OPTIMIZE")).hasSize(12);
        long bytes = run.get("check").get("bytesRewritten").asLong();
        assertThat(bytes).isPositive();
        assertThat(m.value("deltaagent_bytes_rewritten_total", "backend", "local")).as("the run's bytes rewritten").isEqualTo(bytes);
        assertThat(m.value("deltaagent_estimated_cost_total", "backend", "local", "currency", "USD"))
                .as("the run's recorded estimate").isEqualTo(run.get("cost").get("amount").asDouble());
        assertThat(m.value("deltaagent_backend_circuit_state", "backend", "local", "state", "closed")).isEqualTo(1);
        assertThat(m.value("deltaagent_backend_circuit_state", "backend", "local", "state", "open")).isZero();
        assertThat(m.value("deltaagent_backend_circuit_state", "backend", "local", "state", "half_open")).isZero();
        PrometheusText.Sample build = m.find("deltaagent_build_info").get(0);
        assertThat(build.value()).isEqualTo(1);
        assertThat(build.labels()).containsKeys("version", "commit").containsEntry("java", System.getProperty("java.version"));
        assertThat(build.labels().get("version")).isNotBlank().doesNotContain("${");
    }

    @Test
    @Order(8)
    void theGrafanaDashboardQueriesOnlyMetricsTheDaemonExposes() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(repoRoot().resolve("docs/grafana/delta-agent.json")));
        assertThat(dashboard.get("title").asText()).isEqualTo("delta-agent");
        TreeSet<String> queried = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b((?:deltaagent|jvm|process|system|hikaricp)_[a-z0-9_]+)");
        List<JsonNode> exprs = dashboard.findValues("expr");
        exprs.addAll(dashboard.findValues("definition"));
        for (JsonNode expr : exprs) {
            Matcher found = metric.matcher(expr.asText());
            while (found.find()) {
                queried.add(found.group(1));
            }
        }
        assertThat(queried).contains("deltaagent_table_files", "deltaagent_table_small_files", "deltaagent_table_log_read_seconds",
                "deltaagent_actions_total", "deltaagent_backend_failures_total", "deltaagent_backend_circuit_state",
                "deltaagent_jobs_in_flight", "deltaagent_table_last_audit_timestamp_seconds", "deltaagent_table_maintenance_due",
                "deltaagent_audits_stuck", "jvm_memory_used_bytes", "deltaagent_job_duration_seconds_bucket",
                "deltaagent_bytes_rewritten_total", "deltaagent_estimated_cost_total", "deltaagent_build_info");
        TreeSet<String> exposed = new TreeSet<>();
        for (String line : daemon.text("/metrics").split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(exposed).as("what /metrics exposes").containsAll(queried);
        // several daemons on one database (docs/OPERATIONS.md): every query is limited to the chosen daemons, and a table's
        // gauges (one series per daemon) are taken as their max per table, never summed over daemons
        assertThat(dashboard.at("/templating/list").findValuesAsText("name")).contains("instance");
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText();
                assertThat(expr).as(panel.get("title").asText()).contains("instance=~\"$instance\"");
                Matcher tableGauge = Pattern.compile("(deltaagent_table_[a-z_]+)\\{").matcher(expr);
                while (tableGauge.find()) {
                    assertThat(expr).as(panel.get("title").asText()).contains("max by (table) (" + tableGauge.group(1) + "{");
                }
            }
        }
        for (JsonNode panel : dashboard.get("panels")) {
            if (!"row".equals(panel.get("type").asText())) {
                assertThat(panel.get("datasource").get("uid").asText()).as(panel.get("title").asText()).isEqualTo("${datasource}");
            }
        }
    }

    @Test
    @Order(9)
    void theBudgetPageShowsTheDaysDecisionsAndTheRunTheAdmittedOneBecame() throws Exception {
        String dom = browser().dumpDom(ui("page=budget&token=" + enc(TOKEN)));
        assertThat(dom).contains("data-state=\"budget\"").contains("budget not set");
        JsonNode decisions = daemon.json("/api/decisions").get("decisions");
        JsonNode admitted = null;
        for (JsonNode d : decisions) {
            if (d.get("table").asText().equals(events) && d.get("verdict").asText().equals("ADMITTED")) {
                admitted = d;
            }
        }
        assertThat(admitted).as("the compaction's decision, recorded without a budget too").isNotNull();
        assertThat(dom).contains("<tr data-verdict=\"ADMITTED\">");
        assertThat(dom).contains("<td>" + admitted.get("runId").asLong() + "</td>");
    }

    @Test
    @Order(10)
    void aTableThatLeavesItsRootLeavesTheMetricsAndTheOverview() throws Exception {
        Files.move(Paths.get(healthy), tmp.resolve("moved-away"), StandardCopyOption.ATOMIC_MOVE);
        Eventually.await(healthy + " to leave /api/tables", Duration.ofSeconds(60),
                () -> status(daemon.json("/api/tables"), healthy), s -> s == null);
        PrometheusText m = PrometheusText.parse(daemon.text("/metrics"));
        for (String name : List.of("deltaagent_table_files", "deltaagent_table_small_files", "deltaagent_table_log_read_seconds",
                "deltaagent_table_last_audit_timestamp_seconds", "deltaagent_table_maintenance_due")) {
            assertThat(m.find(name, "table", healthy)).as(name + " of the table gone").isEmpty();
            assertThat(m.find(name, "table", events)).as(name + " of the table still there").hasSize(1);
        }
        assertThat(daemon.log()).contains("no longer audited (left the config or its discovery root): [" + healthy + "]");

        // a root that cannot be listed retires nothing: its tables were skipped, not removed
        Files.move(lake, tmp.resolve("lake-away"), StandardCopyOption.ATOMIC_MOVE);
        String unlisted = "keep their last state until it can be listed again";
        Eventually.await("two cycles that cannot list the root", Duration.ofSeconds(60),
                () -> count(daemon.log(), unlisted), n -> n >= 2);
        assertThat(status(daemon.json("/api/tables"), events)).isEqualTo("HEALTHY");
        assertThat(PrometheusText.parse(daemon.text("/metrics")).find("deltaagent_table_last_audit_timestamp_seconds", "table", events))
                .hasSize(1);
    }

    private String raw(String requestLine) throws Exception {
        try (Socket s = new Socket(daemon.base().getHost(), daemon.base().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder head = new StringBuilder();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.append(line).append('\n');
            }
            return head.toString();
        }
    }

    private static Path repoRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/ above " + Paths.get("").toAbsolutePath());
        }
        return dir;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String status(JsonNode tables, String table) {
        for (JsonNode t : tables) {
            if (t.get("table").asText().equals(table)) {
                return t.get("status").asText();
            }
        }
        return null;
    }
}
