package io.deltaagent.submit.emr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EMR Serverless API (REST-JSON): {@code POST /applications/{applicationId}/jobruns} (StartJobRun, deduplicated
 * by clientToken as the service does), {@code GET .../jobruns/{jobRunId}} (GetJobRun) and {@code DELETE
 * .../jobruns/{jobRunId}} (CancelJobRun); errors carry their code in {@code x-amzn-ErrorType}. A run walks through
 * the next queued list of states, one per GetJobRun; when it ends the job's result document is written to S3.
 */
final class EmrServerlessStub extends AwsStubServer {

    private static final Pattern RUNS = Pattern.compile("/applications/([^/]+)/jobruns");
    private static final Pattern RUN = Pattern.compile("/applications/([^/]+)/jobruns/([^/]+)");
    private static final Set<String> ENDED = Set.of("SUCCESS", "FAILED", "CANCELLED");

    private final class Run {
        final String id;
        final String applicationId;
        final JsonNode request;
        final Deque<String> states;
        final String stateDetails;
        String state = "SUBMITTED";

        Run(String id, String applicationId, JsonNode request, List<String> states, String stateDetails) {
            this.id = id;
            this.applicationId = applicationId;
            this.request = request;
            this.states = new ArrayDeque<>(states);
            this.stateDetails = stateDetails;
        }
    }

    private record Script(List<String> states, String stateDetails) {
    }

    private final JobResultWriter results;
    private final String applicationId;
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Map<String, String> byClientToken = new HashMap<>();
    private final AtomicInteger ids = new AtomicInteger(1000);

    EmrServerlessStub(JobResultWriter results, String applicationId) throws IOException {
        this.results = results;
        this.applicationId = applicationId;
    }

    /** The next new run reports these states in turn (the last one stays); FAILED runs report the details. */
    synchronized void next(String stateDetails, String... states) {
        scripts.add(new Script(List.of(states), stateDetails));
    }

    synchronized int runsStarted() {
        return runs.size();
    }

    synchronized String state(String runId) {
        return runs.get(runId).state;
    }

    @Override
    protected String operation(String method, String path, Map<String, List<String>> headers) {
        if (RUN.matcher(path).matches()) {
            return switch (method) {
                case "GET" -> "GetJobRun";
                case "DELETE" -> "CancelJobRun";
                default -> method + " " + path;
            };
        }
        if (RUNS.matcher(path).matches() && "POST".equals(method)) {
            return "StartJobRun";
        }
        return method + " " + path;
    }

    @Override
    protected String contentType() {
        return "application/json";
    }

    @Override
    protected synchronized Answer answer(Call call) {
        ObjectNode out = JSON.createObjectNode();
        switch (call.operation()) {
            case "StartJobRun" -> {
                Matcher m = RUNS.matcher(call.path());
                m.matches();
                if (!applicationId.equals(m.group(1))) {
                    return notFound("Application " + m.group(1) + " does not exist");
                }
                String token = call.body().path("clientToken").asText(null);
                if (token == null || token.isEmpty()) {
                    return new Answer(400, JSON.createObjectNode().put("__type", "ValidationException").put("message", "clientToken is required"));
                }
                String id = byClientToken.get(token);
                if (id == null) {
                    id = "00f" + ids.incrementAndGet() + "abcdefgh";
                    Script script = scripts.isEmpty() ? new Script(List.of("RUNNING", "SUCCESS"), null) : scripts.poll();
                    runs.put(id, new Run(id, m.group(1), call.body(), script.states(), script.stateDetails()));
                    byClientToken.put(token, id);
                }
                out.put("applicationId", m.group(1)).put("jobRunId", id).put("arn", arn(m.group(1), id));
            }
            case "GetJobRun" -> {
                Run run = run(call.path());
                if (run == null) {
                    return notFound("Job run does not exist");
                }
                advance(run);
                ObjectNode r = out.putObject("jobRun");
                r.put("applicationId", run.applicationId).put("jobRunId", run.id).put("arn", arn(run.applicationId, run.id))
                        .put("name", run.request.path("name").asText()).put("createdBy", "arn:aws:iam::123456789012:user/agent")
                        .put("createdAt", epochSeconds()).put("updatedAt", epochSeconds())
                        .put("executionRole", run.request.path("executionRoleArn").asText()).put("state", run.state)
                        .put("stateDetails", "FAILED".equals(run.state) && run.stateDetails != null ? run.stateDetails : "")
                        .put("releaseLabel", "emr-7.5.0");
                r.set("jobDriver", run.request.path("jobDriver"));
                r.set("tags", run.request.path("tags"));
            }
            case "CancelJobRun" -> {
                Run run = run(call.path());
                if (run == null) {
                    return notFound("Job run does not exist");
                }
                if (!ENDED.contains(run.state)) {
                    run.state = "CANCELLING";
                    run.states.clear();
                    run.states.add("CANCELLED");
                }
                out.put("applicationId", run.applicationId).put("jobRunId", run.id);
            }
            default -> {
                return notFound("stub does not serve " + call.operation());
            }
        }
        return new Answer(200, out);
    }

    private Run run(String path) {
        Matcher m = RUN.matcher(path);
        m.matches();
        Run run = runs.get(m.group(2));
        return run != null && run.applicationId.equals(m.group(1)) ? run : null;
    }

    private void advance(Run run) {
        if (ENDED.contains(run.state) || run.states.isEmpty()) {
            return;
        }
        run.state = run.states.size() > 1 ? run.states.poll() : run.states.peek();
        if ("SUCCESS".equals(run.state) || "FAILED".equals(run.state)) {
            List<String> args = new ArrayList<>();
            run.request.path("jobDriver").path("sparkSubmit").path("entryPointArguments").forEach(a -> args.add(a.asText()));
            results.write(args, "SUCCESS".equals(run.state));
        }
    }

    private static String arn(String app, String run) {
        return "arn:aws:emr-serverless:us-east-1:123456789012:/applications/" + app + "/jobruns/" + run;
    }

    private static Answer notFound(String message) {
        return new Answer(404, JSON.createObjectNode().put("__type", "ResourceNotFoundException").put("message", message));
    }

    @Override
    protected void writeFault(HttpExchange exchange, Fault fault) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", fault.code());
        if (fault.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", fault.retryAfter().toString());
        }
        send(exchange, fault.status(), "application/json", JSON.createObjectNode().put("message", fault.message()));
    }
}
