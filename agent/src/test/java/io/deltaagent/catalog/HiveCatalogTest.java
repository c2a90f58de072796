package io.deltaagent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.error.TableReadException;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.HiveMetastoreServer;
import io.deltaagent.testing.MotoServer;
import io.deltaagent.testing.SilentEndpoint;
import java.net.ServerSocket;
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
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Hive catalogs against Apache Hive's standalone metastore server (scripts/install-hms; its own JVM, embedded Derby), one
 * start per class, with tables registered over Thrift the way Spark registers them and stored in copies of the
 * Spark-written fixtures (on local disk, and one in moto's S3 read through S3A).
 */
class HiveCatalogTest {

    private static HiveMetastoreServer hms;
    private static Path lake;
    private static Path orders;
    private static Path events;

    @TempDir
    Path tmp;

    @BeforeAll
    static void metastore() throws Exception {
        hms = HiveMetastoreServer.start();
        System.err.println("HiveCatalogTest: the metastore answered after " + hms.startup().toMillis() + " ms");
        lake = Files.createTempDirectory("hive-lake-");
        orders = Fixtures.copy("spark_partitioned_checkpoints", lake.resolve("orders"));
        events = Fixtures.copy("spark_optimized", lake.resolve("events"));

        hms.createDatabase("sales");
        // the location in sd.location only
        hms.createTable(HiveMetastoreServer.sparkTable("sales", "orders", "delta", null, orders.toUri().toString()));
        // Spark's way: the real location in the SerDe's path, a placeholder in sd.location
        hms.createTable(HiveMetastoreServer.sparkTable("sales", "events", "DELTA", events.toUri().toString(),
                lake.resolve("events-__PLACEHOLDER__").toUri().toString()));
        hms.createTable(HiveMetastoreServer.sparkTable("sales", "raw_parquet", "parquet", null,
                lake.resolve("raw_parquet").toUri().toString()));
        hms.createTable(HiveMetastoreServer.sparkTable("sales", "raw_text", null, null, lake.resolve("raw_text").toUri().toString()));
        hms.createTable(HiveMetastoreServer.view("sales", "report_view"));
        hms.createTable(HiveMetastoreServer.sparkTable("sales", "tmp_orders", "delta", null, orders.toUri().toString()));

        hms.createDatabase("batched");
        for (int i = 0; i < 7; i++) {
            hms.createTable(HiveMetastoreServer.sparkTable("batched", "t" + i, "delta", null,
                    lake.resolve("batched-t" + i).toUri().toString()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (hms != null) {
            hms.close();
        }
        if (lake != null) {
            Fixtures.deleteTree(lake);
        }
    }

    private Path config(String catalogs) throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  max-log-read-latency: 1h\ncatalogs:\n" + catalogs);
        return config;
    }

    private static String hmsCatalog(String extra) {
        return "  hms:\n    type: hive\n    uris: [" + hms.uri() + "]\n" + extra;
    }

    @Test
    void auditFindsTheDeltaTablesOfAHiveMetastoreByNameAndSkipsTheRest() throws Exception {
        Path config = config(hmsCatalog("    databases: [sales]\n    exclude: ['*.tmp_*']\n    discover: false\n"));

        CliRun run = CliRun.of("audit", "--config", config.toString(), "--catalog", "hms", "--format", "json");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        JsonNode doc = run.json();
        assertThat(doc.get("tables")).hasSize(2);
        JsonNode o = byTable(doc, orders.toRealPath().toString());
        assertThat(o.get("catalog").get("name").asText()).isEqualTo("hms");
        assertThat(o.get("catalog").get("table").asText()).isEqualTo("sales.orders");
        assertThat(o.get("status").asText()).isEqualTo("MAINTENANCE_DUE");
        assertThat(o.get("health").get("files").get("activeFiles").asLong())
                .isEqualTo(Fixtures.truth("spark_partitioned_checkpoints").get("numFiles").asLong());
        JsonNode e = byTable(doc, events.toRealPath().toString());
        assertThat(e.get("catalog").get("table").asText()).as("read at the SerDe path, not the placeholder").isEqualTo("sales.events");
        assertThat(e.get("status").asText()).isEqualTo("HEALTHY");
        JsonNode listing = doc.get("catalogs").get(0);
        assertThat(listing.get("catalog").asText()).isEqualTo("hms");
        assertThat(listing.get("nonDelta").asInt()).as("raw_parquet, raw_text and report_view: skipped, not errors").isEqualTo(3);
        assertThat(listing.get("excluded").asInt()).as("tmp_orders").isEqualTo(1);
        assertThat(run.err()).contains("catalog hms: 2 Delta table(s) listed, 3 non-Delta skipped, 1 excluded");

        CliRun text = CliRun.of("audit", "--config", config.toString(), "--catalog", "hms");
        assertThat(text.out()).contains(orders.toRealPath() + " (hms:sales.orders)").contains(events.toRealPath() + " (hms:sales.events)");
    }

    @Test
    void includeAndExcludeGlobsPickTheTablesOfEveryDatabase() throws Exception {
        AgentConfig cfg = new ConfigLoader().load(config(hmsCatalog("    include: ['SALES.o*', 'batched.t?']\n    exclude: [batched.t3]\n")));

        try (CatalogTables tables = new CatalogTables(cfg, Map.of())) {
            CatalogTables.Resolved resolved = tables.resolve(Set.of());

            assertThat(resolved.failures()).isEmpty();
            assertThat(resolved.listings().get(0).tables().stream().map(CatalogTable::name).sorted())
                    .containsExactly("batched.t0", "batched.t1", "batched.t2", "batched.t4", "batched.t5", "batched.t6", "sales.orders");
            assertThat(resolved.listings().get(0).excluded()).as("sales.events, sales.tmp_orders, batched.t3").isEqualTo(3);
        }
    }

    @Test
    void listingReadsTheTableObjectsInBatchesOfPageSize() throws Exception {
        AgentConfig cfg = new ConfigLoader().load(config(hmsCatalog("    databases: [batched]\n    page-size: 2\n")));

        try (CatalogTables tables = new CatalogTables(cfg, Map.of())) {
            CatalogListing listing = tables.resolve(Set.of()).listings().get(0);

            assertThat(listing.tables()).extracting(CatalogTable::name)
                    .containsExactlyInAnyOrder("batched.t0", "batched.t1", "batched.t2", "batched.t3", "batched.t4", "batched.t5", "batched.t6");
            assertThat(listing.tables()).extracting(CatalogTable::location).allMatch(l -> l.contains("batched-t"));
            // get_database, get_all_tables, then 4 batches of at most 2 of the 7 names
            assertThat(listing.requests()).isEqualTo(1 + 1 + 4);
        }
    }

    @Test
    void aMisspeltDatabaseIsNamed() throws Exception {
        AgentConfig cfg = new ConfigLoader().load(config(hmsCatalog("    databases: [batched, salse]\n")));

        try (CatalogTables tables = new CatalogTables(cfg, Map.of())) {
            CatalogTables.Resolved resolved = tables.resolve(Set.of());

            assertThat(resolved.listings()).isEmpty();
            assertThat(resolved.failures()).singleElement().extracting(TableReadException::getMessage).asString()
                    .contains("Hive database salse does not exist (catalogs.hms.databases)");
        }
    }

    @Test
    void namedTablesAreLookedUpOneByOne() throws Exception {
        Path config = config(hmsCatalog("    discover: false\n"));
        Files.writeString(config, Files.readString(config) + "tables:\n  - {catalog: hms, table: sales.events}\n"
                + "  - {catalog: hms, table: sales.report_view}\n  - {catalog: hms, table: sales.nope}\n");
        AgentConfig cfg = new ConfigLoader().load(config);

        try (CatalogTables tables = new CatalogTables(cfg, Map.of())) {
            CatalogTables.Resolved resolved = tables.resolve(Set.of());

            assertThat(resolved.entries()).containsOnlyKeys(events.toRealPath().toString());
            assertThat(resolved.failures()).extracting(TableReadException::getMessage).containsExactlyInAnyOrder(
                    "hms:sales.report_view: catalog hms: sales.report_view is not a Delta table (a VIRTUAL_VIEW)",
                    "hms:sales.nope: catalog hms has no table sales.nope");
        }
    }

    @Test
    void anUnreachableMetastoreFailsWithinItsDeadlineAndTheOtherTablesAreStillAudited() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (SilentEndpoint silent = new SilentEndpoint()) {
            Path config = config(hmsCatalog("    databases: [sales]\n    include: [sales.events]\n")
                    + "  silent:\n    type: hive\n    uris: [thrift://127.0.0.1:" + silent.port() + "]\n    timeout: 2s\n"
                    + "  refused:\n    type: hive\n    uris: ['thrift://127.0.0.1:" + closedPort + "']\n    timeout: 2s\n");
            long t0 = System.nanoTime();

            CliRun run = CliRun.of("audit", "--config", config.toString(), "--format", "json");

            long seconds = (System.nanoTime() - t0) / 1_000_000_000;
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.TABLE_FAILED);
            JsonNode dead = byTable(run.json(), "catalog silent");
            assertThat(dead.get("status").asText()).isEqualTo("ERROR");
            assertThat(dead.get("error").get("message").asText()).startsWith("catalog silent: ").contains("2s");
            JsonNode refused = byTable(run.json(), "catalog refused");
            assertThat(refused.get("error").get("message").asText())
                    .startsWith("catalog refused: cannot reach the Hive Metastore (catalogs.refused.uris): thrift://127.0.0.1:" + closedPort)
                    .containsIgnoringCase("refused");
            assertThat(byTable(run.json(), events.toRealPath().toString()).get("status").asText()).isEqualTo("HEALTHY");
            assertThat(seconds).as("the silent metastore is given up after its 2 s timeout").isLessThan(30);
            assertThat(silent.accepted()).isPositive();
        }
    }

    @Test
    void aTableInS3IsReadAtTheS3aPathSparkRegistered() throws Exception {
        try (MotoServer moto = MotoServer.start()) {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
            try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.of(MotoServer.REGION))
                    .credentialsProvider(credentials).forcePathStyle(true).build()) {
                s3.createBucket(b -> b.bucket("hms-lake"));
            }
            // a bucket of its own and no cached FileSystem: S3A instances are cached per bucket in this JVM, and other
            // tests' moto servers (on other ports) served a bucket named lake
            Configuration conf = new Configuration();
            conf.setBoolean("fs.s3a.impl.disable.cache", true);
            moto.s3aSettings().forEach(conf::set);
            org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(Fixtures.table("spark_partitioned_checkpoints").toUri());
            org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path("s3a://hms-lake/s3_db/orders");
            FileUtil.copy(src.getFileSystem(conf), src, dst.getFileSystem(conf), dst, false, conf);
            hms.createDatabase("s3_db");
            // the metastore never touches S3: Spark's placeholder in sd.location, the table's path in the SerDe's
            hms.createTable(HiveMetastoreServer.sparkTable("s3_db", "orders", "delta", "s3a://hms-lake/s3_db/orders",
                    lake.resolve("s3_db-orders-__PLACEHOLDER__").toUri().toString()));
            Path config = tmp.resolve("agent.yaml");
            Files.writeString(config, "hadoop:\n  fs.s3a.endpoint: " + moto.endpoint() + "\n  fs.s3a.path.style.access: true\n"
                    + "  fs.s3a.connection.ssl.enabled: false\n"
                    + "defaults:\n  max-log-read-latency: 1h\ncatalogs:\n" + hmsCatalog("    databases: [s3_db]\n"));

            CliRun run;
            try {
                run = CliRun.of(moto.env(), "audit", "--config", config.toString(), "--catalog", "hms", "--format", "json");
            } finally {
                hms.admin(h -> h.drop_database("s3_db", false, true));
            }

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
            JsonNode t = byTable(run.json(), "s3a://hms-lake/s3_db/orders");
            assertThat(t.get("catalog").get("table").asText()).isEqualTo("s3_db.orders");
            assertThat(t.get("health").get("files").get("activeFiles").asLong())
                    .isEqualTo(Fixtures.truth("spark_partitioned_checkpoints").get("numFiles").asLong());
        }
    }

    @Test
    void maintainHealsATableFoundInTheMetastoreAndHistoryKeepsItsName() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        long rowsBefore = DeltaFiles.rows(table);
        hms.createDatabase("local_db");
        hms.createTable(HiveMetastoreServer.sparkTable("local_db", "orders", "delta", table.toUri().toString(),
                table.toUri().toString()));
        Path config = config(hmsCatalog("    databases: [local_db]\n"));
        Files.writeString(config, Files.readString(config).replace("defaults:\n", "defaults:\n  hot-partition-window: 0s\n"));
        String db = HistoryDb.h2(tmp);

        CliRun run;
        try {
            run = CliRun.of("maintain", "--config", config.toString(), "--catalog", "hms", "--history-db", db,
                    "--format", "json", "--local-heap", "1g");
        } finally {
            // the other tests list every database: leave them the metastore they expect (the files stay)
            hms.admin(h -> h.drop_database("local_db", false, true));
        }

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        assertThat(result.get("table").asText()).isEqualTo(table.toRealPath().toString());
        assertThat(result.get("catalog").get("table").asText()).isEqualTo("local_db.orders");
        assertThat(result.get("status").asText()).isEqualTo("HEALED");
        assertThat(result.get("after").get("files").asLong()).isEqualTo(3);
        assertThat(DeltaFiles.rows(table)).as("no row lost or duplicated").isEqualTo(rowsBefore);
        assertThat(CliRun.of("history", "--history-db", db).out()).contains(table.toRealPath() + " (hms:local_db.orders)  OPTIMIZE");
    }

    private static JsonNode byTable(JsonNode doc, String table) {
        List<JsonNode> found = new ArrayList<>();
        StreamSupport.stream(doc.get("tables").spliterator(), false).filter(t -> t.get("table").asText().equals(table))
                .forEach(found::add);
        assertThat(found).as("tables named " + table + " in " + doc).hasSize(1);
        return found.get(0);
    }
}
