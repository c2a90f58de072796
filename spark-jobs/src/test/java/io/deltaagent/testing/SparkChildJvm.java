package io.deltaagent.testing;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM with the Spark runtime that the spark-jobs build assembles
 * ({@code target/spark-runtime/}), for tests that need Spark without putting it on their own classpath.
 */
public final class SparkChildJvm {

    /** What Spark 3.5 needs on Java 17 (the list Spark's own launcher passes). */
    public static final List<String> ADD_OPENS = List.of(
            "java.base/java.lang", "java.base/java.lang.invoke", "java.base/java.lang.reflect", "java.base/java.io",
            "java.base/java.net", "java.base/java.nio", "java.base/java.util", "java.base/java.util.concurrent",
            "java.base/java.util.concurrent.atomic", "java.base/jdk.internal.ref", "java.base/sun.nio.ch",
            "java.base/sun.nio.cs", "java.base/sun.security.action", "java.base/sun.util.calendar");

    private SparkChildJvm() {
    }

    /** @param sparkJobsTarget the spark-jobs module's {@code target} directory */
    public static List<String> command(Path sparkJobsTarget, String heap, String mainClass, List<String> args) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx" + heap);
        for (String open : ADD_OPENS) {
            cmd.add("--add-opens=" + open + "=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator,
                sparkJobsTarget.resolve("test-classes").toString(),
                sparkJobsTarget.resolve("classes").toString(),
                sparkJobsTarget.resolve("spark-runtime").toString() + File.separator + "*"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
