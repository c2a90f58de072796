package io.deltaagent.store;

import io.deltaagent.config.CatalogTableRef;
import io.deltaagent.error.DeltaAgentException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What catalogs call the tables (V13__table_catalog_name.sql): one row per table path with the latest catalog name seen
 * for it. History and samples stay keyed by path; readers put this name beside it.
 */
public final class CatalogNameStore {

    private final HistoryStore store;

    public CatalogNameStore(HistoryStore store) {
        this.store = store;
    }

    /** Records {@code names} (table path to catalog name) as seen at {@code at}. */
    public void record(Map<String, CatalogTableRef> names, Instant at) {
        if (names.isEmpty()) {
            return;
        }
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement update = c.prepareStatement(
                     "UPDATE table_catalog_name SET catalog = ?, catalog_table = ?, seen_at = ? WHERE table_path = ?");
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO table_catalog_name (catalog, catalog_table, seen_at, table_path) VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, CatalogTableRef> e : names.entrySet()) {
                bind(update, e.getKey(), e.getValue(), at);
                if (update.executeUpdate() == 0) {
                    bind(insert, e.getKey(), e.getValue(), at);
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("history database: cannot record the catalog names of " + names.keySet() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every table's latest catalog name, by table path. */
    public Map<String, CatalogTableRef> all() {
        Map<String, CatalogTableRef> out = new LinkedHashMap<>();
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT table_path, catalog, catalog_table FROM table_catalog_name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new CatalogTableRef(rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("history database: cannot read the catalog names: " + e.getMessage(), e);
        }
        return out;
    }

    private static void bind(PreparedStatement ps, String path, CatalogTableRef ref, Instant at) throws SQLException {
        ps.setString(1, ref.catalog());
        ps.setString(2, ref.table());
        ps.setTimestamp(3, Timestamp.from(at));
        ps.setString(4, path);
    }
}
