package io.deltaagent.discover;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.storage.TablePaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Finds every Delta table below a root: a directory holding a {@code _delta_log} directory (even an empty one) is a
 * table and is not descended into; directories whose names start with {@code _} or {@code .} are skipped. Each table
 * is found once, named by its canonical path ({@link TablePaths}): a local directory reached again through a symlink
 * (a loop, or two links to one table) is not walked twice.
 *
 * <p>A directory's table-ness costs one small request: the first page of its {@code _delta_log}'s listing on an
 * object store (one stat locally), never the listing of the table's data files (one LIST per 1,000 of them on S3).
 * Only a directory that is no table is listed, to descend. The directories of one level are probed in parallel on
 * the discovery's own bounded pool; {@link #close} stops it (idle threads also end by themselves, so a discovery
 * dropped with a reloaded config leaves no thread behind).
 *
 * <p>It remembers the tables it found: a directory found to be a table before is taken as one again without probing
 * it, and a directory listed before as holding no table is listed again rather than probed (its listing shows a new
 * {@code _delta_log}), so a daemon that discovers every cycle pays one listing per directory that holds no table (the
 * root and the levels between), not one per table on top of the audit's own listing of its {@code _delta_log}. A
 * table that stops being one (its audit finds no {@code _delta_log}) is {@link #forget forgotten} and walked again; a
 * deleted one is no longer in its parent's listing. A directory deleted while the walk runs is skipped; a missing
 * root is an error.
 */
public final class TableDiscovery implements AutoCloseable {

    /** Directories probed at once: enough to hide an object store's round trip, few enough to be polite to it. */
    public static final int DEFAULT_PARALLELISM = 8;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Configuration conf;
    private final int maxDepth;
    private final ThreadPoolExecutor pool;
    /** Canonical paths of the tables found so far. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** Canonical paths of the directories listed so far and found to hold no {@code _delta_log}. */
    private final Set<String> containers = ConcurrentHashMap.newKeySet();

    public TableDiscovery(Configuration conf, int maxDepth) {
        this(conf, maxDepth, DEFAULT_PARALLELISM);
    }

    public TableDiscovery(Configuration conf, int maxDepth, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("discovery parallelism must be at least 1, was " + parallelism);
        }
        this.conf = conf;
        this.maxDepth = maxDepth;
        int id = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(parallelism, parallelism, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "discovery-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
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
        Set<String> visited = ConcurrentHashMap.newKeySet();
        try {
            FileSystem fs = location.path().getFileSystem(conf);
            List<Path> level = List.of(location.path());
            for (int depth = 0; !level.isEmpty(); depth++) {
                boolean descend = depth < maxDepth;
                boolean atRoot = depth == 0;
                List<Callable<Visit>> visits = new ArrayList<>();
                for (Path dir : level) {
                    visits.add(() -> visit(fs, dir, descend, atRoot, visited));
                }
                List<Path> next = new ArrayList<>();
                for (Future<Visit> f : pool.invokeAll(visits)) {
                    Visit v = result(f);
                    if (v.table() != null) {
                        found.add(v.table());
                    }
                    next.addAll(v.children());
                }
                level = next;
            }
        } catch (FileNotFoundException e) {
            throw new DeltaAgentException(root + ": discovery root does not exist", e);
        } catch (IOException e) {
            throw new DeltaAgentException(root + ": cannot list the discovery root: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeltaAgentException(root + ": discovery interrupted", e);
        }
        return List.copyOf(found);
    }

    /** What one directory turned out to be: a table (its canonical path), or the subdirectories to walk next. */
    private record Visit(String table, List<Path> children) {
        static final Visit NOTHING = new Visit(null, List.of());
    }

    private Visit visit(FileSystem fs, Path dir, boolean descend, boolean atRoot, Set<String> visited) throws IOException {
        String canonical = TablePaths.canonical(display(dir));
        if (!visited.add(canonical)) {
            return Visit.NOTHING;
        }
        if (known.contains(canonical)) {
            return new Visit(canonical, List.of());
        }
        // a directory listed before without a table: its listing (needed anyway to descend) shows a new _delta_log,
        // so it costs one request per cycle as before; a new directory gets the probe, then a listing if no table
        boolean container = containers.contains(canonical);
        if (!container && hasDeltaLog(fs, dir)) {
            known.add(canonical);
            return new Visit(canonical, List.of());
        }
        // the root is listed even at the depth limit so that a missing one is an error, not an empty lake
        if (!descend && !atRoot && !container) {
            return Visit.NOTHING;
        }
        FileStatus[] children;
        try {
            children = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            containers.remove(canonical);
            if (atRoot) {
                throw e;
            }
            return Visit.NOTHING; // deleted since its parent was listed
        }
        List<Path> dirs = new ArrayList<>();
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (child.isDirectory() && name.equals("_delta_log")) {
                containers.remove(canonical);
                known.add(canonical);
                return new Visit(canonical, List.of());
            }
            if (child.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
                dirs.add(child.getPath());
            }
        }
        containers.add(canonical);
        return descend ? new Visit(null, dirs) : Visit.NOTHING;
    }

    /**
     * Whether {@code dir/_delta_log} is a directory. Locally one stat; elsewhere the first page of its listing (one
     * LIST on S3, where a stat would be a HEAD and a LIST), whatever the number of commits in it.
     */
    private static boolean hasDeltaLog(FileSystem fs, Path dir) throws IOException {
        Path log = new Path(dir, "_delta_log");
        try {
            if ("file".equals(fs.getScheme())) {
                return fs.getFileStatus(log).isDirectory();
            }
            RemoteIterator<FileStatus> entries = fs.listStatusIterator(log);
            if (!entries.hasNext()) {
                return true; // an empty _delta_log directory
            }
            // listing a file gives the file itself
            FileStatus first = entries.next();
            return !(first.isFile() && first.getPath().equals(fs.makeQualified(log)));
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    private static Visit result(Future<Visit> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    /** The next discovery lists {@code table} again: its audit found no Delta table there (any more). */
    public void forget(String table) {
        known.remove(TablePaths.canonical(table));
        containers.remove(TablePaths.canonical(table));
    }

    /** Stops the probing threads; a discovery running now fails, later ones are refused. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static String display(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }
}
