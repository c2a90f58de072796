package io.deltaagent.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM with the Spark runtime that the spark-jobs build assembles
 * ({@code target/spark-runtime/}), for tests that need Spark without putting it on their own classpath.
 */
public final class SparkChildJvm {

    private SparkChildJvm() {
    }

    /** @param sparkJobsTarget the spark-jobs module's {@code target} directory */
    public static List<String> command(Path sparkJobsTarget, String heap, String mainClass, List<String> args) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx" + heap);
        // what Spark needs on Java 17, as the build wrote it beside the classes (spark.add-opens in the parent pom)
        Path options = sparkJobsTarget.resolve("classes/io/deltaagent/jobs/spark-jvm-options");
        try {
            cmd.addAll(List.of(Files.readString(options).trim().split("\\s+")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + options + "; build spark-jobs first", e);
        }
        // spark-jobs/job-contract beside spark-jobs/target; from spark-jobs/spark4/target it is one level further up
        Path contract = sparkJobsTarget.resolveSibling("job-contract");
        if (!Files.isDirectory(contract)) {
            contract = sparkJobsTarget.toAbsolutePath().normalize().getParent().resolveSibling("job-contract");
        }
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator,
                sparkJobsTarget.resolve("test-classes").toString(),
                sparkJobsTarget.resolve("classes").toString(),
                // the job contract (spark-jobs/job-contract), which the jobs jar carries shaded
                contract.resolve("target").resolve("classes").toString(),
                sparkJobsTarget.resolve("spark-runtime").toString() + File.separator + "*"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
