package io.deltaagent.bench;

import com.sun.net.httpserver.HttpServer;
import io.deltaagent.testing.LatencyProxy;
import io.deltaagent.testing.S3TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The S3 side of the S3 benchmarks: S3Proxy (its own JVM, as {@link S3TestServer} starts it) with the
 * <b>filesystem</b> store under a directory, so a 100 MB checkpoint and 10,000 commits cost disk, not heap, and a
 * {@link LatencyProxy} in front of it that holds each request for a fixed delay and counts requests by kind.
 *
 * <p>Tables are placed into the bucket by linking their files into the store (a hard link, or a copy across file
 * systems): seconds for the 1.2M-file table's log, where 10,000 PUTs through S3A would take minutes, and each object
 * keeps the file's modification time as its LastModified (the generator's commit times). The S3A settings must then
 * include {@code fs.s3a.change.detection.mode=none} (such objects have no ETag) and
 * {@code fs.s3a.directory.marker.retention=keep}, as {@link #s3aSettings} does.
 *
 * <p>As a main, for scripts/bench-audit and scripts/bench-fleet:
 * <pre>S3BenchServer --store DIR --bucket NAME --latency-ms 20 --s3proxy-jar JAR [--table KEY=LOCALDIR]... [--upload KEY=LOCALDIR]...</pre>
 * ({@code --table} links the files into the store, {@code --upload} PUTs them through S3A, see {@link #uploadTable})
 * prints one JSON line (endpoints, bucket, credentials of this throwaway server, the control URL), then serves on
 * the control URL {@code GET /counts} (the proxy's counts so far, JSON), {@code GET /upload?key=K&dir=LOCALDIR}
 * (uploads a table through S3A) and {@code GET /stop}. SIGTERM stops it too.
 */
public final class S3BenchServer implements AutoCloseable {

    public static final String ACCESS_KEY = S3TestServer.ACCESS_KEY;
    public static final String SECRET_KEY = S3TestServer.SECRET_KEY;

    private final Process s3proxy;
    private final URI direct;
    private final LatencyProxy proxy;
    private final Path store;
    private final String bucket;

    private S3BenchServer(Process s3proxy, URI direct, LatencyProxy proxy, Path store, String bucket) {
        this.s3proxy = s3proxy;
        this.direct = direct;
        this.proxy = proxy;
        this.store = store;
        this.bucket = bucket;
    }

    /** Starts S3Proxy on a filesystem store under {@code store} (bucket {@code bucket} created) and the proxy. */
    public static S3BenchServer start(Path s3proxyJar, Path store, String bucket, Duration latency) throws IOException {
        if (!Files.isRegularFile(s3proxyJar)) {
            throw new IOException("S3Proxy jar not found: " + s3proxyJar + " (build spark-jobs: mvn -B -DskipTests package)");
        }
        Path base = store.toAbsolutePath().resolve("store");
        Files.createDirectories(base.resolve(bucket));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("s3proxy.endpoint", "http://127.0.0.1:" + port);
        props.put("s3proxy.authorization", "aws-v2-or-v4");
        props.put("s3proxy.identity", ACCESS_KEY);
        props.put("s3proxy.credential", SECRET_KEY);
        props.put("jclouds.provider", "filesystem");
        props.put("jclouds.filesystem.basedir", base.toString());
        props.put("jclouds.identity", ACCESS_KEY);
        props.put("jclouds.credential", SECRET_KEY);
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path properties = store.toAbsolutePath().resolve("s3proxy.properties");
        Files.writeString(properties, text);
        Path log = store.toAbsolutePath().resolve("s3proxy.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, System.getProperty("bench.s3proxy.heap", "-Xmx1g"),
                "-jar", s3proxyJar.toString(), "--properties", properties.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI direct = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answers(direct)) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with " + process.exitValue() + "; its log: " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("S3Proxy did not answer on " + direct + " within 60 s; its log: " + Files.readString(log));
            }
            sleep(100);
        }
        LatencyProxy proxy = LatencyProxy.start(direct, latency);
        return new S3BenchServer(process, direct, proxy, base, bucket);
    }

    /** Puts a local table's files into the bucket under {@code key} (links, else copies), keeping modification times. */
    public String placeTable(String key, Path table) throws IOException {
        return placeTable(bucket, key, table);
    }

    /** As {@link #placeTable(String, Path)}, into {@code otherBucket} of the same server (created when missing). */
    public String placeTable(String otherBucket, String key, Path table) throws IOException {
        Path target = store.resolve(otherBucket).resolve(key);
        Path src = table.toAbsolutePath();
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(src.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path dst = target.resolve(src.relativize(file).toString());
                if (!Files.exists(dst)) {
                    try {
                        Files.createLink(dst, file);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(file, dst, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return "s3a://" + otherBucket + "/" + key;
    }

    /**
     * Uploads a local table's files into the bucket under {@code key} through S3A, straight to S3Proxy (not through
     * the proxy: neither delayed nor counted). Objects get ETags and the upload time as LastModified.
     */
    public String uploadTable(String key, Path table) throws IOException {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        s3aSettings(false).forEach(conf::set);
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(table.toAbsolutePath().toUri());
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(uri(key));
        try (org.apache.hadoop.fs.FileSystem s3 = org.apache.hadoop.fs.FileSystem.newInstance(dst.toUri(), conf)) {
            if (!org.apache.hadoop.fs.FileUtil.copy(src.getFileSystem(conf), src, s3, dst, false, conf)) {
                throw new IOException("uploading " + table + " to " + dst + " failed");
            }
        }
        return uri(key);
    }

    public String uri(String key) {
        return "s3a://" + bucket + "/" + key;
    }

    /** The S3A settings for the proxied endpoint (or the direct one), credentials included. */
    public Map<String, String> s3aSettings(boolean throughProxy) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("fs.s3a.endpoint", (throughProxy ? proxy.endpoint() : direct).toString());
        conf.put("fs.s3a.endpoint.region", S3TestServer.REGION);
        conf.put("fs.s3a.path.style.access", "true");
        conf.put("fs.s3a.connection.ssl.enabled", "false");
        conf.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.put("fs.s3a.access.key", ACCESS_KEY);
        conf.put("fs.s3a.secret.key", SECRET_KEY);
        conf.put("fs.s3a.attempts.maximum", "3");
        conf.put("fs.s3a.retry.limit", "3");
        conf.put("fs.s3a.retry.interval", "100ms");
        conf.put("fs.s3a.change.detection.mode", "none");
        conf.put("fs.s3a.change.detection.version.required", "false");
        conf.put("fs.s3a.directory.marker.retention", "keep");
        conf.put("fs.s3a.bucket.probe", "0");
        return conf;
    }

    public LatencyProxy proxy() {
        return proxy;
    }

    public URI direct() {
        return direct;
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void close() {
        proxy.close();
        s3proxy.destroy();
        try {
            if (!s3proxy.waitFor(10, TimeUnit.SECONDS)) {
                s3proxy.destroyForcibly();
            }
        } catch (InterruptedException e) {
            s3proxy.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        Path store = null;
        String bucket = "bench";
        long latencyMs = 20;
        Path jar = null;
        List<String[]> tables = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> store = Path.of(args[++i]);
                case "--bucket" -> bucket = args[++i];
                case "--latency-ms" -> latencyMs = Long.parseLong(args[++i]);
                case "--s3proxy-jar" -> jar = Path.of(args[++i]);
                case "--table" -> tables.add(args[++i].split("=", 2));
                case "--upload" -> {
                    String[] t = args[++i].split("=", 2);
                    tables.add(new String[] {t[0], t[1], "upload"});
                }
                default -> {
                    System.err.println("usage: S3BenchServer --store DIR --s3proxy-jar JAR [--bucket NAME] [--latency-ms N] "
                            + "[--table KEY=LOCALDIR]... [--upload KEY=LOCALDIR]...");
                    System.exit(2);
                }
            }
        }
        if (store == null || jar == null) {
            System.err.println("S3BenchServer: --store and --s3proxy-jar are required");
            System.exit(2);
        }
        S3BenchServer server = start(jar, store, bucket, Duration.ofMillis(latencyMs));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3-bench-stop"));
        for (String[] t : tables) {
            if (t.length == 3) {
                server.uploadTable(t[0], Path.of(t[1]));
            } else {
                server.placeTable(t[0], Path.of(t[1]));
            }
        }
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        control.createContext("/counts", ex -> {
            byte[] body = server.proxy().counts().toJson().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        control.createContext("/upload", ex -> { // ?key=K&dir=LOCALDIR: uploads a table through S3A (see uploadTable)
            Map<String, String> q = new LinkedHashMap<>();
            String raw = ex.getRequestURI().getRawQuery();
            for (String kv : raw == null ? new String[0] : raw.split("&")) {
                String[] p = kv.split("=", 2);
                q.put(java.net.URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p.length > 1 ? java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
            int status = 200;
            String answer;
            try {
                answer = server.uploadTable(q.get("key"), Path.of(q.get("dir"))) + "\n";
            } catch (IOException | RuntimeException e) {
                status = 500;
                answer = "upload failed: " + e + "\n";
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        control.createContext("/stop", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
            stop.countDown();
        });
        control.start();
        System.out.printf(Locale.ROOT, "{\"endpoint\":\"%s\",\"direct\":\"%s\",\"bucket\":\"%s\",\"latencyMs\":%d,"
                        + "\"control\":\"http://127.0.0.1:%d\",\"accessKey\":\"%s\",\"secretKey\":\"%s\"}%n",
                server.proxy().endpoint(), server.direct(), bucket, latencyMs, control.getAddress().getPort(),
                ACCESS_KEY, SECRET_KEY);
        System.out.flush();
        stop.await();
        control.stop(0);
        System.exit(0); // the shutdown hook stops S3Proxy
    }

    private static boolean answers(URI endpoint) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 500);
        } catch (IOException e) {
            return false;
        }
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            return c.getResponseCode() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
