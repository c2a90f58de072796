package io.deltaagent.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetDatabasesResponse;
import software.amazon.awssdk.services.glue.model.GetTablesResponse;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * The AWS Glue Data Catalog: GetDatabases (when no databases are configured) and GetTables, every page followed by
 * NextToken; GetTable for one named table. Needs glue:GetDatabases, glue:GetTables and glue:GetTable.
 *
 * <p>A Glue table is Delta when any writer marked it so: Athena and Delta's manifest-free integrations set the
 * parameter {@code table_type=DELTA}, Spark's Hive-metastore tables {@code spark.sql.sources.provider=delta}, and crawlers
 * {@code classification=delta}. Spark keeps the real location in the SerDe parameter {@code path} and writes a
 * placeholder to the StorageDescriptor's Location, so {@code path} wins when present.
 */
public final class GlueCatalogClient implements CatalogClient {

    private final String name;
    private final GlueClient glue;
    private final String catalogId;
    private final List<String> databases;
    private final NameFilter filter;
    private final int pageSize;

    /**
     * @param catalogId the Glue catalog (account id), or null for the caller's
     * @param databases the databases to list, or empty for all of them
     */
    public GlueCatalogClient(String name, GlueClient glue, String catalogId, List<String> databases, NameFilter filter,
                             int pageSize) {
        this.name = name;
        this.glue = glue;
        this.catalogId = catalogId;
        this.databases = List.copyOf(databases);
        this.filter = filter;
        this.pageSize = pageSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CatalogListing list() {
        CatalogListing.Tally tally = new CatalogListing.Tally(name, filter);
        List<String> dbs = databases.isEmpty() ? allDatabases(tally) : databases;
        for (String db : dbs) {
            String token = null;
            do {
                GetTablesResponse page;
                String next = token;
                try {
                    page = glue.getTables(b -> b.catalogId(catalogId).databaseName(db).maxResults(pageSize).nextToken(next));
                } catch (EntityNotFoundException e) {
                    throw new CatalogException(name, "Glue database " + db + " does not exist (catalogs." + name + ".databases)", e);
                } catch (SdkException e) {
                    throw failure("cannot list the tables of Glue database " + db, e);
                }
                tally.request();
                for (Table t : page.tableList()) {
                    tally.table(qualified(db, t), deltaLocation(t), t.tableType(), false);
                }
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        }
        return tally.listing();
    }

    @Override
    public Optional<CatalogTable> lookup(String table) {
        DatabaseTable named = DatabaseTable.parse(name, table);
        String db = named.database();
        String tbl = named.table();
        Table t;
        try {
            t = glue.getTable(b -> b.catalogId(catalogId).databaseName(db).name(tbl)).table();
        } catch (EntityNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("cannot look up table " + table, e);
        }
        String location = deltaLocation(t).orElseThrow(() -> new CatalogException(name, table
                + " is not a Delta table (table_type, spark.sql.sources.provider and classification name no delta)"));
        return Optional.of(new CatalogTable(name, qualified(db, t), location, t.tableType()));
    }

    private List<String> allDatabases(CatalogListing.Tally tally) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            GetDatabasesResponse page;
            try {
                page = glue.getDatabases(b -> b.catalogId(catalogId).maxResults(pageSize).nextToken(next));
            } catch (SdkException e) {
                throw failure("cannot list the Glue databases", e);
            }
            tally.request();
            page.databaseList().stream().map(Database::name).forEach(out::add);
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** The table's location when it is a Delta table with one; empty for every other table. */
    static Optional<String> deltaLocation(Table t) {
        Map<String, String> params = t.hasParameters() ? t.parameters() : Map.of();
        boolean delta = "delta".equalsIgnoreCase(param(params, "table_type"))
                || "delta".equalsIgnoreCase(param(params, "spark.sql.sources.provider"))
                || "delta".equalsIgnoreCase(param(params, "classification"));
        if (!delta || t.storageDescriptor() == null) {
            return Optional.empty();
        }
        var sd = t.storageDescriptor();
        String serdePath = sd.serdeInfo() == null || !sd.serdeInfo().hasParameters() ? null : param(sd.serdeInfo().parameters(), "path");
        if (serdePath != null && !serdePath.isBlank()) {
            return Optional.of(serdePath.trim());
        }
        String location = sd.location();
        return location == null || location.isBlank() ? Optional.empty() : Optional.of(location.trim());
    }

    /** Glue parameter keys are case-sensitive as written, but writers differ in case: match either way. */
    private static String param(Map<String, String> params, String key) {
        String v = params.get(key);
        if (v != null) {
            return v;
        }
        return params.entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(key))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String qualified(String db, Table t) {
        return db + "." + t.name();
    }

    private CatalogException failure(String what, SdkException e) {
        return new CatalogException(name, what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        glue.close();
    }
}
