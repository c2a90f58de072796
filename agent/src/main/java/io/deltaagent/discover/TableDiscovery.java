package io.deltaagent.discover;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.storage.TableLocation;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds every Delta table below a root: a directory holding {@code _delta_log} is a table and is not
 * descended into; directories whose names start with {@code _} or {@code .} are skipped.
 */
public final class TableDiscovery {

    private final Configuration conf;
    private final int maxDepth;

    public TableDiscovery(Configuration conf, int maxDepth) {
        this.conf = conf;
        this.maxDepth = maxDepth;
    }

    /** Table paths in sorted order, in the form the root was given (local roots give local paths). */
    public List<String> discover(String root) {
        TableLocation location = TableLocation.of(root);
        List<String> found = new ArrayList<>();
        try {
            FileSystem fs = location.path().getFileSystem(conf);
            if (!fs.exists(location.path())) {
                throw new DeltaAgentException(root + ": discovery root does not exist");
            }
            walk(fs, location.path(), 0, found);
        } catch (FileNotFoundException e) {
            throw new DeltaAgentException(root + ": discovery root does not exist", e);
        } catch (IOException e) {
            throw new DeltaAgentException(root + ": cannot list the discovery root: " + e.getMessage(), e);
        }
        found.sort(String::compareTo);
        return found;
    }

    private void walk(FileSystem fs, Path dir, int depth, List<String> found) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        for (FileStatus child : children) {
            if (child.isDirectory() && child.getPath().getName().equals("_delta_log")) {
                found.add(display(dir));
                return;
            }
        }
        if (depth >= maxDepth) {
            return;
        }
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (child.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
                walk(fs, child.getPath(), depth + 1, found);
            }
        }
    }

    private static String display(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }
}
