package io.deltaagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.IncrementalLogReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.HadoopConfFactory;
import io.deltaagent.storage.TableLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;

/**
 * The agent's incremental re-audit, for bench-audit --s3: one {@code IncrementalLogReader} (the daemon's reader)
 * reads TABLE twice, the first read a full audit, the second applying only what changed since (nothing, in the
 * benchmark: mode {@code unchanged}). The Hadoop configuration is built as the CLI builds it
 * ({@link HadoopConfFactory#create} from the settings in {@code -Dbench.hadoopConf=FILE}, credentials from the
 * environment). With {@code -Dbench.proxyCounts=URL} (S3BenchServer's /counts) each read's requests as the server
 * saw them are added. Prints one JSON line: files, first and second (each the readCost as the audit JSON has it, and
 * proxy counts), peakHeapBytes.
 */
public final class IncrementalAuditBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IncrementalAuditBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: IncrementalAuditBench TABLE|--probe");
            System.exit(2);
        }
        if (args[0].equals("--probe")) { // bench-audit asks whether this build has the reader: it has
            System.exit(0);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        String file = System.getProperty("bench.hadoopConf");
        if (file != null && !file.isEmpty()) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r);
            }
            // credentials come from the environment, as the CLI takes them (secrets are refused in the config)
            p.stringPropertyNames().stream().filter(k -> !k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key"))
                    .forEach(k -> settings.put(k, p.getProperty(k)));
        }
        Configuration conf = HadoopConfFactory.create(settings, System.getenv());
        IncrementalLogReader reader = new IncrementalLogReader(new HadoopStorage(conf), Clock.systemUTC(), Duration.ofHours(24));
        String proxy = System.getProperty("bench.proxyCounts");
        ObjectNode out = JSON.createObjectNode();
        out.put("tool", "agent-incremental");
        TableLocation table = TableLocation.of(args[0]);
        for (String which : new String[] {"first", "second"}) {
            ObjectNode before = proxy == null ? null : (ObjectNode) JSON.readTree(get(proxy));
            long t0 = System.nanoTime();
            TableHealth h = reader.read(table, SettingsThresholds.of(TableSettings.defaults()));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            ObjectNode run = out.putObject(which);
            run.put("wallMillis", millis);
            run.put("files", h.files().activeFiles());
            run.set("readCost", JSON.valueToTree(h.readCost()));
            if (proxy != null) {
                ObjectNode after = (ObjectNode) JSON.readTree(get(proxy));
                ObjectNode seen = run.putObject("proxy");
                after.fieldNames().forEachRemaining(k -> seen.put(k, after.get(k).asLong() - before.path(k).asLong()));
            }
            if (which.equals("first")) {
                out.put("files", h.files().activeFiles());
            }
        }
        out.put("peakHeapBytes", PeakHeap.bytes());
        System.out.println(JSON.writeValueAsString(out));
        System.exit(0); // S3A's thread pools are not daemon threads everywhere
    }

    private static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
