package io.deltaagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Spark-written fixture tables ({@link FixtureTables}), built once per build in a child JVM with the
 * Spark runtime of the spark-jobs module (Spark never enters the agent's classpath), then copied per test.
 */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static RuntimeException failure;

    private Fixtures() {
    }

    /** Builds the fixtures on first use; a failed build fails every later caller at once, without retrying. */
    public static synchronized Path dir() {
        if (failure != null) {
            throw failure;
        }
        if (dir == null) {
            try {
                dir = build();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return dir;
    }

    /** The fixture itself: read-only use. */
    public static Path table(String name) {
        return dir().resolve(name);
    }

    /** A private copy of the fixture under {@code parent}, for tests that damage or change it. */
    public static Path copy(String name, Path parent) {
        Path target = parent.resolve(name);
        copyTree(table(name), target);
        return target;
    }

    public static JsonNode truth(String name) {
        try {
            return JSON.readTree(dir().resolve(name + ".truth.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void copyTree(Path source, Path target) {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path build() {
        return build(Paths.get(required("deltaagent.fixtures.dir")), Paths.get(required("deltaagent.sparkJobs.dir")),
                FixtureTables.class.getName(), FixtureTables.VERSION);
    }

    /**
     * Writes fixtures into {@code out} with {@code mainClass} in a child JVM on the jobs build {@code sparkJobs} (its
     * Spark runtime), unless fresh ones of {@code version} are there.
     */
    static Path build(Path out, Path sparkJobs, String mainClass, String version) {
        Path marker = out.resolve(".complete");
        try {
            Files.createDirectories(out.getParent());
            // test JVMs sharing a fixtures dir (-Dfixtures.dir) build it one at a time: two Spark writers in one table
            // leave files no commit names, and truth files that disagree with the disk
            try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(
                    out.getParent().resolve(out.getFileName() + ".lock"), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
                 java.nio.channels.FileLock held = lock.lock()) {
                return buildLocked(out, marker, sparkJobs, mainClass, version);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path buildLocked(Path out, Path marker, Path sparkJobs, String mainClass, String version) {
        try {
            // fresh fixtures only: tests check "commits in the last 24 hours" against them
            if (Files.exists(marker) && Files.readString(marker).trim().equals(version)
                    && Files.getLastModifiedTime(marker).toInstant().isAfter(java.time.Instant.now().minus(java.time.Duration.ofHours(12)))) {
                return out;
            }
            deleteTree(out);
            Files.createDirectories(out.getParent());
            if (!Files.isDirectory(sparkJobs.resolve("spark-runtime"))) {
                throw new IllegalStateException(sparkJobs.resolve("spark-runtime") + " is missing: build from the "
                        + "repository root (mvn -B verify), which assembles the Spark runtime before the agent's tests");
            }
            Path log = out.getParent().resolve(out.getFileName() + ".log");
            List<String> cmd = SparkChildJvm.command(sparkJobs, "2g", mainClass, List.of(out.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // Spark binds to loopback only
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("fixture generation timed out; see " + log);
            }
            if (p.exitValue() != 0 || !Files.exists(marker)) {
                List<String> lines = Files.readAllLines(log);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
                throw new IllegalStateException("fixture generation failed with exit " + p.exitValue() + "; see " + log
                        + "; its last lines:\n" + tail);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
        }
        return value;
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
