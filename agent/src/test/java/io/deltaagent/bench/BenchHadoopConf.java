package io.deltaagent.bench;

import io.deltaagent.storage.RequestCounters;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Hadoop settings for the benchmark mains that read a table on S3 (KernelBench, IncrementalAuditBench): a Java
 * properties file named by {@code -Dbench.hadoopConf=FILE} (the S3A endpoint, credentials of the throwaway benchmark
 * server), and S3A's own request counters of a table's FileSystem as a JSON object.
 */
final class BenchHadoopConf {

    private BenchHadoopConf() {
    }

    static Configuration load() throws IOException {
        Configuration conf = new Configuration();
        String file = System.getProperty("bench.hadoopConf");
        if (file != null && !file.isEmpty()) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> conf.set(k, p.getProperty(k)));
        }
        return conf;
    }

    /** LIST, GET and HEAD requests S3A counted on the table's (cached) FileSystem since it was created; "null" elsewhere. */
    static String requestsJson(String table, Configuration conf) throws IOException {
        URI uri = URI.create(table);
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            return "null";
        }
        FileSystem fs = FileSystem.get(uri, conf);
        RequestCounters now = RequestCounters.of(fs);
        if (!now.countsRequests()) {
            return "null";
        }
        RequestCounters.Requests r = now.requestsSince(new RequestCounters(now.scheme(), Map.of()));
        return String.format(Locale.ROOT, "{\"list\":%d,\"get\":%d,\"head\":%d}", r.list(), r.get(), r.head());
    }
}
