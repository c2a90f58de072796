package io.deltaagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.error.ConfigException;
import io.deltaagent.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code catalogs:} section and {@code tables:} entries that name a catalog table, validated at load. */
class CatalogConfigTest {

    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path tmp;

    private AgentConfig parse(String yaml) {
        return loader.parse("agent.yaml", yaml);
    }

    @Test
    void catalogDefaultsArePinned() {
        AgentConfig c = parse("catalogs:\n  lake: {type: glue}\n  uc: {type: unity, uri: 'http://uc:8080', catalog: main}\n");
        CatalogsConfig.Catalog lake = c.catalogs().get("lake").orElseThrow();
        assertThat(lake.type()).isEqualTo("glue");
        assertThat(lake.get(CatalogOptions.INCLUDE)).isEmpty();
        assertThat(lake.get(CatalogOptions.EXCLUDE)).isEmpty();
        assertThat(lake.get(CatalogOptions.DISCOVER)).isTrue();
        assertThat(lake.get(CatalogOptions.TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(lake.get(CatalogOptions.PAGE_SIZE)).isEqualTo(100);
        assertThat(lake.get(CatalogOptions.REGION)).isNull();
        assertThat(lake.get(CatalogOptions.ENDPOINT)).isNull();
        assertThat(lake.get(CatalogOptions.DATABASES)).isEmpty();
        CatalogsConfig.Catalog uc = c.catalogs().get("uc").orElseThrow();
        assertThat(uc.get(CatalogOptions.TOKEN_ENV)).isEqualTo("UC_TOKEN");
        assertThat(uc.get(CatalogOptions.TOKEN_FILE)).isNull();
        assertThat(uc.get(CatalogOptions.MAINTAIN_MANAGED)).isFalse();
        assertThat(uc.get(CatalogOptions.SCHEMAS)).isEmpty();
        assertThat(c.listsCatalogs()).isTrue();
    }

    @Test
    void aTableEntryMayNameACatalogTableWithItsOwnSettings() {
        AgentConfig c = parse("catalogs:\n  lake: {type: glue, discover: false}\n"
                + "tables:\n  - path: /data/t\n  - catalog: lake\n    table: sales.orders\n    min-small-files: 7\n");
        assertThat(c.tables()).extracting(TableEntry::path).containsExactly("/data/t");
        assertThat(c.catalogTables()).hasSize(1);
        assertThat(c.catalogTables().get(0).ref()).isEqualTo(new CatalogTableRef("lake", "sales.orders"));
        assertThat(c.catalogTables().get(0).settings().minSmallFiles()).isEqualTo(7);
        assertThat(c.listsCatalogs()).isFalse();
    }

    @Test
    void hiveCatalogsNeedThriftUrisAndRefuseKerberosSettingsByName() {
        AgentConfig c = parse("catalogs:\n  hms: {type: hive, uris: ['thrift://hms-a:9083', 'thrift://hms-b'], databases: [sales]}\n");
        CatalogsConfig.Catalog hms = c.catalogs().byName().get("hms");
        assertThat(hms.get(CatalogOptions.URIS)).containsExactly("thrift://hms-a:9083", "thrift://hms-b");
        assertThat(hms.get(CatalogOptions.HIVE_DATABASES)).containsExactly("sales");
        assertThat(hms.get(CatalogOptions.PAGE_SIZE)).isEqualTo(100);

        assertThatThrownBy(() -> parse("catalogs:\n  hms: {type: hive, uris: ['thrift://hms:9083'], hive.metastore.sasl.enabled: true}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("catalogs.hms.hive.metastore.sasl.enabled: Kerberos/SASL Hive "
                        + "Metastores are not supported");
        assertThatThrownBy(() -> parse("catalogs:\n  hms: {type: hive, uris: ['thrift://hms:9083'], kerberos-principal: hive/_HOST}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("catalogs.hms.kerberos-principal: Kerberos/SASL");
        assertThatThrownBy(() -> parse("catalogs:\n  hms: {type: hive}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("catalogs.hms: 'uris' is required");
        assertThatThrownBy(() -> parse("catalogs:\n  hms: {type: hive, uris: ['http://hms:9083']}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("catalogs.hms.uris");
    }

    @Test
    void badCatalogsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse("catalogs:\n  lake: {type: iceberg}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("agent.yaml: catalogs.lake.type: unknown catalog type 'iceberg'; valid: glue, unity, hive");
        assertThatThrownBy(() -> parse("catalogs:\n  lake: {region: us-east-1}\n"))
                .hasMessageContaining("catalogs.lake: needs a 'type' (glue, unity, hive)");
        assertThatThrownBy(() -> parse("catalogs:\n  lake: {type: glue, uri: 'http://x'}\n"))
                .hasMessageContaining("unknown key 'catalogs.lake.uri'").hasMessageContaining("databases, discover, endpoint");
        assertThatThrownBy(() -> parse("catalogs:\n  uc: {type: unity, catalog: main}\n"))
                .hasMessageContaining("catalogs.uc: 'uri' is required");
        assertThatThrownBy(() -> parse("catalogs:\n  uc: {type: unity, uri: 'http://x', catalog: main, token: s3cr3t}\n"))
                .hasMessageContaining("unknown key 'catalogs.uc.token'").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> parse("catalogs:\n  lake: {type: glue, page-size: 0}\n"))
                .hasMessageContaining("catalogs.lake.page-size: 0 is out of range: must be 1 to 1000");
        assertThatThrownBy(() -> parse("catalogs:\n  lake: {type: glue}\ntables:\n  - catalog: sea\n    table: a.b\n"))
                .hasMessageContaining("agent.yaml: tables[0].catalog: catalog 'sea' is not configured; add a 'catalogs.sea' section "
                        + "(configured: lake)");
        assertThatThrownBy(() -> parse("catalogs:\n  lake: {type: glue}\ntables:\n  - catalog: lake\n"))
                .hasMessageContaining("tables[0]: a catalog entry needs the catalog's 'table' name");
        assertThatThrownBy(() -> parse("catalogs:\n  lake: {type: glue}\ntables:\n  - {catalog: lake, table: a.b}\n"
                + "  - {catalog: lake, table: a.b}\n")).hasMessageContaining("tables[1].table: table lake:a.b is listed twice");
    }

    @Test
    void anUnknownCatalogOnTheCommandLineIsAUsageError() throws Exception {
        Path config = Files.writeString(tmp.resolve("agent.yaml"), "catalogs:\n  lake: {type: glue}\n");

        CliRun run = CliRun.of("audit", "--config", config.toString(), "--catalog", "sea");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--catalog: catalog 'sea' is not configured; add a 'catalogs.sea' section (configured: lake)");
        assertThat(List.of(CliRun.of("plan", "--catalog", "x").exitCode(), CliRun.of("maintain", "--catalog", "x").exitCode()))
                .containsOnly(ExitCode.USAGE);
    }
}
