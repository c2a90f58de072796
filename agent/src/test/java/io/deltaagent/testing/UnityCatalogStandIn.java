package io.deltaagent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for a Unity Catalog OSS server: the three read calls the agent makes, in the shapes of the
 * project's OpenAPI ({@code api/all.yaml} of unitycatalog/unitycatalog, REST 2.1): list schemas, list tables (paged by
 * {@code max_results}, which the spec caps at 50, and {@code next_page_token}) and get table; errors as
 * {@code {error_code, message}}. Not the real server (its jar is not served here).
 */
public final class UnityCatalogStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/api/2.1/unity-catalog/";

    private final HttpServer server;
    private final String token;
    /** catalog.schema -> tables (TableInfo), in creation order */
    private final Map<String, List<ObjectNode>> schemas = new LinkedHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    /** @param token the bearer token every request must carry, or null for none */
    public UnityCatalogStandIn(String token) {
        this.token = token;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "uc-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.createContext(BASE, this::handle);
        server.start();
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a table (and its schema) as the server would return it. */
    public synchronized void table(String catalog, String schema, String name, String tableType, String format, String location) {
        ObjectNode t = JSON.createObjectNode().put("name", name).put("catalog_name", catalog).put("schema_name", schema)
                .put("table_type", tableType).put("data_source_format", format).put("storage_location", location)
                .put("full_name", catalog + "." + schema + "." + name).put("table_id", java.util.UUID.randomUUID().toString());
        schemas.computeIfAbsent(catalog + "." + schema, k -> new ArrayList<>()).add(t);
    }

    /** Drops a table from the catalog, as DROP TABLE would. */
    public synchronized void drop(String fullName) {
        schemas.values().forEach(tables -> tables.removeIf(t -> t.get("full_name").asText().equals(fullName)));
    }

    /** While true, every call fails with HTTP 503 (a catalog down for maintenance). */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** The request lines received (path and query), in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The Authorization header of each request (null when absent). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath().substring(BASE.length());
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            requests.add(ex.getRequestURI().toString());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth);
            if (failing) {
                send(ex, 503, error("TEMPORARILY_UNAVAILABLE", "the stand-in is failing on purpose"));
                return;
            }
            if (token != null && !("Bearer " + token).equals(auth)) {
                send(ex, 401, error("UNAUTHENTICATED", "a valid bearer token is required"));
                return;
            }
            if (!ex.getRequestMethod().equals("GET")) {
                send(ex, 405, error("INVALID_PARAMETER_VALUE", "the stand-in serves GET only"));
            } else if (path.equals("schemas")) {
                listSchemas(ex, query);
            } else if (path.equals("tables")) {
                listTables(ex, query);
            } else if (path.startsWith("tables/")) {
                getTable(ex, URLDecoder.decode(path.substring("tables/".length()), StandardCharsets.UTF_8));
            } else {
                send(ex, 404, error("NOT_FOUND", "no such path " + path));
            }
        }
    }

    private synchronized void listSchemas(HttpExchange ex, Map<String, String> q) throws IOException {
        String catalog = q.get("catalog_name");
        if (catalog == null) {
            send(ex, 400, error("INVALID_PARAMETER_VALUE", "catalog_name is required"));
            return;
        }
        List<ObjectNode> all = new ArrayList<>();
        for (String key : schemas.keySet()) {
            if (key.startsWith(catalog + ".")) {
                String name = key.substring(catalog.length() + 1);
                all.add(JSON.createObjectNode().put("name", name).put("catalog_name", catalog).put("full_name", key));
            }
        }
        page(ex, q, all, "schemas", 1000);
    }

    private synchronized void listTables(HttpExchange ex, Map<String, String> q) throws IOException {
        String catalog = q.get("catalog_name");
        String schema = q.get("schema_name");
        if (catalog == null || schema == null) {
            send(ex, 400, error("INVALID_PARAMETER_VALUE", "catalog_name and schema_name are required"));
            return;
        }
        List<ObjectNode> tables = schemas.get(catalog + "." + schema);
        if (tables == null) {
            send(ex, 404, error("SCHEMA_DOES_NOT_EXIST", "Schema not found: " + catalog + "." + schema));
            return;
        }
        page(ex, q, tables, "tables", 50);
    }

    private void page(HttpExchange ex, Map<String, String> q, List<ObjectNode> all, String field, int cap) throws IOException {
        int max = q.containsKey("max_results") ? Integer.parseInt(q.get("max_results")) : 0;
        if (max < 0 || max > cap) {
            send(ex, 400, error("INVALID_PARAMETER_VALUE", "max_results must be between 0 and " + cap));
            return;
        }
        int size = max == 0 ? cap : max;
        int from = q.containsKey("page_token") ? Integer.parseInt(q.get("page_token")) : 0;
        ObjectNode body = JSON.createObjectNode();
        ArrayNode page = body.putArray(field);
        all.subList(Math.min(from, all.size()), Math.min(from + size, all.size())).forEach(page::add);
        if (from + size < all.size()) {
            body.put("next_page_token", String.valueOf(from + size));
        } else {
            body.putNull("next_page_token");
        }
        send(ex, 200, body);
    }

    private synchronized void getTable(HttpExchange ex, String fullName) throws IOException {
        for (List<ObjectNode> tables : schemas.values()) {
            for (ObjectNode t : tables) {
                if (t.get("full_name").asText().equals(fullName)) {
                    send(ex, 200, t);
                    return;
                }
            }
        }
        send(ex, 404, error("TABLE_DOES_NOT_EXIST", "Table not found: " + fullName));
    }

    private static ObjectNode error(String code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
