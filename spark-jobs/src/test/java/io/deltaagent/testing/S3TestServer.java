package io.deltaagent.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The loopback S3 server every S3 test talks to, started once per test JVM. One fixture, one code path:
 * tests only see {@link #endpoint()}, the credentials and {@link #s3aSettings()}, whichever server runs.
 *
 * <ul>
 *   <li>{@code DELTA_AGENT_TEST_S3=localstack}, or a Docker engine present: LocalStack through
 *       Testcontainers, image {@code localstack/localstack:4.14} (the last one usable without an auth
 *       token; {@code LOCALSTACK_AUTH_TOKEN} is passed through when set).</li>
 *   <li>otherwise ({@code DELTA_AGENT_TEST_S3=s3proxy}, the default here and in CI): S3Proxy 2.9 in a
 *       JVM of its own on 127.0.0.1, in-memory store, AWS v2/v4 signatures enforced. Its own JVM because
 *       its Jetty and Jackson clash with Spark's on one classpath.</li>
 * </ul>
 */
public final class S3TestServer {

    public static final String ACCESS_KEY = "deltaagent-test";
    public static final String SECRET_KEY = "deltaagent-test-secret";
    public static final String REGION = "us-east-1";

    private static S3TestServer shared;

    private final String kind;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final boolean enforcesCredentials;
    private final AutoCloseable stopper;

    private S3TestServer(String kind, URI endpoint, String accessKey, String secretKey, boolean enforcesCredentials,
                         AutoCloseable stopper) {
        this.kind = kind;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.enforcesCredentials = enforcesCredentials;
        this.stopper = stopper;
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized S3TestServer shared() {
        if (shared == null) {
            shared = start();
            S3TestServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "s3-test-server-stop"));
        }
        return shared;
    }

    private static S3TestServer start() {
        String choice = System.getenv().getOrDefault("DELTA_AGENT_TEST_S3", dockerAvailable() ? "localstack" : "s3proxy");
        try {
            return switch (choice) {
                case "localstack" -> LocalStackS3.start();
                case "s3proxy" -> startS3Proxy();
                default -> throw new IllegalStateException("DELTA_AGENT_TEST_S3=" + choice + ": use localstack or s3proxy");
            };
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the " + choice + " S3 test server: " + e.getMessage(), e);
        }
    }

    static S3TestServer of(String kind, URI endpoint, String accessKey, String secretKey, boolean enforcesCredentials,
                           AutoCloseable stopper) {
        return new S3TestServer(kind, endpoint, accessKey, secretKey, enforcesCredentials, stopper);
    }

    private static boolean dockerAvailable() {
        return Files.exists(Paths.get("/var/run/docker.sock")) || System.getenv("DOCKER_HOST") != null;
    }

    private static S3TestServer startS3Proxy() throws IOException {
        String jar = System.getProperty("deltaagent.s3proxy.jar");
        if (jar == null || !Files.exists(Paths.get(jar))) {
            throw new IOException("S3Proxy jar not found at " + jar + " (system property deltaagent.s3proxy.jar); "
                    + "run the build from the repository root: mvn -B verify");
        }
        int port = freePort();
        Path dir = Files.createTempDirectory("s3proxy");
        Path properties = dir.resolve("s3proxy.properties");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("s3proxy.endpoint", "http://127.0.0.1:" + port);
        props.put("s3proxy.authorization", "aws-v2-or-v4");
        props.put("s3proxy.identity", ACCESS_KEY);
        props.put("s3proxy.credential", SECRET_KEY);
        props.put("jclouds.provider", "transient");
        props.put("jclouds.identity", ACCESS_KEY);
        props.put("jclouds.credential", SECRET_KEY);
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(properties, text);
        Path log = dir.resolve("s3proxy.log");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx768m", "-jar", jar, "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answers(endpoint)) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with " + process.exitValue() + "; its log: " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("S3Proxy did not answer on " + endpoint + " within 60 s; its log: " + Files.readString(log));
            }
            sleep(200);
        }
        return new S3TestServer("s3proxy", endpoint, ACCESS_KEY, SECRET_KEY, true, () -> {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        });
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
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

    /** Creates a bucket (PUT Bucket, signed with the test credentials through the S3A client is not needed: s3a creates none). */
    public String createBucket(String name) {
        S3Signer.putBucket(endpoint, name, accessKey, secretKey, REGION);
        return name;
    }

    /** The S3A settings that reach this server with the given credentials. */
    public Map<String, String> s3aSettings(String access, String secret) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("fs.s3a.endpoint", endpoint.toString());
        conf.put("fs.s3a.endpoint.region", REGION);
        conf.put("fs.s3a.path.style.access", "true");
        conf.put("fs.s3a.connection.ssl.enabled", "false");
        conf.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.put("fs.s3a.access.key", access);
        conf.put("fs.s3a.secret.key", secret);
        conf.put("fs.s3a.attempts.maximum", "2");
        conf.put("fs.s3a.retry.limit", "2");
        conf.put("fs.s3a.retry.interval", "100ms");
        conf.put("fs.s3a.change.detection.mode", "none");
        conf.put("fs.s3a.change.detection.version.required", "false");
        conf.put("fs.s3a.directory.marker.retention", "keep");
        conf.put("fs.s3a.bucket.probe", "0");
        return conf;
    }

    public Map<String, String> s3aSettings() {
        return s3aSettings(accessKey, secretKey);
    }

    public String kind() {
        return kind;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** False for LocalStack, which accepts any credentials: tests of refused access need a server that refuses. */
    public boolean enforcesCredentials() {
        return enforcesCredentials;
    }

    void stop() {
        try {
            stopper.close();
        } catch (Exception e) {
            // the JVM is exiting; nothing to report to
        }
    }
}
