package io.deltaagent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.GluePagingProxy;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.MotoServer;
import io.deltaagent.testing.SilentEndpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.TableInput;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Glue catalogs against moto's server (Glue and S3 on one loopback port; scripts/install-moto), with tables in moto's S3
 * read through S3A, and GetTables/GetDatabases paged by {@link GluePagingProxy} because moto does not page.
 */
class GlueCatalogTest {

    private static MotoServer moto;
    private static GluePagingProxy glueFront;
    private static GlueClient glue;

    @TempDir
    Path tmp;

    @BeforeAll
    static void catalog() throws Exception {
        moto = MotoServer.start();
        glueFront = new GluePagingProxy(moto.endpoint());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        glue = GlueClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials).build();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials).forcePathStyle(true).build()) {
            s3.createBucket(b -> b.bucket("glue-lake"));
        }
        // a bucket of its own and no cached FileSystem: S3A instances are cached per bucket in this JVM
        Configuration conf = new Configuration();
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        moto.s3aSettings().forEach(conf::set);
        upload(conf, "spark_partitioned_checkpoints", "s3a://glue-lake/sales/orders");
        upload(conf, "spark_optimized", "s3a://glue-lake/sales/events");

        glue.createDatabase(b -> b.databaseInput(d -> d.name("sales")));
        // Athena's way: table_type=DELTA, the location in the StorageDescriptor
        table("sales", TableInput.builder().name("orders").tableType("EXTERNAL_TABLE").parameters(Map.of("table_type", "DELTA"))
                .storageDescriptor(sd -> sd.location("s3a://glue-lake/sales/orders")).build());
        // Spark's way: the provider parameter, a placeholder Location and the real one in the SerDe's path
        table("sales", TableInput.builder().name("events").tableType("EXTERNAL_TABLE")
                .parameters(Map.of("spark.sql.sources.provider", "delta"))
                .storageDescriptor(sd -> sd.location("s3a://glue-lake/sales/events-__PLACEHOLDER__")
                        .serdeInfo(s -> s.parameters(Map.of("path", "s3a://glue-lake/sales/events")))).build());
        table("sales", TableInput.builder().name("raw_csv").tableType("EXTERNAL_TABLE").parameters(Map.of("classification", "csv"))
                .storageDescriptor(sd -> sd.location("s3a://glue-lake/sales/raw_csv")).build());
        table("sales", TableInput.builder().name("report_view").tableType("VIRTUAL_VIEW").viewOriginalText("select 1").build());
        // a crawler's way, left out by exclude
        table("sales", TableInput.builder().name("tmp_orders").tableType("EXTERNAL_TABLE").parameters(Map.of("classification", "delta"))
                .storageDescriptor(sd -> sd.location("s3a://glue-lake/sales/tmp_orders")).build());

        glue.createDatabase(b -> b.databaseInput(d -> d.name("paged")));
        for (int i = 0; i < 7; i++) {
            table("paged", TableInput.builder().name("t" + i).parameters(Map.of("classification", "delta"))
                    .storageDescriptor(sd -> sd.location("s3a://glue-lake/paged/t")).build());
        }
    }

    @AfterAll
    static void stop() {
        if (glue != null) {
            glue.close();
        }
        if (glueFront != null) {
            glueFront.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static void upload(Configuration conf, String fixture, String target) throws Exception {
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(Fixtures.table(fixture).toUri());
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
        FileUtil.copy(src.getFileSystem(conf), src, dst.getFileSystem(conf), dst, false, conf);
    }

    private static void table(String db, TableInput input) {
        glue.createTable(b -> b.databaseName(db).tableInput(input));
    }

    private Path config(String catalogs) throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "hadoop:\n  fs.s3a.endpoint: " + moto.endpoint() + "\n  fs.s3a.path.style.access: true\n"
                + "  fs.s3a.connection.ssl.enabled: false\n"
                + "defaults:\n  max-log-read-latency: 1h\n"
                + "catalogs:\n" + catalogs);
        return config;
    }

    private String lake(String extra) {
        return "  lake:\n    type: glue\n    endpoint: " + glueFront.endpoint() + "\n    region: us-east-1\n" + extra;
    }

    @Test
    void auditFindsTheDeltaTablesOfAGlueCatalogByNameAndSkipsTheRest() throws Exception {
        Path config = config(lake("    databases: [sales]\n    exclude: ['*.tmp_*']\n    discover: false\n"));

        CliRun run = CliRun.of(moto.env(), "audit", "--config", config.toString(), "--catalog", "lake", "--format", "json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        JsonNode doc = run.json();
        assertThat(doc.get("tables")).hasSize(2);
        JsonNode orders = byTable(doc, "s3a://glue-lake/sales/orders");
        assertThat(orders.get("catalog").get("name").asText()).isEqualTo("lake");
        assertThat(orders.get("catalog").get("table").asText()).isEqualTo("sales.orders");
        assertThat(orders.get("status").asText()).isEqualTo("MAINTENANCE_DUE");
        assertThat(orders.get("health").get("files").get("activeFiles").asLong())
                .isEqualTo(Fixtures.truth("spark_partitioned_checkpoints").get("numFiles").asLong());
        JsonNode events = byTable(doc, "s3a://glue-lake/sales/events");
        assertThat(events.get("catalog").get("table").asText()).as("read at the SerDe path, not the placeholder").isEqualTo("sales.events");
        assertThat(events.get("status").asText()).isEqualTo("HEALTHY");
        JsonNode listing = doc.get("catalogs").get(0);
        assertThat(listing.get("catalog").asText()).isEqualTo("lake");
        assertThat(listing.get("nonDelta").asInt()).as("raw_csv and report_view: skipped, not errors").isEqualTo(2);
        assertThat(listing.get("excluded").asInt()).as("tmp_orders").isEqualTo(1);
        assertThat(run.err()).contains("catalog lake: 2 Delta table(s) listed, 2 non-Delta skipped, 1 excluded");

        CliRun text = CliRun.of(moto.env(), "audit", "--config", config.toString(), "--catalog", "lake");
        assertThat(text.out()).contains("s3a://glue-lake/sales/orders (lake:sales.orders)").contains("s3a://glue-lake/sales/events (lake:sales.events)");
    }

    @Test
    void includeAndExcludeGlobsPickTheTablesOfEveryDatabase() throws Exception {
        AgentConfig cfg = new ConfigLoader().load(config(lake("    databases: [sales, paged]\n    include: ['SALES.o*', 'paged.t?']\n    exclude: [paged.t3]\n")));

        try (CatalogTables tables = new CatalogTables(cfg, moto.env())) {
            CatalogTables.Resolved resolved = tables.resolve(Set.of());

            assertThat(resolved.failures()).isEmpty();
            assertThat(resolved.listings().get(0).tables().stream().map(CatalogTable::name).sorted())
                    .containsExactly("paged.t0", "paged.t1", "paged.t2", "paged.t4", "paged.t5", "paged.t6", "sales.orders");
            assertThat(resolved.listings().get(0).excluded()).as("sales.events, sales.tmp_orders, paged.t3").isEqualTo(3);
        }
    }

    @Test
    void listingFollowsNextTokenPastOnePage() throws Exception {
        AgentConfig cfg = new ConfigLoader().load(config(lake("    page-size: 2\n    include: ['paged.*']\n")));
        int before = glueFront.pagedRequests();

        try (CatalogTables tables = new CatalogTables(cfg, moto.env())) {
            CatalogListing listing = tables.resolve(Set.of()).listings().get(0);

            assertThat(listing.tables()).extracting(CatalogTable::name).hasSize(7).doesNotHaveDuplicates();
            // every database page of 2, then 4 pages of paged's 7 tables (and sales' pages, if moto lists it)
            assertThat(listing.requests()).isGreaterThanOrEqualTo(1 + 4);
            assertThat(glueFront.pagedRequests() - before).isEqualTo(listing.requests());
        }
    }

    @Test
    void anUnreachableCatalogFailsWithinItsDeadlineAndTheOtherTablesAreStillAudited() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            Path config = config(lake("    databases: [sales]\n    include: [sales.events]\n")
                    + "  dead:\n    type: glue\n    endpoint: http://127.0.0.1:" + silent.port() + "\n    timeout: 2s\n");
            long t0 = System.nanoTime();

            CliRun run = CliRun.of(moto.env(), "audit", "--config", config.toString(), "--format", "json");

            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.TABLE_FAILED);
            JsonNode dead = byTable(run.json(), "catalog dead");
            assertThat(dead.get("status").asText()).isEqualTo("ERROR");
            assertThat(dead.get("error").get("message").asText()).startsWith("catalog dead: ").contains("2s");
            assertThat(byTable(run.json(), "s3a://glue-lake/sales/events").get("status").asText()).isEqualTo("HEALTHY");
            assertThat(seconds).as("the dead catalog is given up after its 2 s timeout").isLessThan(30);
            assertThat(silent.accepted()).isPositive();
        }
    }

    @Test
    void maintainHealsATableFoundByNameAndHistoryKeepsOneIdentity() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        long rowsBefore = DeltaFiles.rows(table);
        glue.createDatabase(b -> b.databaseInput(d -> d.name("local_db")));
        table("local_db", TableInput.builder().name("orders").parameters(Map.of("table_type", "DELTA"))
                .storageDescriptor(sd -> sd.location(table.toUri().toString())).build());
        Path config = config(lake("    databases: [local_db]\n"));
        Files.writeString(config, Files.readString(config).replace("defaults:\n", "defaults:\n  hot-partition-window: 0s\n"));
        String db = HistoryDb.h2(tmp);

        CliRun run = CliRun.of(moto.env(), "maintain", "--config", config.toString(), "--catalog", "lake", "--history-db", db,
                "--format", "json", "--local-heap", "1g");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        assertThat(result.get("table").asText()).isEqualTo(table.toRealPath().toString());
        assertThat(result.get("catalog").get("table").asText()).isEqualTo("local_db.orders");
        assertThat(result.get("status").asText()).isEqualTo("HEALED");
        assertThat(result.get("after").get("files").asLong()).isEqualTo(3);
        assertThat(DeltaFiles.rows(table)).as("no row lost or duplicated").isEqualTo(rowsBefore);

        // the same table named by path: one table, known to the catalog, with the run in its history
        CliRun byPath = CliRun.of(moto.env(), "audit", "--config", config.toString(), "--format", "json", table.toString());
        assertThat(byPath.exitCode()).as(byPath.err()).isEqualTo(ExitCode.HEALTHY);
        assertThat(byPath.json().get("tables")).hasSize(1);
        assertThat(byPath.json().get("tables").get(0).get("catalog").get("table").asText()).isEqualTo("local_db.orders");
        CliRun history = CliRun.of("history", "--history-db", db, "--format", "json", table.toString());
        JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(history.out().trim());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(rows.get(0).get("catalog").get("table").asText()).isEqualTo("local_db.orders");
        assertThat(CliRun.of("history", "--history-db", db).out()).contains(table.toRealPath() + " (lake:local_db.orders)  OPTIMIZE");
    }

    private static JsonNode byTable(JsonNode doc, String table) {
        List<JsonNode> found = new ArrayList<>();
        StreamSupport.stream(doc.get("tables").spliterator(), false).filter(t -> t.get("table").asText().equals(table))
                .forEach(found::add);
        assertThat(found).as("tables named " + table + " in " + doc).hasSize(1);
        return found.get(0);
    }
}
