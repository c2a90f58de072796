package io.deltaagent.testing;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The local file system, counting the files it opens by name: on an object store each open of a log file is one GET,
 * which the local file system does not count. Install with {@link #install(Configuration)}.
 */
public class CountingLocalFileSystem extends LocalFileSystem {

    private static final Map<String, AtomicInteger> OPENS = new ConcurrentHashMap<>();

    /** Makes {@code file:} paths of this configuration open through a fresh, counting instance. */
    public static Configuration install(Configuration conf) {
        conf.set("fs.file.impl", CountingLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return conf;
    }

    public static void reset() {
        OPENS.clear();
    }

    /** Opens so far of files whose name matches {@code regex}. */
    public static int opens(String regex) {
        return OPENS.entrySet().stream().filter(e -> e.getKey().matches(regex)).mapToInt(e -> e.getValue().get()).sum();
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        OPENS.computeIfAbsent(f.getName(), k -> new AtomicInteger()).incrementAndGet();
        return super.open(f, bufferSize);
    }
}
