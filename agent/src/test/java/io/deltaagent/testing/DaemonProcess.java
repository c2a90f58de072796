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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code delta-agent daemon} in a JVM of its own, as operators run it: so tests can send it real signals
 * (SIGTERM by {@link #terminate}, SIGKILL by {@link #kill}) and run two of them side by side.
 */
public final class DaemonProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+/)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final URI base;
    private final String token;

    private DaemonProcess(Process process, Path stdout, Path stderr, URI base, String token) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.base = base;
        this.token = token;
    }

    /**
     * Starts a daemon and waits until its HTTP endpoint is up.
     *
     * @param name names its log files under {@code dir}
     * @param env extra environment (the HTTP token, database credentials)
     * @param token the bearer token requests send, or null
     */
    public static DaemonProcess start(String name, Path dir, Path config, String historyDb, Path workDir, Map<String, String> env,
                                      String token) {
        return startUnder(List.of(), name, dir, config, historyDb, workDir, env, token);
    }

    /**
     * As {@link #start}, with the JVM's command line run by {@code wrapper} (for example {@code nohup}, which must exec the
     * JVM so that {@link #pid} stays the daemon's).
     */
    public static DaemonProcess startUnder(List<String> wrapper, String name, Path dir, Path config, String historyDb, Path workDir,
                                           Map<String, String> env, String token) {
        List<String> cmd = new java.util.ArrayList<>(wrapper);
        cmd.addAll(CliRun.forkedCommand(List.of("-Xmx512m"), List.of("daemon",
                "--config", config.toString(), "--history-db", historyDb,
                "--spark-jobs-dir", System.getProperty("deltaagent.sparkJobs.dir"),
                "--work-dir", workDir.toString(), "--local-heap", "1g")));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            pb.environment().putAll(env);
            Process p = pb.start();
            String url = Eventually.await(name + " to listen (see " + err + ")", Duration.ofSeconds(120), () -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + p.exitValue() + ": " + read(err));
                }
                Matcher m = LISTENING.matcher(read(out));
                String last = null;
                while (m.find()) {
                    last = m.group(1);
                }
                return last;
            }, u -> u != null);
            return new DaemonProcess(p, out, err, URI.create(url), token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> get(String path, String bearer) {
        return getAuthorized(path, bearer == null ? null : "Bearer " + bearer);
    }

    /** GET with {@code authorization} as the Authorization header as given (none when null). */
    public HttpResponse<String> getAuthorized(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET with the daemon's token; fails unless 200. */
    public String text(String path) {
        HttpResponse<String> r = get(path, token);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    public JsonNode json(String path) {
        try {
            return JSON.readTree(text(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daemon's HTTP base, {@code http://127.0.0.1:PORT/}. */
    public URI base() {
        return base;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Sends SIGTERM and returns at once. */
    public void sigterm() {
        process.destroy();
    }

    /** The exit code, once the process has ended within {@code timeout}; null while it runs on. */
    public Integer exitWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** SIGTERM, then the exit code (waits at most {@code timeout}). */
    public int terminate(Duration timeout) throws InterruptedException {
        sigterm();
        Integer exit = exitWithin(timeout);
        if (exit == null) {
            throw new AssertionError("the daemon did not stop within " + timeout + " of SIGTERM; its log: " + log());
        }
        return exit;
    }

    /** SIGKILL: the daemon dies at once, whatever it was doing (its child Spark processes live on). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String log() {
        return read(stderr);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
