package db.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.storage.TablePaths;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Rows recorded before table paths were canonical keep the spelling they were maintained under ({@code ./t},
 * {@code file:/abs/t}, a symlink): rewritten here to the canonical path ({@link TablePaths}), so cooldowns, the
 * no-progress guard and {@code history} find them under any spelling; table_id is filled from the health recorded
 * before each run. A path that is no valid table path any more is left as it was.
 */
public class V7__canonical_table_paths extends BaseJavaMigration {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (PreparedStatement select = c.prepareStatement("SELECT id, table_path, health_before FROM maintenance_run");
             PreparedStatement update = c.prepareStatement("UPDATE maintenance_run SET table_path = ?, table_id = ? WHERE id = ?");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                update.setString(1, canonical(rs.getString("table_path")));
                update.setString(2, tableId(rs.getString("health_before")));
                update.setLong(3, rs.getLong("id"));
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static String canonical(String path) {
        try {
            return TablePaths.canonical(path);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    private static String tableId(String health) {
        try {
            JsonNode id = health == null ? null : JSON.readTree(health).path("identity").get("tableId");
            return id == null || id.isNull() ? null : id.asText();
        } catch (IOException e) {
            return null;
        }
    }
}
