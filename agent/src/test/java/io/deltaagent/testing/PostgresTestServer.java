package io.deltaagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, started on 127.0.0.1 from the machine's Debian binaries
 * (scripts/install-deps installs the {@code postgresql} package): initdb into a temporary directory, pg_ctl
 * start on a free port, pg_ctl stop when the JVM exits. One is shared per JVM; a test that stops its server
 * takes one of its own. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} user.
 */
public final class PostgresTestServer {

    private static PostgresTestServer shared;

    private final Path bin;
    private final Path dir;
    private final boolean root;
    private final int port;

    private PostgresTestServer(Path bin, Path dir, boolean root, int port) {
        this.bin = bin;
        this.dir = dir;
        this.root = root;
        this.port = port;
    }

    public static synchronized PostgresTestServer shared() {
        if (shared == null) {
            shared = startNew();
        }
        return shared;
    }

    /** A server for one test alone (one it may stop and start again). */
    public static PostgresTestServer own() {
        return startNew();
    }

    /** Stops the server at once (pg_ctl's fast mode: sessions are disconnected), as a crash or a failover would. */
    public void stop() {
        pgCtl("-m", "fast", "stop");
    }

    /** Starts the stopped server again on the same port. */
    public void start() {
        pgCtl("-w", "-t", "60", "-l", dir.resolve("server.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
    }

    private void pgCtl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString()));
        cmd.addAll(List.of(args));
        try {
            run(cmd, root, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JDBC URL to the {@code agent} database (user {@code agent}, trust authentication on loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/agent";
    }

    private static PostgresTestServer startNew() {
        try {
            Path bin = binaries();
            Path dir = Files.createTempDirectory("pg-test");
            Path data = dir.resolve("data");
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false, dir);
                run(List.of("chmod", "755", dir.getParent().toString()), false, dir);
            }
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "agent", "-E", "UTF8"), root, dir);
            PostgresTestServer server = new PostgresTestServer(bin, dir, root, port);
            server.start();
            run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "agent", "agent"),
                    root, dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "stop"), root, dir);
                } catch (IOException e) {
                    // the JVM is exiting; the temporary directory goes with the machine
                }
            }, "postgres-test-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the PostgreSQL test server: " + e.getMessage()
                    + " (install the Debian package postgresql: scripts/install-deps)", e);
        }
    }

    private static Path binaries() throws IOException {
        Path lib = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max((a, b) -> Integer.compare(major(a), major(b))).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IOException("no PostgreSQL server binaries under " + lib);
    }

    private static int major(Path version) {
        try {
            return Integer.parseInt(version.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(List<String> command, boolean asPostgres, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Path log = dir.resolve("commands.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed; its output: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
