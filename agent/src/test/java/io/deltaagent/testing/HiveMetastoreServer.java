package io.deltaagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;

/**
 * Apache Hive's standalone metastore server (4.0.1, resolved by scripts/install-hms) in its own JVM on 127.0.0.1 and a
 * free port, with embedded Derby (schema created on start) and a warehouse in a temp directory. Started by the test
 * class and stopped by {@link #close()} (and at JVM exit). Tables are registered over its Thrift API, the way Spark
 * registers them.
 */
public final class HiveMetastoreServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;
    private final Duration startup;

    private HiveMetastoreServer(Process process, int port, Path dir, Duration startup) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.startup = startup;
    }

    /** The jars of scripts/install-hms: under DELTA_AGENT_HMS_HOME, else ~/.cache/delta-agent/hms-4.0.1. */
    public static Path lib() {
        String home = System.getenv("DELTA_AGENT_HMS_HOME");
        Path dir = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cache", "delta-agent", "hms-4.0.1");
        return dir.resolve("lib");
    }

    public static HiveMetastoreServer start() {
        Path lib = lib();
        if (!Files.isRegularFile(lib.getParent().resolve(".complete"))) {
            throw new AssertionError("Hive's metastore server is not installed at " + lib + ": run scripts/install-hms "
                    + "(scripts/install-deps runs it), or set DELTA_AGENT_HMS_HOME");
        }
        int port = FreePort.pick();
        try {
            Path dir = Files.createTempDirectory("hms-");
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.writeString(conf.resolve("metastore-site.xml"), siteXml(Map.of(
                    "javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + dir.resolve("derby") + ";create=true",
                    "datanucleus.schema.autoCreateAll", "true",
                    "metastore.schema.verification", "false",
                    "metastore.warehouse.dir", dir.resolve("warehouse").toUri().toString(),
                    "metastore.thrift.bind.host", "127.0.0.1")));
            // its log on stdout (server.log): warnings and errors only, so that a failing test can show why
            Files.writeString(conf.resolve("metastore-log4j2.properties"), "rootLogger.level = WARN\n"
                    + "rootLogger.appenderRef.out.ref = out\nappender.out.type = Console\nappender.out.name = out\n"
                    + "appender.out.layout.type = PatternLayout\nappender.out.layout.pattern = %d %p %c{1}: %m%n\n");
            Path log = dir.resolve("server.log");
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(javaBin, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Dderby.system.home=" + dir,
                    "-Dlog4j.configurationFile=" + conf.resolve("metastore-log4j2.properties"),
                    "-cp", conf + java.io.File.pathSeparator + lib.resolve("*"),
                    "org.apache.hadoop.hive.metastore.HiveMetaStore", "-p", String.valueOf(port))
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            HiveMetastoreServer server = new HiveMetastoreServer(p, port, dir, null);
            long deadline = t0 + Duration.ofSeconds(180).toNanos();
            while (!server.answers()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError("the Hive metastore did not start on port " + port + ": " + Files.readString(log));
                }
                Thread.sleep(250);
            }
            return new HiveMetastoreServer(p, port, dir, Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String siteXml(Map<String, String> properties) {
        StringBuilder xml = new StringBuilder("<configuration>\n");
        properties.forEach((k, v) -> xml.append("<property><name>").append(k).append("</name><value>").append(v)
                .append("</value></property>\n"));
        return xml.append("</configuration>\n").toString();
    }

    /** Answers a real metastore call, not merely accepts a connection (the port opens before the schema is ready). */
    private boolean answers() {
        try (TSocket socket = new TSocket("127.0.0.1", port, 5_000)) {
            socket.open();
            new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)).get_all_databases();
            return true;
        } catch (TException e) {
            return false;
        }
    }

    public String uri() {
        return "thrift://127.0.0.1:" + port;
    }

    /** How long the server took to answer its first call. */
    public Duration startup() {
        return startup;
    }

    /** Runs {@code calls} on one Thrift connection to the server. */
    public void admin(ThriftCalls calls) {
        try (TSocket socket = new TSocket("127.0.0.1", port, 30_000)) {
            socket.open();
            calls.run(new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)));
        } catch (TException e) {
            String log;
            try {
                log = Files.readString(dir.resolve("server.log"));
            } catch (IOException io) {
                log = io.toString();
            }
            throw new AssertionError("metastore call failed: " + e + "; server log:\n" + log.substring(Math.max(0, log.length() - 6000)), e);
        }
    }

    @FunctionalInterface
    public interface ThriftCalls {
        void run(ThriftHiveMetastore.Client hms) throws TException;
    }

    public void createDatabase(String name) {
        admin(hms -> hms.create_database(new Database(name, "", dir.resolve("warehouse").resolve(name + ".db").toUri().toString(),
                Map.of())));
    }

    /**
     * A table as Spark registers a data source table: the provider in the table's parameters, the location in the SerDe's
     * {@code path}, and {@code sdLocation} in the storage descriptor (Spark writes a placeholder there for some tables).
     */
    public static Table sparkTable(String db, String name, String provider, String path, String sdLocation) {
        SerDeInfo serde = new SerDeInfo(null, "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                path == null ? Map.of("serialization.format", "1") : Map.of("serialization.format", "1", "path", path));
        StorageDescriptor sd = new StorageDescriptor(List.of(new FieldSchema("col", "array<string>", "from deserializer")),
                sdLocation, "org.apache.hadoop.mapred.SequenceFileInputFormat",
                "org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat", false, -1, serde, List.of(), List.of(), Map.of());
        Table t = new Table();
        t.setDbName(db);
        t.setTableName(name);
        t.setOwner("spark");
        t.setTableType("EXTERNAL_TABLE");
        t.setSd(sd);
        t.setPartitionKeys(List.of());
        t.setParameters(provider == null ? Map.of("EXTERNAL", "TRUE")
                : Map.of("EXTERNAL", "TRUE", "spark.sql.sources.provider", provider));
        return t;
    }

    /** A Hive view (no location, no provider). */
    public static Table view(String db, String name) {
        StorageDescriptor sd = new StorageDescriptor(List.of(new FieldSchema("x", "int", null)), null, null, null, false, -1,
                new SerDeInfo(null, null, Map.of()), List.of(), List.of(), Map.of());
        Table t = new Table();
        t.setDbName(db);
        t.setTableName(name);
        t.setOwner("hive");
        t.setTableType("VIRTUAL_VIEW");
        t.setViewOriginalText("select 1 as x");
        t.setViewExpandedText("select 1 as `x`");
        t.setSd(sd);
        t.setPartitionKeys(List.of());
        t.setParameters(Map.of());
        return t;
    }

    public void createTable(Table t) {
        admin(hms -> hms.create_table(t));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Fixtures.deleteTree(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (IOException e) {
            // a temp directory left behind is no test failure
        }
    }
}
