package io.deltaagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster for the tests: one master and one worker from a Spark distribution
 * (scripts/install-spark, run here when missing), started once per JVM on 127.0.0.1 and stopped when the JVM exits.
 */
public final class SparkStandaloneCluster {

    private static SparkStandaloneCluster shared;

    private final Path sparkHome;
    private final int port;
    private final int uiPort;

    private SparkStandaloneCluster(Path sparkHome, int port, int uiPort) {
        this.sparkHome = sparkHome;
        this.port = port;
        this.uiPort = uiPort;
    }

    public static synchronized SparkStandaloneCluster shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public Path sparkHome() {
        return sparkHome;
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** The master's own account of the applications it ran ({@code /json}: activeapps, completedapps). */
    public JsonNode status() {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Spark installation the tests use; installs it on first use (about 310 MB from PyPI, cached). */
    public static Path installedSparkHome() {
        Path repo = Paths.get(System.getProperty("deltaagent.repo.dir", ".."));
        try {
            Process p = new ProcessBuilder("bash", repo.resolve("scripts/install-spark").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/install-spark failed (exit " + p.exitValue() + ")");
            }
            return Paths.get(out.lines().reduce((a, b) -> b).orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SparkStandaloneCluster start() {
        Path home = installedSparkHome();
        try {
            Path dir = Files.createTempDirectory("spark-standalone");
            int port = FreePort.pick();
            int uiPort = FreePort.pick();
            List<Process> processes = new ArrayList<>();
            processes.add(daemon(home, dir, "master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--webui-port", String.valueOf(uiPort))));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }), "spark-standalone-stop"));
            awaitLine(dir.resolve("master.log"), "Starting Spark master at", processes.get(0));
            processes.add(daemon(home, dir, "worker", List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "2", "--memory", "3g", "--webui-port", String.valueOf(FreePort.pick()), "--work-dir",
                    dir.resolve("work").toString(), "spark://127.0.0.1:" + port)));
            awaitLine(dir.resolve("worker.log"), "Successfully registered with master", processes.get(1));
            return new SparkStandaloneCluster(home, port, uiPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Spark standalone cluster: " + e.getMessage(), e);
        }
    }

    private static Process daemon(Path home, Path dir, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/spark-class").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOG_DIR", dir.toString());
        pb.environment().put("SPARK_DAEMON_MEMORY", "512m");
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    private static void awaitLine(Path log, String line, Process process) throws IOException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(log + ": the process exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(log + ": no '" + line + "' within 120 s");
    }

}
