package io.deltaagent.submit.emr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server for an AWS API stub: records every request (operation, headers, JSON body, arrival time)
 * and answers queued faults before the stub's own handling, the way the service would send them.
 */
abstract class AwsStubServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the stub saw it. */
    record Call(String operation, String method, String path, Map<String, List<String>> headers, JsonNode body, long nanos) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** An error answer: HTTP status, AWS error code, message, optional Retry-After seconds. */
    record Fault(String operation, int status, String code, String message, Integer retryAfter) {
    }

    /** A JSON answer. */
    record Answer(int status, JsonNode body) {
    }

    private final HttpServer http;
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Map<String, Long> delays = new java.util.concurrent.ConcurrentHashMap<>();

    AwsStubServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, getClass().getSimpleName());
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/", this::handle);
        http.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** The next {@code times} requests of this operation get this fault. */
    synchronized void fail(String operation, int times, int status, String code, String message, Integer retryAfter) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(operation, status, code, message, retryAfter));
        }
    }

    /** Answers of this operation come this much later (a slow service, or time to interrupt the caller). */
    void delay(String operation, long millis) {
        delays.put(operation, millis);
    }

    synchronized List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Which operation a request is, from its method, path and headers. */
    protected abstract String operation(String method, String path, Map<String, List<String>> headers);

    /** The stub's answer to a request that got no fault. */
    protected abstract Answer answer(Call call) throws IOException;

    /** Writes an error the way the protocol does. */
    protected abstract void writeFault(HttpExchange exchange, Fault fault) throws IOException;

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String op = operation(method, path, exchange.getRequestHeaders());
            Call call = new Call(op, method, path, Map.copyOf(exchange.getRequestHeaders()), body, System.nanoTime());
            Fault fault;
            synchronized (this) {
                calls.add(call);
                fault = faults.stream().filter(f -> f.operation().equals(op)).findFirst().orElse(null);
                if (fault != null) {
                    faults.remove(fault);
                }
            }
            if (fault != null) {
                writeFault(exchange, fault);
                return;
            }
            long delay = delays.getOrDefault(op, 0L);
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Answer answer;
            try {
                answer = answer(call);
            } catch (RuntimeException e) {
                ObjectNode err = JSON.createObjectNode().put("__type", "InternalServerError").put("message", "stub: " + e);
                answer = new Answer(500, err);
            }
            send(exchange, answer.status(), contentType(), answer.body());
        }
    }

    protected abstract String contentType();

    protected static void send(HttpExchange exchange, int status, String contentType, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    protected static double epochSeconds() {
        return System.currentTimeMillis() / 1000.0;
    }

    @Override
    public void close() {
        http.stop(0);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
