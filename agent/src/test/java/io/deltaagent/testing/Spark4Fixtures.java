package io.deltaagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The tables Spark 4 with delta-spark 4.x wrote ({@link Spark4FixtureTables}), built once per build in a child JVM with
 * the Spark 4 jobs module's runtime ({@code deltaagent.spark4Jobs.dir}), then copied per test like {@link Fixtures}.
 */
public final class Spark4Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static RuntimeException failure;

    private Spark4Fixtures() {
    }

    /** The Spark 4 jobs build: its jar, classes and {@code spark-runtime/}. */
    public static Path jobsDir() {
        return Paths.get(Fixtures.required("deltaagent.spark4Jobs.dir"));
    }

    /** Builds the fixtures on first use; a failed build fails every later caller at once, without retrying. */
    public static synchronized Path dir() {
        if (failure != null) {
            throw failure;
        }
        if (dir == null) {
            try {
                dir = Fixtures.build(Paths.get(Fixtures.required("deltaagent.fixtures4.dir")), jobsDir(),
                        Spark4FixtureTables.class.getName(), Spark4FixtureTables.VERSION);
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return dir;
    }

    public static Path table(String name) {
        return dir().resolve(name);
    }

    public static Path copy(String name, Path parent) {
        Path target = parent.resolve(name);
        Fixtures.copyTree(table(name), target);
        return target;
    }

    public static JsonNode truth(String name) {
        try {
            return JSON.readTree(dir().resolve(name + ".truth.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
