package io.deltaagent.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * fake-gcs-server (a Go program that speaks the GCS JSON API) on 127.0.0.1, in memory, started once per test JVM and
 * stopped when it exits. scripts/install-deps installs the binary into {@link #DEFAULT_BIN}; {@code FAKE_GCS_SERVER}
 * names another. A missing binary fails the test with how to install it: CI skips nothing.
 */
public final class FakeGcsServer {

    /** Where scripts/install-deps puts it (GOBIN). */
    public static final Path DEFAULT_BIN = Paths.get(System.getProperty("user.home"), ".cache", "delta-agent", "bin", "fake-gcs-server");

    private static FakeGcsServer shared;

    private final Process process;
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FakeGcsServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static synchronized FakeGcsServer shared() {
        if (shared == null) {
            shared = start();
            FakeGcsServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fake-gcs-server-stop"));
        }
        return shared;
    }

    /** The binary: {@code FAKE_GCS_SERVER}, else where scripts/install-deps puts it. */
    static Path binary() {
        String named = System.getenv("FAKE_GCS_SERVER");
        Path bin = named != null && !named.isBlank() ? Paths.get(named) : DEFAULT_BIN;
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("fake-gcs-server is not installed at " + bin + ": run scripts/install-deps (it runs "
                    + "'go install github.com/fsouza/fake-gcs-server@v1.56.1' into " + DEFAULT_BIN.getParent()
                    + "), or set FAKE_GCS_SERVER to the binary");
        }
        return bin;
    }

    private static FakeGcsServer start() {
        Path bin = binary();
        IOException last = null;
        // a free port, then the server on it: it cannot report a port it chose itself, and another process may take
        // the port between the two steps, hence the few tries
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = FreePort.pick();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            try {
                Path log = Files.createTempFile("fake-gcs-server-", ".log");
                Process p = new ProcessBuilder(bin.toString(), "-scheme", "http", "-host", "127.0.0.1", "-port", String.valueOf(port),
                        "-backend", "memory", "-public-host", "127.0.0.1:" + port, "-external-url", endpoint.toString(),
                        "-log-level", "warn")
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                FakeGcsServer server = new FakeGcsServer(p, endpoint);
                if (server.awaitReady(Duration.ofSeconds(20))) {
                    return server;
                }
                server.stop();
                last = new IOException("fake-gcs-server did not answer on " + endpoint + ": " + Files.readString(log));
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IllegalStateException("cannot start fake-gcs-server: " + (last == null ? "" : last.getMessage()), last);
    }

    private boolean awaitReady(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/storage/v1/b")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Creates the bucket and returns its name. */
    public String createBucket(String name) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/storage/v1/b?project=test"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("fake-gcs-server refused bucket " + name + ": " + r.statusCode() + " " + r.body());
            }
            return name;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create bucket " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating bucket " + name, e);
        }
    }

    /** The GCS connector's settings for this server: its endpoint, no credentials (it checks none). */
    public Map<String, String> gcsSettings() {
        return Map.of("fs.gs.storage.root.url", endpoint.toString(), "fs.gs.auth.type", "UNAUTHENTICATED",
                "fs.gs.project.id", "test");
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
