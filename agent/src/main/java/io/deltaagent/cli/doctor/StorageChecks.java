package io.deltaagent.cli.doctor;

import io.deltaagent.storage.MissingCredentials;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Each configured table reachable and its {@code _delta_log} listable; each discovery root listable. */
public final class StorageChecks {

    private final Configuration hadoop;
    private final Bounded bounded;

    public StorageChecks(Configuration hadoop, Bounded bounded) {
        this.hadoop = hadoop;
        this.bounded = bounded;
    }

    public List<Check> check(List<String> tables, List<String> roots) {
        List<Check> checks = new ArrayList<>();
        for (String t : tables) {
            String name = "table " + t;
            checks.add(bounded.run(name, timeoutFix(t), () -> table(name, t)));
        }
        for (String r : roots) {
            String name = "discover " + r;
            checks.add(bounded.run(name, timeoutFix(r), () -> root(name, r)));
        }
        return checks;
    }

    private Check table(String name, String table) {
        try {
            FileStatus[] log = list(table + "/_delta_log");
            long commits = java.util.Arrays.stream(log).filter(s -> s.getPath().getName().endsWith(".json")).count();
            if (commits == 0 && java.util.Arrays.stream(log).noneMatch(s -> s.getPath().getName().contains(".checkpoint"))) {
                return Check.fail(name, "_delta_log holds no commit or checkpoint", "check the path: it is not a Delta table");
            }
            return Check.ok(name, "_delta_log listed: " + log.length + " entries");
        } catch (FileNotFoundException e) {
            return Check.fail(name, "no _delta_log: " + e.getMessage(), "check the path under tables: in the config (it must be a "
                    + "Delta table's root); a table that moved is removed or renamed there");
        } catch (IOException | RuntimeException e) {
            return failure(name, table, e);
        }
    }

    private Check root(String name, String root) {
        try {
            return Check.ok(name, "listed: " + list(root).length + " entries");
        } catch (FileNotFoundException e) {
            return Check.fail(name, "does not exist: " + e.getMessage(), "check the path under discover: in the config");
        } catch (IOException | RuntimeException e) {
            return failure(name, root, e);
        }
    }

    private FileStatus[] list(String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(hadoop);
        return fs.listStatus(p);
    }

    private static Check failure(String name, String path, Exception e) {
        String fix = MissingCredentials.explain(path, e).orElse("check the storage's endpoint and credentials (the environment "
                + "and hadoop: in the config; docs/STORAGE.md)");
        return Check.fail(name, "cannot list: " + e.getClass().getSimpleName() + ": " + e.getMessage(), fix);
    }

    private String timeoutFix(String path) {
        return "the storage of " + path + " did not answer within " + bounded.timeout().toSeconds() + " s: check its endpoint "
                + "and the network; raise --timeout when it is only slow";
    }
}
