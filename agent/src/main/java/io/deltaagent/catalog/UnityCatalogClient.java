package io.deltaagent.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.deltalog.RatifiedCommits;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Unity Catalog (OSS REST API 2.1, {@code api/all.yaml} of unitycatalog/unitycatalog): {@code GET /schemas} (when no
 * schemas are configured) and {@code GET /tables}, every page followed by {@code next_page_token}; {@code GET
 * /tables/{full_name}} for one named table. A table is Delta when {@code data_source_format} is {@code DELTA}; its
 * files are at {@code storage_location}. MANAGED tables belong to the catalog, which maintains them itself: they are
 * counted and left alone unless {@code maintainManaged}.
 */
public final class UnityCatalogClient implements CatalogClient {

    /** The API caps {@code max_results} of a tables page at 50. */
    private static final int MAX_TABLES_PAGE = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final URI base;
    private final String ucCatalog;
    private final List<String> schemas;
    private final NameFilter filter;
    private final int pageSize;
    private final boolean maintainManaged;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /** @param token the bearer token, or null to send none */
    public UnityCatalogClient(String name, URI server, String ucCatalog, List<String> schemas, NameFilter filter, int pageSize,
                              boolean maintainManaged, String token, Duration timeout) {
        this.name = name;
        String s = server.toString();
        this.base = URI.create((s.endsWith("/") ? s : s + "/") + "api/2.1/unity-catalog/");
        this.ucCatalog = ucCatalog;
        this.schemas = List.copyOf(schemas);
        this.filter = filter;
        this.pageSize = pageSize;
        this.maintainManaged = maintainManaged;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CatalogListing list() {
        CatalogListing.Tally tally = new CatalogListing.Tally(name, filter);
        List<String> names = schemas.isEmpty() ? allSchemas(tally) : schemas;
        for (String schema : names) {
            String token = null;
            do {
                JsonNode page = get("tables?catalog_name=" + enc(ucCatalog) + "&schema_name=" + enc(schema) + "&max_results="
                        + Math.min(pageSize, MAX_TABLES_PAGE) + (token == null ? "" : "&page_token=" + enc(token)),
                        "cannot list the tables of schema " + ucCatalog + "." + schema);
                tally.request();
                for (JsonNode t : page.path("tables")) {
                    tally.table(fullName(t), deltaLocation(t), text(t, "table_type"), isManaged(t) && !maintainManaged);
                }
                token = text(page, "next_page_token");
            } while (token != null && !token.isEmpty());
        }
        return tally.listing();
    }

    @Override
    public Optional<CatalogTable> lookup(String table) {
        String full = fullName(table);
        Optional<JsonNode> found = tableInfo(full);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JsonNode t = found.get();
        String location = deltaLocation(t).orElseThrow(() -> new CatalogException(name, full
                + " is not a Delta table (data_source_format " + text(t, "data_source_format") + ")"));
        if (isManaged(t) && !maintainManaged) {
            throw new CatalogException(name, full + " is a MANAGED table: the catalog maintains it; set catalogs." + name
                    + ".maintain-managed: true to maintain it here");
        }
        return Optional.of(new CatalogTable(name, fullName(t), location, text(t, "table_type")));
    }

    /** {@code GET /tables/{full_name}}: the TableInfo, empty when the catalog has no such table. */
    private Optional<JsonNode> tableInfo(String full) {
        HttpResponse<String> response = send("tables/" + enc(full), "cannot look up table " + full);
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(body(response, "cannot look up table " + full));
    }

    private String fullName(String table) {
        return table.chars().filter(c -> c == '.').count() == 1 ? ucCatalog + "." + table : table;
    }

    /**
     * The ratified commits not yet published of the table the catalog calls {@code table}: its {@code table_id} and
     * {@code storage_location} from get table (whatever its type: a catalog-managed table is usually MANAGED), then
     * {@link #ratifiedCommits(String, String, long)} from version 0.
     *
     * @return empty when the catalog does not offer the commits call
     * @throws CatalogException when the table is unknown, or the catalog cannot be reached or fails
     */
    public Optional<RatifiedCommits> ratifiedCommits(String table) {
        String full = fullName(table);
        JsonNode t = tableInfo(full).orElseThrow(() -> new CatalogException(name, "has no table " + full));
        String id = text(t, "table_id");
        String location = text(t, "storage_location");
        if (id == null || location == null) {
            throw new CatalogException(name, full + ": get table gave no table_id or storage_location");
        }
        return ratifiedCommits(id, location, 0);
    }

    /**
     * The table's ratified commits not yet published, from {@code GET /delta/preview/commits} with a DeltaGetCommits
     * body, following the spec's pagination (ask again from the last version + 1 until {@code latest_table_version}).
     *
     * @return empty when this catalog does not offer the call (HTTP 404 or 501: an older server, or not Unity Catalog OSS)
     * @throws CatalogException when the catalog cannot be reached or answers otherwise
     */
    public Optional<RatifiedCommits> ratifiedCommits(String tableId, String tableUri, long startVersion) {
        String what = "cannot get the commits of table " + tableId + " (" + tableUri + ")";
        List<RatifiedCommits.Commit> commits = new ArrayList<>();
        long from = startVersion;
        long latest;
        while (true) {
            ObjectNode request = JSON.createObjectNode().put("table_id", tableId).put("table_uri", tableUri).put("start_version", from);
            HttpResponse<String> response = send("delta/preview/commits", what, request.toString());
            if (response.statusCode() == 404 || response.statusCode() == 501) {
                return Optional.empty();
            }
            JsonNode page = body(response, what);
            latest = page.path("latest_table_version").asLong(-1);
            long last = from - 1;
            for (JsonNode c : page.path("commits")) {
                RatifiedCommits.Commit commit = new RatifiedCommits.Commit(c.path("version").asLong(), c.path("timestamp").asLong(),
                        text(c, "file_name"), c.path("file_size").asLong());
                commits.add(commit);
                last = Math.max(last, commit.version());
            }
            // a page that did not reach the latest version and made progress: more unpublished commits may follow
            if (last >= latest || last < from) {
                break;
            }
            from = last + 1;
        }
        return Optional.of(new RatifiedCommits(latest, commits));
    }

    private List<String> allSchemas(CatalogListing.Tally tally) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = get("schemas?catalog_name=" + enc(ucCatalog) + "&max_results=" + pageSize
                    + (token == null ? "" : "&page_token=" + enc(token)), "cannot list the schemas of catalog " + ucCatalog);
            tally.request();
            page.path("schemas").forEach(s -> out.add(s.path("name").asText()));
            token = text(page, "next_page_token");
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static Optional<String> deltaLocation(JsonNode t) {
        String location = text(t, "storage_location");
        return "DELTA".equalsIgnoreCase(text(t, "data_source_format")) && location != null && !location.isBlank()
                ? Optional.of(location.trim()) : Optional.empty();
    }

    private static boolean isManaged(JsonNode t) {
        return "MANAGED".equalsIgnoreCase(text(t, "table_type"));
    }

    private String fullName(JsonNode t) {
        String full = text(t, "full_name");
        return full != null ? full : text(t, "catalog_name") + "." + text(t, "schema_name") + "." + text(t, "name");
    }

    private JsonNode get(String path, String what) {
        return body(send(path, what), what);
    }

    private HttpResponse<String> send(String path, String what) {
        return send(path, what, null);
    }

    /** @param jsonBody a GET body (the spec's getCommits takes its DeltaGetCommits as one), or null */
    private HttpResponse<String> send(String path, String what, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json");
        if (jsonBody == null) {
            request.GET();
        } else {
            request.method("GET", HttpRequest.BodyPublishers.ofString(jsonBody)).header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CatalogException(name, what + ": " + base + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogException(name, what + ": interrupted", e);
        }
    }

    private JsonNode body(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new CatalogException(name, what + ": HTTP " + status + ", the token (catalogs." + name
                    + ".token-env / token-file) is missing or lacks permission");
        }
        if (status != 200) {
            throw new CatalogException(name, what + ": HTTP " + status + ": " + abbreviate(response.body()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CatalogException(name, what + ": the answer is not JSON: " + abbreviate(response.body()), e);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // the JDK client's threads end with it (no close before Java 21)
    }
}
