package io.deltaagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * moto's server (PyPI {@code moto[server]}, installed by scripts/install-moto) on 127.0.0.1 and a free port: one process
 * serving Glue and S3 (routed by the request's signing service), in memory. Started by the test itself and stopped by
 * {@link #close()} (and at JVM exit).
 */
public final class MotoServer implements AutoCloseable {

    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";
    public static final String REGION = "us-east-1";

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The moto_server of scripts/install-moto: under DELTA_AGENT_MOTO_HOME, else ~/.cache/delta-agent/moto-5.2.5. */
    public static Path executable() {
        String home = System.getenv("DELTA_AGENT_MOTO_HOME");
        Path dir = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cache", "delta-agent", "moto-5.2.5");
        return dir.resolve("bin").resolve("moto_server");
    }

    public static MotoServer start() {
        Path exe = executable();
        if (!Files.isExecutable(exe)) {
            throw new AssertionError("moto's server is not installed at " + exe + ": run scripts/install-moto (scripts/install-deps "
                    + "runs it), or set DELTA_AGENT_MOTO_HOME to its virtualenv");
        }
        int port = FreePort.pick();
        try {
            Path log = Files.createTempFile("moto-", ".log");
            Process p = new ProcessBuilder(exe.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MotoServer server = new MotoServer(p, port);
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!server.answers()) {
                if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                    p.destroyForcibly();
                    throw new AssertionError("moto_server did not start on port " + port + ": " + Files.readString(log));
                }
                Thread.sleep(100);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private boolean answers() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The environment a CLI run needs to reach moto with the SDK (dummy keys, the region). */
    public Map<String, String> env() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", REGION);
    }

    /** S3A settings for moto's S3 (path-style, no TLS, few retries so a failure shows fast). */
    public Map<String, String> s3aSettings() {
        return Map.of("fs.s3a.endpoint", endpoint(), "fs.s3a.path.style.access", "true",
                "fs.s3a.connection.ssl.enabled", "false", "fs.s3a.endpoint.region", REGION,
                "fs.s3a.access.key", ACCESS_KEY, "fs.s3a.secret.key", SECRET_KEY,
                "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "fs.s3a.attempts.maximum", "2", "fs.s3a.retry.limit", "2");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
