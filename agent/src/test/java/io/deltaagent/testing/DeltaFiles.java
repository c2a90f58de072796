package io.deltaagent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.actions.AddFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** Ground truth about a table's active files, read with Delta Standalone (not the agent's own reader). */
public final class DeltaFiles {

    private DeltaFiles() {
    }

    /** Active files by path, with their sizes. */
    public static Map<String, Long> active(Path table) throws Exception {
        Map<String, Long> files = new HashMap<>();
        try (var it = DeltaLog.forTable(new Configuration(), table.toString()).snapshot().scan().getFiles()) {
            while (it.hasNext()) {
                AddFile f = it.next();
                files.put(f.getPath(), f.getSize());
            }
        }
        return files;
    }

    /** The table's latest version, as Delta Standalone reads it (a fresh log each call: no cache). */
    public static long version(Path table) {
        return DeltaLog.forTable(new Configuration(), table.toString()).update().getVersion();
    }

    /** Rows in the table from the log's own statistics (numRecords of every active file). */
    public static long rows(Path table) throws Exception {
        long rows = 0;
        ObjectMapper json = new ObjectMapper();
        try (var files = DeltaLog.forTable(new Configuration(), table.toString()).snapshot().scan().getFiles()) {
            while (files.hasNext()) {
                rows += json.readTree(files.next().getStats()).get("numRecords").asLong();
            }
        }
        return rows;
    }
}
