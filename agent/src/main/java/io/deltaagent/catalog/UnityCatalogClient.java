package io.deltaagent.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        String full = table.chars().filter(c -> c == '.').count() == 1 ? ucCatalog + "." + table : table;
        HttpResponse<String> response = send("tables/" + enc(full), "cannot look up table " + full);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode t = body(response, "cannot look up table " + full);
        String location = deltaLocation(t).orElseThrow(() -> new CatalogException(name, full
                + " is not a Delta table (data_source_format " + text(t, "data_source_format") + ")"));
        if (isManaged(t) && !maintainManaged) {
            throw new CatalogException(name, full + " is a MANAGED table: the catalog maintains it; set catalogs." + name
                    + ".maintain-managed: true to maintain it here");
        }
        return Optional.of(new CatalogTable(name, fullName(t), location, text(t, "table_type")));
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
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET()
                .header("Accept", "application/json");
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
