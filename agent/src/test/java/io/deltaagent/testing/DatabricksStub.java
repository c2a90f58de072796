package io.deltaagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deltaagent.jobs.result.ErrorInfo;
import io.deltaagent.jobs.result.JobResult;
import io.deltaagent.jobs.result.ResultJson;
import io.deltaagent.jobs.result.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A loopback Databricks workspace speaking the documented shapes of the calls the Databricks backend makes:
 * <ul>
 *   <li>{@code POST /api/2.2/jobs/runs/submit} → {@code {"run_id": N}}; runs are deduplicated by
 *   {@code idempotency_token} as Databricks does (the same token returns the same run, no second run);</li>
 *   <li>{@code GET /api/2.2/jobs/runs/get?run_id=N} → the run with {@code state} (life_cycle_state,
 *   result_state, state_message), {@code status} (state, termination_details {code, type, message}) and
 *   {@code tasks}; each call advances the run one step through its {@link Script};</li>
 *   <li>{@code POST /api/2.2/jobs/runs/cancel} → {@code {}}; the run then reads TERMINATED/CANCELED;</li>
 *   <li>{@code GET /api/2.2/jobs/runs/list?run_type=SUBMIT_RUN&expand_tasks=true&start_time_from=MS} →
 *   {@code {"runs": [...], "has_more": false}}, newest first, each as runs/get shows it without advancing it;</li>
 *   <li>{@code GET /api/2.0/fs/files/{path}} → the file's bytes, or 404 NOT_FOUND.</li>
 * </ul>
 * Every request needs {@code Authorization: Bearer <token>} (else 401). When a run first reads as finished, the
 * "job" writes the script's result document to the {@code --result} path of its {@code spark_jar_task}. Faults
 * ({@link #fail}, {@link #dropResponse}) are queued per endpoint and used once each.
 */
public final class DatabricksStub implements AutoCloseable {

    public static final String SUBMIT = "POST /api/2.2/jobs/runs/submit";
    public static final String GET = "GET /api/2.2/jobs/runs/get";
    public static final String CANCEL = "POST /api/2.2/jobs/runs/cancel";
    public static final String LIST = "GET /api/2.2/jobs/runs/list";
    public static final String FILES = "GET /api/2.0/fs/files";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer of runs/get: the classic state and the newer status (either may be null: not sent). */
    public record Step(String lifeCycleState, String resultState, String stateMessage,
                       String statusState, String terminationCode, String terminationType) {

        public static final Step PENDING = new Step("PENDING", null, "Waiting for cluster", "PENDING", null, null);
        public static final Step RUNNING = new Step("RUNNING", null, "In run", "RUNNING", null, null);
        public static final Step SUCCESS = new Step("TERMINATED", "SUCCESS", "", "TERMINATED", "SUCCESS", "SUCCESS");

        public static Step failed(String message) {
            return new Step("TERMINATED", "FAILED", message, "TERMINATED", "RUN_EXECUTION_ERROR", "CLIENT_ERROR");
        }

        public static Step internalError(String message) {
            return new Step("INTERNAL_ERROR", null, message, "TERMINATED", "INTERNAL_ERROR", "INTERNAL_ERROR");
        }

        public static Step timedOut() {
            return new Step("TERMINATED", "TIMEDOUT", "Run timed out after 3600 seconds", "TERMINATED", "CANCELED",
                    "CLIENT_ERROR");
        }

        public static Step canceled() {
            return new Step("TERMINATED", "CANCELED", "Run cancelled.", "TERMINATED", "USER_CANCELED", "SUCCESS");
        }

        public static Step skipped(String message) {
            return new Step("SKIPPED", null, message, "TERMINATED", "SKIPPED", "CLIENT_ERROR");
        }

        /** The newer {@code status} object alone, as newer workspaces may answer. */
        public static Step statusOnly(String statusState, String code, String type, String message) {
            return new Step(null, null, message, statusState, code, type);
        }

        boolean finished() {
            return "TERMINATED".equals(lifeCycleState) || "SKIPPED".equals(lifeCycleState)
                    || "INTERNAL_ERROR".equals(lifeCycleState) || lifeCycleState == null && "TERMINATED".equals(statusState);
        }
    }

    /** How the next new run behaves: its runs/get answers in order (the last repeats) and its result document. */
    public record Script(List<Step> steps, String resultDocument) {
        public Script {
            steps = List.copyOf(steps);
        }
    }

    /** One request as received. */
    public record Received(String method, String path, String query, String body, long atNanos) {
        public String endpoint() {
            return method + " " + path;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Fault(int status, Map<String, String> headers, String body, boolean drop) {
    }

    private static final class RunRecord {
        final long id;
        final JsonNode request;
        final Script script;
        final long startTime = System.currentTimeMillis();
        int next;
        boolean cancelled;
        Long endTime;
        Step current;

        RunRecord(long id, JsonNode request, Script script) {
            this.id = id;
            this.request = request;
            this.script = script;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "databricks-stub");
        t.setDaemon(true);
        return t;
    });
    private final String token;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Long> runsByToken = new HashMap<>();
    private final Map<Long, RunRecord> runs = new LinkedHashMap<>();
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final Map<String, byte[]> files = new HashMap<>();
    private long nextRunId = 1001;

    private DatabricksStub(String token) throws IOException {
        this.token = Objects.requireNonNull(token);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static DatabricksStub start(String token) throws IOException {
        return new DatabricksStub(token);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next new run follows this script (default: PENDING, RUNNING, SUCCESS and no result document). */
    public synchronized DatabricksStub nextRun(Script script) {
        scripts.add(script);
        return this;
    }

    /** The next request to {@code endpoint} gets this answer instead of being served. */
    public synchronized DatabricksStub fail(String endpoint, int status, Map<String, String> headers, String body) {
        faults.computeIfAbsent(endpoint, k -> new ArrayDeque<>()).add(new Fault(status, headers, body, false));
        return this;
    }

    /** The next request to {@code endpoint} is served (a run is created) but its connection closes unanswered. */
    public synchronized DatabricksStub dropResponse(String endpoint) {
        faults.computeIfAbsent(endpoint, k -> new ArrayDeque<>()).add(new Fault(0, Map.of(), null, true));
        return this;
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    public synchronized void putFile(String path, String content) {
        files.put(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized List<Received> received(String endpoint) {
        return received.stream().filter(r -> r.endpoint().equals(endpoint)
                || endpoint.equals(FILES) && r.endpoint().startsWith(FILES + "/")).toList();
    }

    public synchronized int runCount() {
        return runs.size();
    }

    public synchronized boolean cancelled(long runId) {
        RunRecord run = runs.get(runId);
        return run != null && run.cancelled;
    }

    public synchronized List<Long> runIds() {
        return List.copyOf(runs.keySet());
    }

    /** Waits (without sleeping) until a request matching {@code test} has arrived. */
    public synchronized Received await(Predicate<Received> test, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Received r : received) {
                if (test.test(r)) {
                    return r;
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching request within " + timeout + "; received " + received);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String endpoint = method + " " + (path.startsWith("/api/2.0/fs/files/") ? "/api/2.0/fs/files" : path);
        Fault fault;
        synchronized (this) {
            received.add(new Received(method, path, query, body, System.nanoTime()));
            notifyAll();
            Deque<Fault> queue = faults.get(endpoint);
            fault = queue == null ? null : queue.poll();
        }
        try {
            if (path.startsWith("/.well-known/")) {
                send(exchange, 404, Map.of(), error("NOT_FOUND", "no host metadata"));
                return;
            }
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, Map.of(), error("UNAUTHENTICATED", "Invalid access token."));
                return;
            }
            if (fault != null && !fault.drop()) {
                send(exchange, fault.status(), fault.headers(), fault.body() == null ? "" : fault.body());
                return;
            }
            Answer answer = serve(method, path, query, body, endpoint);
            if (fault != null) {
                // served, then the answer is lost: the client sees the connection close with no response
                throw new IOException("stub: response dropped on purpose");
            }
            send(exchange, answer.status, Map.of("Content-Type", answer.contentType), answer.body);
        } finally {
            exchange.close();
        }
    }

    private record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private synchronized Answer serve(String method, String path, String query, String body, String endpoint)
            throws IOException {
        switch (endpoint) {
            case SUBMIT -> {
                JsonNode request = JSON.readTree(body);
                String idempotency = request.path("idempotency_token").asText(null);
                Long existing = idempotency == null ? null : runsByToken.get(idempotency);
                if (existing != null) {
                    return Answer.json(200, "{\"run_id\":" + existing + "}");
                }
                long id = nextRunId++;
                Script script = scripts.isEmpty() ? new Script(List.of(Step.PENDING, Step.RUNNING, Step.SUCCESS), null)
                        : scripts.poll();
                runs.put(id, new RunRecord(id, request, script));
                if (idempotency != null) {
                    runsByToken.put(idempotency, id);
                }
                return Answer.json(200, "{\"run_id\":" + id + "}");
            }
            case GET -> {
                RunRecord run = runs.get(Long.parseLong(param(query, "run_id")));
                if (run == null) {
                    return Answer.json(400, error("INVALID_PARAMETER_VALUE", "Run " + param(query, "run_id") + " does not exist."));
                }
                return Answer.json(200, JSON.writeValueAsString(runJson(run, true)));
            }
            case LIST -> {
                // newest first, one page (has_more false); a listing shows a run as it stands, it does not advance it
                long from = Long.parseLong(param(query, "start_time_from").equals("-1") ? "0" : param(query, "start_time_from"));
                boolean tasks = "true".equals(param(query, "expand_tasks"));
                ObjectNode page = JSON.createObjectNode();
                ArrayNode list = page.putArray("runs");
                List<RunRecord> newestFirst = new ArrayList<>(runs.values());
                java.util.Collections.reverse(newestFirst);
                for (RunRecord run : newestFirst) {
                    if (run.startTime >= from) {
                        ObjectNode json = runJson(run, false);
                        if (!tasks) {
                            json.remove("tasks");
                        }
                        list.add(json);
                    }
                }
                page.put("has_more", false);
                return Answer.json(200, JSON.writeValueAsString(page));
            }
            case CANCEL -> {
                long id = JSON.readTree(body).path("run_id").asLong();
                RunRecord run = runs.get(id);
                if (run == null) {
                    return Answer.json(400, error("INVALID_PARAMETER_VALUE", "Run " + id + " does not exist."));
                }
                if (run.current == null || !run.current.finished()) {
                    run.cancelled = true;
                }
                return Answer.json(200, "{}");
            }
            case FILES -> {
                String file = URLDecoder.decode(path.substring("/api/2.0/fs/files".length()), StandardCharsets.UTF_8);
                byte[] content = files.get(file);
                if (content == null) {
                    return Answer.json(404, error("NOT_FOUND", "The file being accessed is not found."));
                }
                return new Answer(200, "application/octet-stream", content);
            }
            default -> {
                return Answer.json(404, error("ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'"));
            }
        }
    }

    private ObjectNode runJson(RunRecord run, boolean advance) {
        if (!advance && run.current == null) {
            run.current = Step.PENDING;
        }
        if (advance && (run.current == null || !run.current.finished())) {
            if (run.cancelled) {
                run.current = Step.canceled();
            } else {
                run.current = run.script.steps().get(Math.min(run.next, run.script.steps().size() - 1));
                run.next++;
            }
            if (run.current.finished()) {
                run.endTime = System.currentTimeMillis();
                String result = resultPath(run.request);
                if (run.script.resultDocument() != null && result != null && !run.cancelled) {
                    files.put(result, run.script.resultDocument().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        Step step = run.current;
        ObjectNode json = JSON.createObjectNode();
        json.put("job_id", 0);
        json.put("run_id", run.id);
        json.put("run_name", run.request.path("run_name").asText());
        json.put("run_page_url", url() + "/#job/0/run/" + run.id);
        json.put("run_type", "SUBMIT_RUN");
        json.put("start_time", run.startTime);
        json.put("end_time", run.endTime == null ? 0 : run.endTime);
        ObjectNode state = stateJson(step);
        ObjectNode status = statusJson(step);
        if (state != null) {
            json.set("state", state);
        }
        if (status != null) {
            json.set("status", status);
        }
        ArrayNode tasks = json.putArray("tasks");
        for (JsonNode task : run.request.path("tasks")) {
            ObjectNode t = tasks.addObject();
            t.put("task_key", task.path("task_key").asText());
            t.put("run_id", run.id + 1_000_000);
            t.set("spark_jar_task", task.path("spark_jar_task"));
            t.set("new_cluster", task.path("new_cluster"));
            if (state != null) {
                t.set("state", state.deepCopy());
            }
            if (status != null) {
                t.set("status", status.deepCopy());
            }
        }
        return json;
    }

    private static ObjectNode stateJson(Step step) {
        if (step.lifeCycleState() == null) {
            return null;
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("life_cycle_state", step.lifeCycleState());
        if (step.resultState() != null) {
            state.put("result_state", step.resultState());
        }
        state.put("state_message", step.stateMessage() == null ? "" : step.stateMessage());
        state.put("user_cancelled_or_timedout", "CANCELED".equals(step.resultState()) || "TIMEDOUT".equals(step.resultState()));
        return state;
    }

    private static ObjectNode statusJson(Step step) {
        if (step.statusState() == null) {
            return null;
        }
        ObjectNode status = JSON.createObjectNode();
        status.put("state", step.statusState());
        if (step.terminationCode() != null) {
            ObjectNode details = status.putObject("termination_details");
            details.put("code", step.terminationCode());
            details.put("type", step.terminationType());
            details.put("message", step.stateMessage() == null ? "" : step.stateMessage());
        }
        return status;
    }

    private static String resultPath(JsonNode request) {
        JsonNode parameters = request.path("tasks").path(0).path("spark_jar_task").path("parameters");
        for (int i = 0; i + 1 < parameters.size(); i++) {
            if ("--result".equals(parameters.get(i).asText())) {
                return parameters.get(i + 1).asText();
            }
        }
        return null;
    }

    private static String param(String query, String name) {
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return "-1";
    }

    private static String error(String code, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error_code", code);
        node.put("message", message);
        return node.toString();
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (!headers.containsKey("Content-Type")) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A result document written by the jobs' own code (spark-jobs/job-contract JobResult), schemaVersion 1. */
    public static String resultDocument(String table, String action, String status, Instant startedAt) {
        boolean ok = "SUCCEEDED".equals(status);
        JobResult.Builder doc = JobResult.builder().action(action).table(table).status(Status.valueOf(status)).versionBefore(3L)
                .partitionColumns(List.of("event_date")).zOrderBy(List.of()).attempts(1)
                .timing(startedAt.toString(), startedAt.plusMillis(34724).toString(), 34724)
                .sparkApplicationId("app-20261127211314-0000");
        if (ok) {
            doc.versionAfter(4L).commitVersion(4L).files(150L, 2L).bytes(872214L, 654110L).partitionsOptimized(2L);
        } else {
            doc.error(new ErrorInfo("io.deltaagent.jobs.error.InvalidInputException",
                    table + ": --where references event_id, which is not a partition column", false, null));
        }
        return ResultJson.toLine(doc.build());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
