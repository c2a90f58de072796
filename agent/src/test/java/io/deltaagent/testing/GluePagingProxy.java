package io.deltaagent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback front for moto's Glue that pages GetTables and GetDatabases as AWS does: moto 5.2.5 ignores
 * {@code MaxResults} and returns every entry with no {@code NextToken} (moto/glue/responses.py), so on its own it cannot
 * show that a client follows pages. Every request is forwarded as is; those two answers are cut to {@code MaxResults}
 * entries from the offset in {@code NextToken}, with the next offset as the new token.
 */
public final class GluePagingProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP = Set.of("host", "content-length", "connection", "expect", "transfer-encoding");

    private final HttpServer server;
    private final String upstream;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger pagedRequests = new AtomicInteger();

    public GluePagingProxy(String upstream) {
        this.upstream = upstream;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "glue-paging-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::forward);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** GetTables and GetDatabases requests answered so far. */
    public int pagedRequests() {
        return pagedRequests.get();
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(upstream + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!HOP.contains(k.toLowerCase())) {
                    vs.forEach(v -> req.header(k, v));
                }
            });
            HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] out = resp.body();
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (resp.statusCode() == 200 && ("AWSGlue.GetTables".equals(target) || "AWSGlue.GetDatabases".equals(target))) {
                pagedRequests.incrementAndGet();
                out = page(body, out, target.endsWith("GetTables") ? "TableList" : "DatabaseList");
            }
            resp.headers().map().forEach((k, vs) -> {
                if (!HOP.contains(k.toLowerCase()) && !k.startsWith(":")) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                }
            });
            ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] page(byte[] request, byte[] response, String listField) throws IOException {
        var req = JSON.readTree(request);
        ObjectNode resp = (ObjectNode) JSON.readTree(response);
        ArrayNode all = (ArrayNode) resp.get(listField);
        int from = req.hasNonNull("NextToken") ? Integer.parseInt(req.get("NextToken").asText()) : 0;
        int max = req.hasNonNull("MaxResults") ? req.get("MaxResults").asInt() : 100;
        ArrayNode page = JSON.createArrayNode();
        for (int i = from; i < Math.min(all.size(), from + max); i++) {
            page.add(all.get(i));
        }
        resp.set(listField, page);
        if (from + max < all.size()) {
            resp.put("NextToken", String.valueOf(from + max));
        } else {
            resp.remove("NextToken");
        }
        return JSON.writeValueAsBytes(resp);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
