package io.deltaagent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.UnityCatalogStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unity Catalog catalogs against {@link UnityCatalogStandIn} (the REST 2.1 calls the agent makes, on loopback). */
class UnityCatalogTest {

    private static final String TOKEN = "uc-test-token-5f1e";

    @TempDir
    Path tmp;

    private UnityCatalogStandIn uc;
    private Path orders;
    private Path events;

    @BeforeEach
    void catalog() {
        uc = new UnityCatalogStandIn(TOKEN);
        orders = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        events = Fixtures.copy("spark_optimized", tmp);
        Path managed = Fixtures.copy("spark_unpartitioned_nocheckpoint", tmp);
        uc.table("main", "sales", "orders", "EXTERNAL", "DELTA", orders.toUri().toString());
        uc.table("main", "sales", "raw", "EXTERNAL", "CSV", tmp.resolve("raw").toUri().toString());
        uc.table("main", "sales", "managed_t", "MANAGED", "DELTA", managed.toUri().toString());
        uc.table("main", "ops", "events", "EXTERNAL", "DELTA", events.toUri().toString());
        uc.table("other", "sales", "elsewhere", "EXTERNAL", "DELTA", tmp.resolve("elsewhere").toUri().toString());
    }

    @AfterEach
    void stop() {
        uc.close();
    }

    private Path config(String extra) throws Exception {
        return Files.writeString(tmp.resolve("agent.yaml"), "defaults:\n  max-log-read-latency: 1h\n"
                + "catalogs:\n  uc:\n    type: unity\n    uri: " + uc.uri() + "\n    catalog: main\n" + extra);
    }

    @Test
    void auditListsTheDeltaTablesOfEverySchemaPageByPageAndLeavesManagedOnesToTheCatalog() throws Exception {
        Path config = config("    page-size: 1\n");
        String db = HistoryDb.h2(tmp);

        CliRun run = CliRun.of(Map.of("UC_TOKEN", TOKEN), "audit", "--config", config.toString(), "--catalog", "uc", "--format", "json",
                "--history-db", db);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        JsonNode doc = run.json();
        assertThat(doc.get("tables")).hasSize(2);
        JsonNode o = byTable(doc, orders.toRealPath().toString());
        assertThat(o.get("catalog").get("name").asText()).isEqualTo("uc");
        assertThat(o.get("catalog").get("table").asText()).isEqualTo("main.sales.orders");
        assertThat(o.get("status").asText()).isEqualTo("MAINTENANCE_DUE");
        assertThat(byTable(doc, events.toRealPath().toString()).get("catalog").get("table").asText()).isEqualTo("main.ops.events");
        JsonNode listing = doc.get("catalogs").get(0);
        assertThat(listing.get("managed").asInt()).as("main.sales.managed_t: reported, left to the catalog").isEqualTo(1);
        assertThat(listing.get("nonDelta").asInt()).as("main.sales.raw (CSV)").isEqualTo(1);
        // schemas: 2 pages of 1; tables: sales 3 pages of 1, ops 1 page
        assertThat(listing.get("requests").asInt()).isEqualTo(6);
        assertThat(uc.requests()).anyMatch(r -> r.contains("tables?catalog_name=main&schema_name=sales&max_results=1&page_token="));
        assertThat(uc.authorizations()).as("the token from UC_TOKEN on every call").containsOnly("Bearer " + TOKEN);
        assertThat(run.err()).contains("catalog uc: 2 Delta table(s) listed, 1 non-Delta skipped, 0 excluded, 1 MANAGED left to the catalog");

        // the trend keeps the path as the table's identity, with the catalog's name beside it
        JsonNode report = CliRun.of("report", "--history-db", db, "--format", "json").json();
        String ordersPath = orders.toRealPath().toString();
        JsonNode perTable = StreamSupport.stream(report.get("report").get("perTable").spliterator(), false)
                .filter(t -> t.get("table").asText().equals(ordersPath)).findFirst().orElseThrow();
        assertThat(perTable.get("catalog").asText()).isEqualTo("uc:main.sales.orders");
        assertThat(CliRun.of("report", "--history-db", db).out()).contains(orders.toRealPath() + " (uc:main.sales.orders)");

        CliRun plan = CliRun.of(Map.of("UC_TOKEN", TOKEN), "plan", "--config", config.toString(), "--catalog", "uc");
        assertThat(plan.out()).contains(orders.toRealPath() + " (uc:main.sales.orders) (version 24): ")
                .contains(events.toRealPath() + " (uc:main.ops.events) (version 4): nothing to do");
    }

