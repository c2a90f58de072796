package io.deltaagent.deltalog.storage;

import org.apache.hadoop.fs.Path;

/**
 * The paths the stores name log objects by (full URIs as strings), joined and split as the Hadoop stores parse them,
 * so that the readers handle plain strings and a path built here is the one the listing gave.
 */
public final class LogPaths {

    private LogPaths() {
    }

    /** {@code key} (relative, e.g. {@code _sidecars/x.parquet}) below the directory {@code dir}. */
    public static String child(String dir, String key) {
        return new Path(new Path(dir), key).toString();
    }

    /** The last component of a path: the object's file name. */
    public static String name(String path) {
        return new Path(path).getName();
    }

    /** A path as the stores name it (Hadoop's normal form: no double or trailing slash). */
    public static String normalize(String path) {
        return new Path(path).toString();
    }

    /** The directory holding the object at {@code path}. */
    public static String parent(String path) {
        return new Path(path).getParent().toString();
    }
}
