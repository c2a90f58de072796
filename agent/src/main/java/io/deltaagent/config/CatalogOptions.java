package io.deltaagent.config;

import java.time.Duration;
import java.util.List;

/**
 * The settings of a catalog under {@code catalogs.NAME} (its {@code type} picks the section). Credentials are never
 * among them: Glue takes the AWS SDK's usual chain, Unity Catalog a token from an environment variable or a file, and a Hive
 * Metastore is reached over unsecured Thrift (Kerberos/SASL is not supported).
 */
public final class CatalogOptions {

    private CatalogOptions() {
    }

    public static final String GLUE = "glue";
    public static final String UNITY = "unity";
    public static final String HIVE = "hive";

    /** Every value {@code type} may take. */
    public static final List<String> TYPES = List.of(GLUE, UNITY, HIVE);

    // ----- every catalog -----

    public static final ConfigOption<List<String>> INCLUDE = ConfigOption.of(
            "include", OptionType.STRING_LIST, List.of(), l -> true, "globs",
            "Tables to list, as globs of the catalog's table name (`db.table` for Glue and Hive, `catalog.schema.table` for Unity; "
                    + "`*` any run of characters, `?` one; case-insensitive). Empty: every table.");

    public static final ConfigOption<List<String>> EXCLUDE = ConfigOption.of(
            "exclude", OptionType.STRING_LIST, List.of(), l -> true, "globs",
            "Tables not to list, as globs like `include`; exclusion wins.");

    public static final ConfigOption<Boolean> DISCOVER = ConfigOption.of(
            "discover", OptionType.BOOLEAN, true, b -> true, "true or false",
            "List the catalog's Delta tables on every run; false: only its tables named under `tables:`, unless "
                    + "`--catalog NAME` asks for it.");

    public static final ConfigOption<Duration> TIMEOUT = ConfigOption.of(
            "timeout", OptionType.DURATION, Duration.ofSeconds(30), d -> !d.isNegative() && !d.isZero(), "> 0",
            "Deadline for listing the catalog (every page) or looking one table up; past it that listing fails, "
                    + "naming the catalog, and the other tables are still audited.");

    public static final ConfigOption<Integer> PAGE_SIZE = ConfigOption.of(
            "page-size", OptionType.INTEGER, 100, n -> n >= 1 && n <= 1000, "1 to 1000",
            "Tables asked for per request (Glue `MaxResults`, Unity `max_results`, the names per Hive "
                    + "`get_table_objects_by_name_req`).");

    // ----- glue -----

    public static final ConfigOption<String> REGION = new ConfigOption<>(
            "region", OptionType.STRING, null, "the SDK's (AWS_REGION, profile)", r -> true, "an AWS region",
            "AWS region of the Glue Data Catalog.");

    public static final ConfigOption<String> ENDPOINT = new ConfigOption<>(
            "endpoint", OptionType.STRING, null, "the region's", e -> e.startsWith("http://") || e.startsWith("https://"),
            "an http(s) URL", "Glue endpoint URL (a VPC endpoint, or a test server).");

    public static final ConfigOption<String> CATALOG_ID = new ConfigOption<>(
            "catalog-id", OptionType.STRING, null, "the caller's account", c -> c.matches("\\d{12}"), "a 12-digit account id",
            "Glue catalog to read: the AWS account id that owns it (for a catalog shared from another account).");

    public static final ConfigOption<List<String>> DATABASES = ConfigOption.of(
            "databases", OptionType.STRING_LIST, List.of(), l -> true, "database names",
            "Glue databases to list; empty: every database (GetDatabases).");

    // ----- unity -----

    public static final ConfigOption<String> URI = new ConfigOption<>(
            "uri", OptionType.STRING, null, "none (required)", e -> e.startsWith("http://") || e.startsWith("https://"),
            "an http(s) URL", "Unity Catalog server, e.g. `https://uc.example.com` (the REST API is under /api/2.1/unity-catalog).");

    public static final ConfigOption<String> UC_CATALOG = new ConfigOption<>(
            "catalog", OptionType.STRING, null, "none (required)", c -> !c.contains("."), "a catalog name",
            "Unity catalog whose schemas are listed.");

    public static final ConfigOption<List<String>> SCHEMAS = ConfigOption.of(
            "schemas", OptionType.STRING_LIST, List.of(), l -> true, "schema names",
            "Schemas to list; empty: every schema of the catalog.");

    public static final ConfigOption<String> TOKEN_ENV = ConfigOption.of(
            "token-env", OptionType.STRING, "UC_TOKEN", v -> v.matches("[A-Za-z_][A-Za-z0-9_]*"), "a variable name",
            "Environment variable holding the bearer token (unset: no token is sent).");

    public static final ConfigOption<String> TOKEN_FILE = new ConfigOption<>(
            "token-file", OptionType.STRING, null, "none", f -> true, "a file path",
            "File holding the bearer token; wins over `token-env`.");

    public static final ConfigOption<Boolean> MAINTAIN_MANAGED = ConfigOption.of(
            "maintain-managed", OptionType.BOOLEAN, false, b -> true, "true or false",
            "Also audit and maintain MANAGED tables; by default they are counted, reported and left to the catalog.");

    // ----- hive -----

    public static final ConfigOption<List<String>> URIS = new ConfigOption<>(
            "uris", OptionType.STRING_LIST, List.of(), "none (required)",
            l -> !l.isEmpty() && l.stream().allMatch(u -> u.matches("thrift://[^/:@\\s]+(:\\d{1,5})?/?")),
            "thrift://host[:port] URIs",
            "Hive Metastore Thrift URIs, e.g. `[thrift://hms.example.com:9083]` (port 9083 when omitted); tried in order "
                    + "until one connects.");

    public static final ConfigOption<List<String>> HIVE_DATABASES = ConfigOption.of(
            "databases", OptionType.STRING_LIST, List.of(), l -> true, "database names",
            "Hive databases to list; empty: every database (`get_all_databases`).");

    private static final List<ConfigOption<?>> COMMON = List.of(INCLUDE, EXCLUDE, DISCOVER, TIMEOUT, PAGE_SIZE);

    public static final OptionSection GLUE_SECTION = new OptionSection(GLUE,
            "`type: glue`: the AWS Glue Data Catalog (GetDatabases, GetTables, GetTable; see docs/CATALOGS.md).",
            concat(COMMON, List.of(REGION, ENDPOINT, CATALOG_ID, DATABASES)));

    public static final OptionSection UNITY_SECTION = new OptionSection(UNITY,
            "`type: unity`: a Unity Catalog (OSS REST API 2.1: list schemas, list tables, get table; see docs/CATALOGS.md).",
            concat(COMMON, List.of(URI, UC_CATALOG, SCHEMAS, TOKEN_ENV, TOKEN_FILE, MAINTAIN_MANAGED)));

    public static final OptionSection HIVE_SECTION = new OptionSection(HIVE,
            "`type: hive`: a Hive Metastore over Thrift (get_all_databases, get_all_tables, get_table_objects_by_name_req, "
                    + "get_table_req; unsecured Thrift only; see docs/CATALOGS.md).",
            concat(COMMON, List.of(URIS, HIVE_DATABASES)));

    public static final List<OptionSection> SECTIONS = List.of(GLUE_SECTION, UNITY_SECTION, HIVE_SECTION);

    private static List<ConfigOption<?>> concat(List<ConfigOption<?>> a, List<ConfigOption<?>> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
