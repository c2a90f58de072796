package io.deltaagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code max_results}, which the spec caps at 50, and {@code next_page_token}), get table, and get commits
 * ({@code GET /delta/preview/commits} with a DeltaGetCommits body, answering DeltaGetCommitsResponse, at most
 * {@link #commitsPageLimit} commits a page as the server's config limits them); errors as {@code {error_code, message}}. Not the real server (its jar is not served here).
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
    /** table_id -> the ratified, unpublished commits (DeltaCommitInfo) */
    private final Map<String, List<ObjectNode>> commits = new LinkedHashMap<>();
    /** table_id -> latest_table_version */
    private final Map<String, Long> latestVersions = new LinkedHashMap<>();
    private volatile boolean offersCommits = true;
    private volatile int commitsPageLimit = 50;
    private volatile int commitsStatus;

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

    /** The table_id the stand-in gave a table. */
    public synchronized String tableId(String fullName) {
        return schemas.values().stream().flatMap(List::stream).filter(t -> t.get("full_name").asText().equals(fullName))
                .findFirst().orElseThrow().get("table_id").asText();
    }

    /** Records a commit the catalog ratified and has not published: the staged file's name and size, its version. */
    public synchronized void ratify(String fullName, long version, String fileName, long fileSize, long timestamp) {
        String id = tableId(fullName);
        commits.computeIfAbsent(id, k -> new ArrayList<>()).add(JSON.createObjectNode().put("version", version)
                .put("timestamp", timestamp).put("file_name", fileName).put("file_size", fileSize)
                .put("file_modification_timestamp", timestamp));
        latestVersions.merge(id, version, Math::max);
    }

    /** The catalog's latest version of a table whose commits are all published (no unpublished commits). */
    public synchronized void latestVersion(String fullName, long version) {
        latestVersions.put(tableId(fullName), version);
    }

    /** False: the server predates the commits API and answers 404 for it, as an unknown path. */
    public void offersCommits(boolean offers) {
        this.offersCommits = offers;
    }

    /** Non-zero: get commits answers with this HTTP status (a server error), the other calls as usual. */
    public void commitsStatus(int status) {
        this.commitsStatus = status;
    }

    public void commitsPageLimit(int limit) {
        this.commitsPageLimit = limit;
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
            } else if (path.equals("delta/preview/commits") && offersCommits) {
                getCommits(ex);
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

    private synchronized void getCommits(HttpExchange ex) throws IOException {
        if (commitsStatus != 0) {
            send(ex, commitsStatus, error("INTERNAL_ERROR", "the stand-in fails get commits on purpose"));
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(ex.getRequestBody());
        } catch (IOException e) {
            send(ex, 400, error("INVALID_PARAMETER_VALUE", "the body is not JSON"));
            return;
        }
        if (request == null || !request.hasNonNull("table_id") || !request.hasNonNull("table_uri") || !request.hasNonNull("start_version")) {
            send(ex, 400, error("INVALID_PARAMETER_VALUE", "table_id, table_uri and start_version are required"));
            return;
        }
        String id = request.get("table_id").asText();
        ObjectNode table = schemas.values().stream().flatMap(List::stream).filter(t -> t.get("table_id").asText().equals(id))
                .findFirst().orElse(null);
        if (table == null) {
            send(ex, 404, error("TABLE_DOES_NOT_EXIST", "Table not found: " + id));
            return;
        }
        if (!table.get("storage_location").asText().equals(request.get("table_uri").asText())) {
            send(ex, 400, error("INVALID_PARAMETER_VALUE", "table_uri does not match the table's storage location"));
            return;
        }
        long start = request.get("start_version").asLong();
        long end = request.hasNonNull("end_version") ? request.get("end_version").asLong() : Long.MAX_VALUE;
        ObjectNode body = JSON.createObjectNode();
        ArrayNode out = body.putArray("commits");
        commits.getOrDefault(id, List.of()).stream()
                .filter(c -> c.get("version").asLong() >= start && c.get("version").asLong() <= end)
                .sorted(java.util.Comparator.comparingLong(c -> c.get("version").asLong()))
                .limit(commitsPageLimit).forEach(out::add);
        body.put("latest_table_version", latestVersions.getOrDefault(id, -1L));
        send(ex, 200, body);
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
