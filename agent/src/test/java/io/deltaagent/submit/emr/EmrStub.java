package io.deltaagent.submit.emr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The EMR API (AWS JSON 1.1: {@code POST /}, {@code X-Amz-Target: ElasticMapReduce.<Operation>}, errors as
 * {@code {"__type": ..., "message": ...}}) for RunJobFlow, ListClusters, ListSteps, DescribeStep, DescribeCluster
 * and TerminateJobFlows. Each started cluster follows the next queued {@link Script}: its one step walks through
 * the scripted states, one per DescribeStep, and when the step ends the job's result document is written to S3.
 */
final class EmrStub extends AwsStubServer {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Set<String> ACTIVE = Set.of("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING");
    private static final int PAGE = 2;

    /**
     * How a cluster goes.
     *
     * @param stepStates     states DescribeStep reports in turn (the last one stays)
     * @param failureDetails Reason, Message, LogFile of a failed step, or null
     * @param clusterError   when set, the cluster fails while the step is pending: {code, message}
     */
    record Script(List<String> stepStates, Map<String, String> failureDetails, List<String> clusterError, boolean writesResult) {
        Script(List<String> stepStates, Map<String, String> failureDetails, List<String> clusterError) {
            this(stepStates, failureDetails, clusterError, true);
        }

        static Script steps(String... states) {
            return new Script(List.of(states), null, null);
        }

        /** The job ends without writing its result document (it could not reach the result dir). */
        Script withoutResult() {
            return new Script(stepStates, failureDetails, clusterError, false);
        }
    }

    private final class Cluster {
        final String id;
        final String name;
        final String stepId;
        final List<String> args;
        final Deque<String> states;
        final Script script;
        String stepState = "PENDING";
        String state = "STARTING";
        String reasonCode;
        String reasonMessage;

        Cluster(String id, String name, List<String> args, Script script) {
            this.id = id;
            this.name = name;
            this.stepId = "s-" + id.substring(2);
            this.args = args;
            this.script = script;
            this.states = new ArrayDeque<>(script.stepStates());
        }
    }

    private final JobResultWriter results;
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(100);

    EmrStub(JobResultWriter results) throws IOException {
        this.results = results;
    }

    synchronized void next(Script script) {
        scripts.add(script);
    }

    /** Clusters of other work in the account, running (they must be neither followed nor touched). */
    synchronized void othersRunning(int count) {
        for (int i = 0; i < count; i++) {
            String id = "j-" + ids.incrementAndGet() + "OTHERCLSTR";
            Cluster c = new Cluster(id, "nightly-etl-" + i, List.of(), Script.steps("RUNNING"));
            c.state = "WAITING";
            clusters.put(id, c);
        }
    }

    synchronized String clusterState(String id) {
        return clusters.get(id).state;
    }

    @Override
    protected String operation(String method, String path, Map<String, List<String>> headers) {
        List<String> target = headers.get("X-amz-target");
        return target == null ? method + " " + path : target.get(0).replace("ElasticMapReduce.", "");
    }

