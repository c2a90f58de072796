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
 *
 * <p>It remembers the tables it found: a directory found to be a table before is taken as one again without listing
 * it, so a daemon that discovers every cycle pays one listing per directory that holds no table (the root and the
 * levels between), not one per table on top of the audit's own listing of its {@code _delta_log}. A table that
 * stops being one (its audit finds no {@code _delta_log}) is {@link #forget forgotten} and walked again; a deleted
 * one is no longer in its parent's listing.
 */
public final class TableDiscovery {

    private final Configuration conf;
    private final int maxDepth;
    /** Canonical paths of the tables found so far. */
    private final Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
            // no exists() first (on S3 a HEAD and a LIST): listing a missing root throws FileNotFoundException
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
        if (known.contains(canonical)) {
            found.add(canonical);
            return;
        }
        FileStatus[] children = fs.listStatus(dir);
        for (FileStatus child : children) {
            if (child.isDirectory() && child.getPath().getName().equals("_delta_log")) {
                found.add(canonical);
                known.add(canonical);
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

    /** The next discovery lists {@code table} again: its audit found no Delta table there (any more). */
    public void forget(String table) {
        known.remove(TablePaths.canonical(table));
    }

    private static String display(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }
}
