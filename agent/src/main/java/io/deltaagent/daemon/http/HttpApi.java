package io.deltaagent.daemon.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deltaagent.daemon.Daemon;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.store.AuditSampleStore;
import io.deltaagent.store.HealthFigures;
import io.deltaagent.store.RunRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoint (the JDK's server: no web framework for a handful of read-only routes):
 * {@code /healthz} (the process is up), {@code /readyz} (scheduler running, database reachable, audits not all timing out),
 * {@code /metrics} (Prometheus text), {@code /api/tables} (latest health and plan per table) and
 * {@code /api/history?table=&limit=} (recorded runs), {@code /api/decisions} (the day's budget and decisions), {@code /api/samples?table=&since=} (the audit trend) and the
 * dashboard under {@code /ui/} (static files from the jar; {@code /} redirects there). With a token, {@code /metrics}
 * and {@code /api/*} require {@code Authorization: Bearer TOKEN}; the probes and the dashboard's files (which hold no
 * data: the page asks {@code /api/*} with the token the user gives it) stay open.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    /** Worker threads: slow or stuck clients each hold one only until the request timeout, and probes find a free one. */
    static final int WORKERS = 16;

    static {
        // The JDK server reads a request's headers on a worker thread and, by default, waits for them forever: a client
        // that never finishes its request would hold the thread. These close such connections (seconds), unless the
        // JVM was started with its own values. Read once, when the server class initialises: set before any server.
        setIfAbsent("sun.net.httpserver.maxReqTime", "5");
        setIfAbsent("sun.net.httpserver.maxRspTime", "60");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private final HttpServer server;
    private final Daemon daemon;
    private final ObjectMapper json;
    private final byte[] token;
    private final StaticAssets assets = new StaticAssets();
    private final SamplesRoute samples;

    /** The dashboard's headers: its own scripts and styles only, no framing, no referrer, no sniffing. */
    static final Map<String, String> UI_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");

    /** @param token the bearer token, or null for none */
    public HttpApi(String address, String token, Daemon daemon, ObjectMapper json) {
        this.daemon = daemon;
        this.json = withShownFigures(json);
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.samples = new SamplesRoute(new AuditSampleStore(daemon.store()), java.time.Clock.systemUTC());
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new DeltaAgentException("daemon.http-address " + address + ": cannot listen: " + e.getMessage(), e);
        }
        // a queue, never a rejection: the JDK dispatcher does not survive an executor that refuses work
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        workers.allowCoreThreadTimeOut(true);
        server.setExecutor(workers);
        server.createContext("/", ex -> {
            if (getOnly(ex)) {
                String path = ex.getRequestURI().getPath();
                if (path.equals("/") || path.equals("/ui")) {
                    redirect(ex, "/ui/");
                } else {
                    error(ex, 404, "no such path: " + path + " (try /ui/, /healthz, /readyz, /metrics, /api/tables, /api/history, /api/samples, /api/decisions)");
                }
            }
        });
        server.createContext("/ui/", this::asset);
        server.createContext("/healthz", ex -> {
            if (getOnly(ex)) {
                respond(ex, 200, "text/plain", "ok\n");
            }
        });
        server.createContext("/readyz", ex -> {
            if (getOnly(ex)) {
                var notReady = daemon.notReady();
                respond(ex, notReady.isEmpty() ? 200 : 503, "text/plain",
                        notReady.map(why -> "not ready: " + why + "\n").orElse("ready\n"));
            }
        });
        server.createContext("/metrics", ex -> guarded(ex, () -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                daemon.metrics().scrape())));
        server.createContext("/api/tables", ex -> guarded(ex, () -> respond(ex, 200, "application/json",
                write(daemon.states().all()))));
        server.createContext("/api/history", ex -> guarded(ex, () -> history(ex)));
        // the day's budget and its admitted and budget-deferred decisions (shadow mode's what-if in shadow mode)
        server.createContext("/api/decisions", ex -> guarded(ex, () -> {
            io.deltaagent.daemon.BudgetStatus budget = daemon.budget();
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("budget", budget);
            body.put("decisions", new io.deltaagent.store.DecisionStore(daemon.store()).day(budget.day(), budget.shadow()));
            respond(ex, 200, "application/json", write(body));
        }));
        server.createContext("/api/samples", ex -> guarded(ex, () -> {
            SamplesRoute.Answer a = samples.answer(QueryParams.parse(ex.getRequestURI().getRawQuery()).asMap());
            respond(ex, a.status(), "application/json", write(a.body()));
        }));
    }

    public void start() {
        server.start();
        LOG.info("HTTP on http://{}:{}/ ({})", server.getAddress().getHostString(), server.getAddress().getPort(),
                token == null ? "no token" : "bearer token required for /metrics and /api");
    }

    /** The port actually bound (for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void asset(HttpExchange ex) throws IOException {
        if (!getOnly(ex)) {
            return;
        }
        String name = ex.getRequestURI().getPath().substring("/ui/".length());
        var found = assets.find(name);
        if (found.isEmpty()) {
            error(ex, 404, "no such dashboard file: " + ex.getRequestURI().getPath() + " (the dashboard is at /ui/)");
            return;
        }
        StaticAssets.Asset a = found.get();
        UI_HEADERS.forEach(ex.getResponseHeaders()::set);
        ex.getResponseHeaders().set("ETag", a.etag());
        // revalidated on every load (a new jar may bring new files), answered 304 while unchanged
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        if (a.etag().equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.sendResponseHeaders(304, -1);
            ex.close();
            return;
        }
        respond(ex, 200, a.contentType(), a.bytes());
    }

    private static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private interface Handler {
        void handle() throws IOException;
    }

    /** Answers 405 with {@code Allow: GET, HEAD} for any other method; true when the request may go on. */
    private boolean getOnly(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        error(ex, 405, method + " is not allowed on " + ex.getRequestURI().getPath() + ": use GET");
        return false;
    }

    private void error(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        respond(ex, status, "application/json", write(body) + "\n");
    }

    private void guarded(HttpExchange ex, Handler handler) throws IOException {
        try {
            if (!getOnly(ex)) {
                return;
            }
            if (token != null) {
                if (!MessageDigest.isEqual(Credentials.bearer(ex.getRequestHeaders().getFirst("Authorization")), token)) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    error(ex, 401, "a bearer token is required");
                    return;
                }
            }
            handler.handle();
        } catch (QueryParams.BadParameter e) {
            error(ex, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", ex.getRequestURI().getPath(), e.getMessage());
            error(ex, 500, String.valueOf(e.getMessage()));
        }
    }

    private void history(HttpExchange ex) throws IOException {
        QueryParams q = QueryParams.parse(ex.getRequestURI().getRawQuery());
        // above the cap is answered with the cap, as before; below 1 is a mistake
        int limit = Math.min(q.integer("limit", 100, 1, Integer.MAX_VALUE), 10_000);
        String table;
        try {
            table = q.get("table") == null ? null : io.deltaagent.storage.TablePaths.canonical(q.get("table"));
        } catch (IllegalArgumentException e) {
            throw new QueryParams.BadParameter("table", e.getMessage());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunRecord r : daemon.store().runs().history(table, limit)) {
            rows.add(row(r));
        }
        respond(ex, 200, "application/json", write(rows));
    }

    private Map<String, Object> row(RunRecord r) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", r.id());
        m.put("table", r.table());
        m.put("action", r.action());
        m.put("state", r.state().name());
        m.put("backend", r.backend());
        m.put("clusterSpec", r.clusterSpec());
        m.put("owner", r.owner());
        m.put("cost", daemon.store().runs().cost(r.id()).map(io.deltaagent.maintain.RunRows::estimate).orElse(null));
        m.put("jobHandle", r.jobHandle());
        m.put("tableVersionBefore", r.tableVersionBefore());
        m.put("commitVersion", r.commitVersion());
        m.put("stoppedBy", r.stoppedBy());
        m.put("submittedAt", text(r.submittedAt()));
        m.put("startedAt", text(r.startedAt()));
        m.put("endedAt", text(r.endedAt()));
        m.put("before", r.before());
        m.put("after", r.after());
        m.put("unit", r.unit());
        m.put("units", r.units());
        m.put("check", r.check());
        m.put("plannedAction", parse(r.plannedAction()));
        m.put("jobResult", parse(r.jobResult()));
        m.put("error", r.error());
        return m;
    }

    /**
     * How a run's {@link HealthFigures} read in the API's JSON: the one figures type, written as is, less the two figures
     * the API has never shown (tombstones, snapshotMillis), in the order clients have always read.
     */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"version", "files", "totalBytes", "averageBytes", "smallFiles",
            "commitsSinceCheckpoint", "logObjects"})
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties({"tombstones", "snapshotMillis"})
    private interface ShownFigures {
    }

    /** The API's own copy of {@code json}, writing {@link HealthFigures} as {@link ShownFigures} says. */
    static ObjectMapper withShownFigures(ObjectMapper json) {
        return json.copy().addMixIn(HealthFigures.class, ShownFigures.class);
    }

    private JsonNode parse(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the response", e);
        }
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        respond(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }
}
