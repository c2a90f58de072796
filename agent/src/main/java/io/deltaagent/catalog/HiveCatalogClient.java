package io.deltaagent.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.GetTablesRequest;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;

/**
 * A Hive Metastore over Thrift: {@code get_all_databases} (when no databases are configured), {@code get_all_tables} and
 * {@code get_table_objects_by_name_req} in batches of {@code page-size} names; {@code get_table_req} for one named table.
 *
 * <p>A table is Delta when its parameters say {@code spark.sql.sources.provider=delta} (Spark, Trino) or
 * {@code table_type=DELTA}. Spark keeps the real location in the SerDe parameter {@code path} and may write a placeholder
 * to {@code sd.location}, so {@code path} wins when present. Views are never Delta. Each call opens its own connection
 * ({@link HiveMetastoreConnection}): a call abandoned at the catalog's timeout leaves nothing behind for the next.
 */
public final class HiveCatalogClient implements CatalogClient {

    private final String name;
    private final HiveMetastoreConnection.Factory connections;
    private final List<String> databases;
    private final NameFilter filter;
    private final int batchSize;

    /**
     * @param databases the databases to list, or empty for all of them
     * @param batchSize table names per {@code get_table_objects_by_name_req}
     */
    public HiveCatalogClient(String name, HiveMetastoreConnection.Factory connections, List<String> databases,
                             NameFilter filter, int batchSize) {
        this.name = name;
        this.connections = connections;
        this.databases = List.copyOf(databases);
        this.filter = filter;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize " + batchSize + " < 1");
        }
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CatalogListing list() {
        try (HiveMetastoreConnection connection = connections.open()) {
            ThriftHiveMetastore.Client hms = connection.client();
            CatalogListing.Tally tally = new CatalogListing.Tally(name, filter);
            List<String> dbs = databases;
            if (dbs.isEmpty()) {
                dbs = call(() -> hms.get_all_databases(), "cannot list the databases of " + connection.uri());
                tally.request();
            }
            for (String db : dbs) {
                List<String> names;
                try {
                    if (!databases.isEmpty()) {
                        // a missing database lists no tables on some metastore versions: ask for it so a typo is named
                        hms.get_database(db);
                        tally.request();
                    }
                    names = hms.get_all_tables(db);
                } catch (NoSuchObjectException e) {
                    throw new CatalogException(name, "Hive database " + db + " does not exist (catalogs." + name + ".databases)", e);
                } catch (TException e) {
                    throw failure("cannot list the tables of Hive database " + db, e);
                }
                tally.request();
                for (int from = 0; from < names.size(); from += batchSize) {
                    List<String> batch = names.subList(from, Math.min(names.size(), from + batchSize));
                    GetTablesRequest request = new GetTablesRequest(db);
                    request.setTblNames(List.copyOf(batch));
                    List<Table> found = call(() -> hms.get_table_objects_by_name_req(request).getTables(),
                            "cannot read the tables of Hive database " + db);
                    tally.request();
                    for (Table t : found) {
                        tally.table(db + "." + t.getTableName(), deltaLocation(t), t.getTableType(), false);
                    }
                }
            }
            return tally.listing();
        }
    }

    @Override
    public Optional<CatalogTable> lookup(String table) {
        DatabaseTable named = DatabaseTable.parse(name, table);
        String db = named.database();
        String tbl = named.table();
        Table t;
        try (HiveMetastoreConnection connection = connections.open()) {
            t = connection.client().get_table_req(new GetTableRequest(db, tbl)).getTable();
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        } catch (TException e) {
            throw failure("cannot look up table " + table, e);
        }
        String location = deltaLocation(t).orElseThrow(() -> new CatalogException(name, table + " is not a Delta table ("
                + (isView(t) ? "a " + t.getTableType() : "spark.sql.sources.provider and table_type name no delta") + ")"));
        return Optional.of(new CatalogTable(name, db + "." + t.getTableName(), location, t.getTableType()));
    }

    /** The table's location when it is a Delta table with one; empty for every other table and every view. */
    static Optional<String> deltaLocation(Table t) {
        Map<String, String> params = t.getParameters() == null ? Map.of() : t.getParameters();
        boolean delta = "delta".equalsIgnoreCase(param(params, "spark.sql.sources.provider"))
                || "delta".equalsIgnoreCase(param(params, "table_type"));
        if (!delta || isView(t) || t.getSd() == null) {
            return Optional.empty();
        }
        var sd = t.getSd();
        String serdePath = sd.getSerdeInfo() == null || sd.getSerdeInfo().getParameters() == null ? null
                : param(sd.getSerdeInfo().getParameters(), "path");
        if (serdePath != null && !serdePath.isBlank()) {
            return Optional.of(serdePath.trim());
        }
        String location = sd.getLocation();
        return location == null || location.isBlank() ? Optional.empty() : Optional.of(location.trim());
    }

    private static boolean isView(Table t) {
        String type = t.getTableType();
        return type != null && type.toUpperCase(Locale.ROOT).endsWith("_VIEW");
    }

    /** Parameter keys are written in either case by different writers: match either way. */
    private static String param(Map<String, String> params, String key) {
        String v = params.get(key);
        if (v != null) {
            return v;
        }
        return params.entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(key))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private interface ThriftCall<T> {
        T call() throws TException;
    }

    private <T> T call(ThriftCall<T> call, String what) {
        try {
            return call.call();
        } catch (TException e) {
            throw failure(what, e);
        }
    }

    private CatalogException failure(String what, TException e) {
        return new CatalogException(name, what + ": " + HiveMetastoreConnection.describe(e), e);
    }

    @Override
    public void close() {
        // nothing held between calls
    }
}