    @Test
    void tablesNamedInTheConfigAreLookedUpOneByOne() throws Exception {
        Path tokenFile = Files.writeString(tmp.resolve("uc-token"), TOKEN + "\n");
        Path config = config("    discover: false\n    token-file: " + tokenFile + "\n"
                + "tables:\n  - {catalog: uc, table: main.ops.events}\n  - {catalog: uc, table: sales.managed_t}\n"
                + "  - {catalog: uc, table: main.sales.missing}\n");

        CliRun run = CliRun.of("audit", "--config", config.toString(), "--format", "json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.TABLE_FAILED);
        JsonNode doc = run.json();
        assertThat(doc.get("tables")).hasSize(3);
        assertThat(byTable(doc, events.toRealPath().toString()).get("status").asText()).isEqualTo("HEALTHY");
        assertThat(byTable(doc, "uc:sales.managed_t").get("error").get("message").asText())
                .contains("main.sales.managed_t is a MANAGED table: the catalog maintains it; set catalogs.uc.maintain-managed: true");
        JsonNode missing = byTable(doc, "uc:main.sales.missing").get("error");
        assertThat(missing.get("kind").asText()).isEqualTo("NOT_FOUND");
        assertThat(missing.get("message").asText()).isEqualTo("uc:main.sales.missing: catalog uc has no table main.sales.missing");
        assertThat(uc.requests()).as("looked up, not listed").noneMatch(r -> r.contains("tables?"));
    }

    @Test
    void aWrongTokenIsAClearErrorThatDoesNotShowTheToken() throws Exception {
        Path config = config("");

        CliRun run = CliRun.of(Map.of("UC_TOKEN", "not-the-token-77"), "audit", "--config", config.toString(), "--format", "json");

        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        JsonNode error = byTable(run.json(), "catalog uc").get("error");
        assertThat(error.get("message").asText()).startsWith("catalog uc: cannot list the schemas of catalog main: HTTP 401, the token "
                + "(catalogs.uc.token-env / token-file) is missing or lacks permission");
        assertThat(run.out() + run.err()).doesNotContain("not-the-token-77");
    }

    @Test
    void managedTablesAreListedWhenConfiguredToBeMaintainedHere() throws Exception {
        var cfg = new io.deltaagent.config.ConfigLoader().load(config("    schemas: [sales]\n    maintain-managed: true\n"));

        try (CatalogTables tables = new CatalogTables(cfg, Map.of("UC_TOKEN", TOKEN))) {
            CatalogListing listing = tables.resolve(java.util.Set.of()).listings().get(0);

            assertThat(listing.tables()).extracting(CatalogTable::name).containsExactly("main.sales.orders", "main.sales.managed_t");
            assertThat(listing.tables().get(1).tableType()).isEqualTo("MANAGED");
            assertThat(listing.managed()).isZero();
            assertThat(uc.requests()).as("schemas configured: none listed").noneMatch(r -> r.contains("schemas?"));
        }
    }

    @Test
    void maintainReportsACatalogItCannotReachAndStartsNoJobAndSaysRetryLater() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path config = Files.writeString(tmp.resolve("agent.yaml"),
                "catalogs:\n  uc: {type: unity, uri: 'http://127.0.0.1:" + closed + "', catalog: main, timeout: 2s}\n");

        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--backend", "local", "--format", "json",
                "--history-db", HistoryDb.h2(tmp));

        // the run's only source could not be reached: a transient failure, for a scheduler to retry (exit 75)
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.TRANSIENT);
        JsonNode t = run.json().get("tables").get(0);
        assertThat(t.get("table").asText()).isEqualTo("catalog uc");
        assertThat(t.get("status").asText()).isEqualTo("FAILED");
        assertThat(t.get("actions")).isEmpty();
        assertThat(t.get("error").get("message").asText())
                .startsWith("catalog uc: cannot list the schemas of catalog main: http://127.0.0.1:" + closed + "/api/2.1/unity-catalog/ "
                        + "cannot be reached");
    }

    @Test
    void maintainHealsATableFoundInTheCatalogAndHistoryKeepsItsName() throws Exception {
        long rowsBefore = io.deltaagent.testing.DeltaFiles.rows(orders);
        // schema sales: orders (Delta, due), raw (CSV, skipped), managed_t (MANAGED, left to the catalog)
        Path config = config("    schemas: [sales]\n");
        Files.writeString(config, Files.readString(config).replace("defaults:\n", "defaults:\n  hot-partition-window: 0s\n"));
        String db = HistoryDb.h2(tmp);

        CliRun run = CliRun.of(Map.of("UC_TOKEN", TOKEN), "maintain", "--config", config.toString(), "--catalog", "uc",
                "--history-db", db, "--format", "json", "--local-heap", "1g");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        assertThat(run.json().get("tables")).hasSize(1);
        JsonNode result = run.json().get("tables").get(0);
        assertThat(result.get("table").asText()).isEqualTo(orders.toRealPath().toString());
        assertThat(result.get("catalog").get("table").asText()).isEqualTo("main.sales.orders");
        assertThat(result.get("status").asText()).isEqualTo("HEALED");
        assertThat(result.get("after").get("files").asLong()).isEqualTo(3);
        assertThat(io.deltaagent.testing.DeltaFiles.rows(orders)).as("no row lost or duplicated").isEqualTo(rowsBefore);
        assertThat(CliRun.of("history", "--history-db", db).out()).contains(orders.toRealPath() + " (uc:main.sales.orders)  OPTIMIZE");
    }

    private static JsonNode byTable(JsonNode doc, String table) {
        return StreamSupport.stream(doc.get("tables").spliterator(), false).filter(t -> t.get("table").asText().equals(table))
                .findFirst().orElseThrow(() -> new AssertionError("no table " + table + " in " + doc));
    }
}
