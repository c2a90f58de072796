package io.deltaagent.discover;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.storage.TablePaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds every Delta table below a root: a directory holding {@code _delta_log} is a table and is not
 * descended into; directories whose names start with {@code _} or {@code .} are skipped. Each table is found once,
 * named by its canonical path ({@link TablePaths}): a local directory reached again through a symlink (a loop, or
 * two links to one table) is not walked twice.
 */
public final class TableDiscovery {

    private final Configuration conf;
    private final int maxDepth;

    public TableDiscovery(Configuration conf, int maxDepth) {
        this.conf = conf;
        this.maxDepth = maxDepth;
    }

    /** Canonical table paths in sorted order. */
    public List<String> discover(String root) {
        TableLocation location;
        try {
            location = TableLocation.of(root);
        } catch (IllegalArgumentException e) {
            throw new DeltaAgentException(root + ": not a valid discovery root: " + e.getMessage(), e);
        }
        Set<String> found = new TreeSet<>();
        try {
            FileSystem fs = location.path().getFileSystem(conf);
            if (!fs.exists(location.path())) {
                throw new DeltaAgentException(root + ": discovery root does not exist");
            }
            walk(fs, location.path(), 0, found, new HashSet<>());
        } catch (FileNotFoundException e) {
            throw new DeltaAgentException(root + ": discovery root does not exist", e);
        } catch (IOException e) {
            throw new DeltaAgentException(root + ": cannot list the discovery root: " + e.getMessage(), e);
        }
        return List.copyOf(found);
    }

    private void walk(FileSystem fs, Path dir, int depth, Set<String> found, Set<String> visited) throws IOException {
        String canonical = TablePaths.canonical(display(dir));
        if (!visited.add(canonical)) {
            return;
        }
        FileStatus[] children = fs.listStatus(dir);
        for (FileStatus child : children) {
            if (child.isDirectory() && child.getPath().getName().equals("_delta_log")) {
                found.add(canonical);
                return;
            }
        }
        if (depth >= maxDepth) {
            return;
        }
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (child.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
                walk(fs, child.getPath(), depth + 1, found, visited);
            }
        }
    }

    private static String display(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }
}
