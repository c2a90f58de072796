package io.deltaagent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.ProtocolCommits;
import io.deltaagent.testing.UnityCatalogStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog-managed table (protocol written per PROTOCOL.md's catalogManaged section) reached through a Unity Catalog
 * entry: the audit asks the catalog for its ratified commits (UC OSS {@code GET /delta/preview/commits}), reads the
 * staged files it names and no others, and gives the figures of a twin table whose same commits were published.
 */
class UnityCatalogStagedCommitsTest {

    private static final long ICT = 1_796_600_000_000L;
    private static final String ADD = "{\"add\":{\"path\":\"date=2024-01-01/ratified-%s.parquet\",\"partitionValues\":"
            + "{\"date\":\"2024-01-01\"},\"size\":%d,\"modificationTime\":" + ICT + ",\"dataChange\":true}}";
    private static final String REMOVE = "{\"remove\":{\"path\":\"date=2024-01-01/ratified-a.parquet\",\"partitionValues\":"
            + "{\"date\":\"2024-01-01\"},\"size\":1000,\"deletionTimestamp\":" + (ICT + 2000) + ",\"dataChange\":true}}";

    @TempDir
    Path tmp;

    private UnityCatalogStandIn uc;

    @BeforeEach
    void catalog() {
        uc = new UnityCatalogStandIn(null);
    }

    @AfterEach
    void stop() {
        uc.close();
    }

    private static String commitInfo(long offset) {
        return "{\"commitInfo\":{\"inCommitTimestamp\":" + (ICT + offset) + ",\"timestamp\":" + (ICT + offset)
                + ",\"operation\":\"WRITE\"}}";
    }

    /** Versions 26 and 27 of the twin tables: an add, then its remove and two adds. */
    private static final String[][] COMMITS = {
        {commitInfo(1000), ADD.formatted("a", 1000)},
        {commitInfo(2000), REMOVE, ADD.formatted("b", 2000), ADD.formatted("c", 3000)},
    };

    /** The catalog-managed table whose versions 26 and 27 are staged and ratified by the catalog, not published. */
    private Path stagedTable(String name) {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp.resolve(name));
        assertThat(ProtocolCommits.makeCatalogManaged(table, "catalogManaged", ICT)).isEqualTo(25);
        uc.table("main", "sales", "orders", "MANAGED", "DELTA", table.toUri().toString());
        for (int i = 0; i < COMMITS.length; i++) {
            Path staged = ProtocolCommits.stage(table, 26 + i, COMMITS[i]);
            uc.ratify("main.sales.orders", 26 + i, staged.getFileName().toString(), sizeOf(staged), ICT + 1000 * (i + 1));
        }
        // a writer's staged commit the catalog did not ratify (it lost the race for version 26): never read
        ProtocolCommits.stage(table, 26, commitInfo(1500), ADD.formatted("lost", 99_999));
        return table;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path config() throws Exception {
        // catalog-managed tables are MANAGED in Unity Catalog: maintain-managed lets the agent reach them at all
        return Files.writeString(tmp.resolve("agent.yaml"), "defaults:\n  max-log-read-latency: 1h\n"
                + "catalogs:\n  uc:\n    type: unity\n    uri: " + uc.uri() + "\n    catalog: main\n    discover: false\n"
                + "    maintain-managed: true\n"
                + "tables:\n  - {catalog: uc, table: main.sales.orders}\n");
    }

    private static JsonNode health(CliRun run) {
        return run.json().get("tables").get(0).get("health");
    }

    @Test
    void theAuditReadsTheRatifiedStagedCommitsAndMatchesATwinWhoseCommitsArePublished() throws Exception {
        Path published = Fixtures.copy("spark_partitioned_checkpoints", tmp.resolve("published"));
        ProtocolCommits.makeCatalogManaged(published, "catalogManaged", ICT);
        for (String[] lines : COMMITS) {
            ProtocolCommits.commit(published, lines);
        }
        stagedTable("staged");
        uc.commitsPageLimit(1); // the spec's pagination: one commit a page, asked again from the next version

        Path byPath = Files.writeString(tmp.resolve("by-path.yaml"), "defaults:\n  max-log-read-latency: 1h\n");
        CliRun twin = CliRun.of("audit", "--format", "json", "--config", byPath.toString(), published.toString());
        CliRun run = CliRun.of("audit", "--format", "json", "--config", config().toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isIn(ExitCode.HEALTHY, ExitCode.MAINTENANCE_DUE);
        JsonNode h = health(run);
        JsonNode t = health(twin);
        assertThat(h.get("identity").get("version").asLong()).isEqualTo(27).isEqualTo(t.get("identity").get("version").asLong());
        assertThat(h.get("files")).isEqualTo(t.get("files"));
        assertThat(h.get("files").get("activeFiles").asLong()).as("150 + b + c, a removed; the unratified add not read").isEqualTo(152);
        assertThat(h.get("tombstones").get("count")).isEqualTo(t.get("tombstones").get("count"));
        assertThat(h.get("tombstones").get("bytes")).isEqualTo(t.get("tombstones").get("bytes"));
        JsonNode managed = h.get("identity").get("catalogManaged");
        assertThat(managed.get("catalogVersion").asLong()).isEqualTo(27);
        assertThat(managed.get("stagedCommitsRead").asLong()).isEqualTo(2);
        assertThat(managed.get("publishedVersion").asLong()).isEqualTo(25);
        assertThat(managed.get("stagedCommitFiles").asLong()).isEqualTo(3);
        assertThat(managed.get("catalogNote").isNull()).isTrue();
        assertThat(uc.requests()).as("asked page by page").filteredOn(r -> r.contains("delta/preview/commits")).hasSize(2);

        CliRun text = CliRun.of("audit", "--config", config().toString());
        assertThat(text.out()).contains("catalog-managed catalogManaged: figures as of the catalog's latest version 27 "
                + "(2 ratified staged commit(s) read, published up to version 25)");
    }

    @Test
    void publishedVersionsNewerThanTheCatalogsLatestAreIgnored() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp.resolve("ahead"));
        ProtocolCommits.makeCatalogManaged(table, "catalogManaged", ICT);
        ProtocolCommits.commit(table, COMMITS[0]);
        uc.table("main", "sales", "orders", "MANAGED", "DELTA", table.toUri().toString());
        uc.latestVersion("main.sales.orders", 25);

        CliRun run = CliRun.of("audit", "--format", "json", "--config", config().toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isIn(ExitCode.HEALTHY, ExitCode.MAINTENANCE_DUE);
        JsonNode h = health(run);
        assertThat(h.get("identity").get("version").asLong()).isEqualTo(25);
        assertThat(h.get("files").get("activeFiles").asLong()).as("version 26's add is past the catalog's version").isEqualTo(150);
        assertThat(h.get("identity").get("catalogManaged").get("catalogVersion").asLong()).isEqualTo(25);
    }

    @Test
    void aCatalogWithoutTheCommitsCallGivesThePublishedFiguresAndSaysSo() throws Exception {
        stagedTable("staged");
        uc.offersCommits(false);

        CliRun run = CliRun.of("audit", "--format", "json", "--config", config().toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isIn(ExitCode.HEALTHY, ExitCode.MAINTENANCE_DUE);
        JsonNode h = health(run);
        assertThat(h.get("identity").get("version").asLong()).isEqualTo(25);
        assertThat(h.get("files").get("activeFiles").asLong()).isEqualTo(150);
        JsonNode managed = h.get("identity").get("catalogManaged");
        assertThat(managed.get("catalogVersion").isNull()).isTrue();
        assertThat(managed.get("stagedCommitsRead").asLong()).isZero();
        assertThat(managed.get("catalogNote").asText()).isEqualTo("catalog uc gave no ratified commits (it does not offer "
                + "GET /delta/preview/commits (HTTP 404 or 501)): figures as of the newest published version");
        assertThat(CliRun.of("audit", "--config", config().toString()).out())
                .contains("catalog-managed catalogManaged: figures as of published version 25 (3 staged commit file(s)")
                .contains("catalog note    catalog uc gave no ratified commits");
    }

    @Test
    void aCatalogWhoseCommitsCallFailsDoesNotFailTheTable() throws Exception {
        stagedTable("staged");
        uc.commitsStatus(500);

        CliRun run = CliRun.of("audit", "--format", "json", "--config", config().toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isIn(ExitCode.HEALTHY, ExitCode.MAINTENANCE_DUE);
        JsonNode h = health(run);
        assertThat(h.get("identity").get("version").asLong()).isEqualTo(25);
        assertThat(h.get("identity").get("catalogManaged").get("catalogNote").asText())
                .startsWith("catalog uc gave no ratified commits (cannot get the commits of table ").contains("HTTP 500")
                .endsWith(": figures as of the newest published version");
    }

    @Test
    void planAndMaintainStillExitFourAsOfTheCatalogsVersion() throws Exception {
        Path table = stagedTable("staged");

        CliRun plan = CliRun.of("plan", "--format", "json", "--config", config().toString());
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(ExitCode.NOT_MAINTAINABLE);
        JsonNode p = plan.json().get("tables").get(0).get("plan");
        assertThat(p.get("actions")).isEmpty();
        assertThat(p.get("notMaintainable").asText()).contains("catalog-managed").endsWith("the catalog's latest version 27");

        CliRun maintain = CliRun.of("maintain", "--config", config().toString(), "--history-db",
                "jdbc:h2:file:" + tmp.resolve("history"), "--format", "json");
        assertThat(maintain.exitCode()).as(maintain.out() + maintain.err()).isEqualTo(ExitCode.NOT_MAINTAINABLE);
        assertThat(maintain.json().get("tables").get(0).get("actions")).isEmpty();
        assertThat(table.resolve("_delta_log/00000000000000000026.json")).as("nothing published by the agent").doesNotExist();
    }
}
