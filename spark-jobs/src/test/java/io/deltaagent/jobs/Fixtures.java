package io.deltaagent.jobs;

import io.deltaagent.jobs.demo.DemoTableWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Tables written by the real engine (Spark + Delta through {@link DemoTableWriter}), built once per test JVM and
 * copied for each test that changes them. Paths inside {@code _delta_log} are relative, so copies read fine.
 */
public final class Fixtures {
    /** 2,000 files of 100 rows over 4 date partitions (500 files each): the small-file problem. */
    public static final int SMALL_FILES = 2_000;
    public static final int SMALL_FILES_PARTITIONS = 4;
    public static final int SMALL_FILES_ROWS_PER_FILE = 100;

    private static Path root;
    private static Path tiny;
    private static Path smallFiles;
    private static long smallFilesBuildMs;
    private static TableData.Fingerprint smallFilesData;

    private Fixtures() {
    }

    /** The master copy of the small-file table; never change it, copy it with {@link #copy}. */
    public static synchronized Path smallFilesTable(SparkSession spark) {
        if (smallFiles == null) {
            Path dir = root().resolve("demo_2000_small_files");
            long started = System.nanoTime();
            DemoTableWriter.write(spark, dir.toString(), SMALL_FILES, SMALL_FILES_PARTITIONS,
                    SMALL_FILES_ROWS_PER_FILE, 7);
            smallFilesBuildMs = (System.nanoTime() - started) / 1_000_000;
            System.err.println("fixture demo_2000_small_files built in " + smallFilesBuildMs + " ms");
            smallFiles = dir;
        }
        return smallFiles;
    }

    /** The small-file table's data fingerprint, computed once. */
    public static synchronized TableData.Fingerprint smallFilesData(SparkSession spark) {
        if (smallFilesData == null) {
            smallFilesData = TableData.fingerprint(spark, smallFilesTable(spark).toString());
        }
        return smallFilesData;
    }

    /**
     * 8 files of 10 rows over the same 4 date partitions and columns as the small-file table; for tests that
     * must not change the table (rejections), or copy it first.
     */
    public static synchronized Path tinyTable(SparkSession spark) {
        if (tiny == null) {
            Path dir = root().resolve("demo_8_files");
            DemoTableWriter.write(spark, dir.toString(), 8, SMALL_FILES_PARTITIONS, 10, 7);
            tiny = dir;
        }
        return tiny;
    }

    public static Path copy(Path table, Path target) {
        try (Stream<Path> paths = Files.walk(table)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path dest = target.resolve(table.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(source, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static Path root() {
        if (root == null) {
            try {
                Path target = Path.of("target");
                Files.createDirectories(target);
                root = Files.createTempDirectory(target, "fixtures-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path created = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(created)));
        }
        return root;
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort at JVM exit
        }
    }
}