    @Override
    protected String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    protected synchronized Answer answer(Call call) {
        JsonNode in = call.body();
        ObjectNode out = JSON.createObjectNode();
        if (!"POST".equals(call.method()) || !"/".equals(call.path()) || !CONTENT_TYPE.equals(call.header("Content-Type"))) {
            return new Answer(400, JSON.createObjectNode().put("__type", "SerializationException")
                    .put("message", "expected POST / with " + CONTENT_TYPE));
        }
        switch (call.operation()) {
            case "RunJobFlow" -> {
                String id = "j-" + ids.incrementAndGet() + "ABCDEFGHIJ";
                List<String> args = new ArrayList<>();
                in.path("Steps").path(0).path("HadoopJarStep").path("Args").forEach(a -> args.add(a.asText()));
                Script script = scripts.isEmpty() ? Script.steps("RUNNING", "COMPLETED") : scripts.poll();
                clusters.put(id, new Cluster(id, in.path("Name").asText(), args, script));
                out.put("JobFlowId", id).put("ClusterArn", "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/" + id);
            }
            case "ListClusters" -> {
                Set<String> wanted = new java.util.HashSet<>();
                in.path("ClusterStates").forEach(s -> wanted.add(s.asText()));
                List<Cluster> matching = clusters.values().stream()
                        .filter(c -> wanted.isEmpty() || wanted.contains(c.state)).toList();
                // newest first, PAGE to a page, as EMR pages its answer and hands back a Marker
                List<Cluster> newestFirst = new ArrayList<>(matching);
                java.util.Collections.reverse(newestFirst);
                int from = in.hasNonNull("Marker") ? Integer.parseInt(in.get("Marker").asText()) : 0;
                int to = Math.min(newestFirst.size(), from + PAGE);
                ArrayNode list = out.putArray("Clusters");
                for (Cluster c : newestFirst.subList(from, to)) {
                    ObjectNode summary = list.addObject().put("Id", c.id).put("Name", c.name);
                    summary.putObject("Status").put("State", c.state);
                }
                if (to < newestFirst.size()) {
                    out.put("Marker", Integer.toString(to));
                }
            }
            case "ListSteps" -> {
                Cluster c = cluster(in);
                ArrayNode steps = out.putArray("Steps");
                ObjectNode step = steps.addObject().put("Id", c.stepId).put("Name", "delta-agent step")
                        .put("ActionOnFailure", "TERMINATE_CLUSTER");
                step.putObject("Status").put("State", c.stepState);
            }
            case "DescribeStep" -> {
                Cluster c = cluster(in);
                if (!c.stepId.equals(in.path("StepId").asText())) {
                    return new Answer(400, JSON.createObjectNode().put("__type", "InvalidRequestException")
                            .put("message", "Step id " + in.path("StepId").asText() + " is not valid"));
                }
                advance(c);
                ObjectNode step = out.putObject("Step").put("Id", c.stepId).put("Name", "delta-agent step")
                        .put("ActionOnFailure", "TERMINATE_CLUSTER");
                ObjectNode config = step.putObject("Config").put("Jar", "command-runner.jar");
                ArrayNode args = config.putArray("Args");
                c.args.forEach(args::add);
                ObjectNode status = step.putObject("Status").put("State", c.stepState);
                status.putObject("Timeline").put("CreationDateTime", epochSeconds());
                if ("FAILED".equals(c.stepState) && c.script.failureDetails() != null) {
                    ObjectNode details = status.putObject("FailureDetails");
                    c.script.failureDetails().forEach(details::put);
                }
            }
            case "DescribeCluster" -> {
                Cluster c = cluster(in);
                ObjectNode cl = out.putObject("Cluster").put("Id", c.id).put("Name", c.name);
                ObjectNode status = cl.putObject("Status").put("State", c.state);
                if (c.reasonCode != null) {
                    status.putObject("StateChangeReason").put("Code", c.reasonCode).put("Message", c.reasonMessage);
                }
            }
            case "TerminateJobFlows" -> {
                in.path("JobFlowIds").forEach(id -> {
                    Cluster c = clusters.get(id.asText());
                    if (c != null && ACTIVE.contains(c.state)) {
                        c.state = "TERMINATED";
                        c.reasonCode = "USER_REQUEST";
                        c.reasonMessage = "Terminated by user request";
                        c.stepState = "CANCELLED";
                        c.states.clear();
                    }
                });
            }
            default -> {
                return new Answer(400, JSON.createObjectNode().put("__type", "UnknownOperationException")
                        .put("message", "stub does not know " + call.operation()));
            }
        }
        return new Answer(200, out);
    }

    private Cluster cluster(JsonNode in) {
        Cluster c = clusters.get(in.path("ClusterId").asText());
        if (c == null) {
            throw new IllegalArgumentException("no cluster " + in.path("ClusterId").asText());
        }
        return c;
    }

    /** One DescribeStep moves the step (and with it the cluster) one scripted state on. */
    private void advance(Cluster c) {
        if (!ACTIVE.contains(c.state)) {
            return;
        }
        if (c.script.clusterError() != null) {
            c.state = "TERMINATED_WITH_ERRORS";
            c.reasonCode = c.script.clusterError().get(0);
            c.reasonMessage = c.script.clusterError().get(1);
            c.stepState = "CANCELLED";
            return;
        }
        if (!c.states.isEmpty()) {
            c.stepState = c.states.size() > 1 ? c.states.poll() : c.states.peek();
        }
        switch (c.stepState) {
            case "PENDING" -> c.state = "STARTING";
            case "RUNNING" -> c.state = "RUNNING";
            case "COMPLETED" -> {
                if (c.script.writesResult()) {
                    results.write(c.args.subList(6, c.args.size()), true);
                }
                c.state = "TERMINATED";
                c.reasonCode = "ALL_STEPS_COMPLETED";
                c.reasonMessage = "Steps completed";
            }
            case "FAILED" -> {
                if (c.script.writesResult()) {
                    results.write(c.args.subList(6, c.args.size()), false);
                }
                c.state = "TERMINATED_WITH_ERRORS";
                c.reasonCode = "STEP_FAILURE";
                c.reasonMessage = "Shut down as step failed";
            }
            case "CANCELLED" -> {
                c.state = "TERMINATED";
                c.reasonCode = "USER_REQUEST";
                c.reasonMessage = "Terminated by user request";
            }
            default -> {
            }
        }
    }

    @Override
    protected void writeFault(HttpExchange exchange, Fault fault) throws IOException {
        if (fault.retryAfter() != null) {
            exchange.getResponseHeaders().set("Retry-After", fault.retryAfter().toString());
        }
        send(exchange, fault.status(), CONTENT_TYPE, JSON.createObjectNode().put("__type", fault.code()).put("message", fault.message()));
    }
}
