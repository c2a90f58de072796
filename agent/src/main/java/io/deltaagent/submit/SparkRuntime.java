package io.deltaagent.submit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Spark line a backend runs the jobs on, and so which jobs jar it takes: the 3.5 one (Scala 2.12, delta-spark 3.3)
 * or the 4 one (Scala 2.13, delta-spark 4.x, which writes tables with Delta 4 writer features). A backend's
 * {@code spark-runtime} setting names it; without one each backend derives it from what it knows of its cluster.
 */
public enum SparkRuntime {
    SPARK_3_5("3.5"),
    SPARK_4("4");

    /** The values {@code spark-runtime} accepts. */
    public static final List<String> NAMES = Arrays.stream(values()).map(SparkRuntime::configName).toList();

    private static final Pattern DBR = Pattern.compile("^(\\d+)\\.");
    private static final Pattern EMR = Pattern.compile("^emr-(\\d+)\\.");
    private static final Pattern SPARK_CORE_JAR = Pattern.compile("^spark-core_2\\.1[23]-(\\d+)\\.(\\d+)\\..*\\.jar$");

    private final String configName;

    SparkRuntime(String configName) {
        this.configName = configName;
    }

    /** {@code 3.5} or {@code 4}, as the config and the jobs jar's {@code delta-features.json} spell it. */
    public String configName() {
        return configName;
    }

    /** As shown in plans, run results and history: {@code Spark 3.5}. */
    public String label() {
        return "Spark " + configName;
    }

    /** @throws IllegalArgumentException naming the valid values */
    public static SparkRuntime parse(String name) {
        return Arrays.stream(values()).filter(r -> r.configName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a Spark runtime; valid: " + String.join(", ", NAMES)));
    }

    /** A Databricks Runtime {@code spark_version} such as {@code 17.3.x-scala2.13}: 17 and later run Spark 4, 13 to 16 Spark 3.5. */
    public static SparkRuntime forDatabricks(String sparkVersion) {
        Matcher m = sparkVersion == null ? null : DBR.matcher(sparkVersion);
        return m != null && m.find() && Integer.parseInt(m.group(1)) >= 17 ? SPARK_4 : SPARK_3_5;
    }

    /** An EMR release label: emr-7.x runs Spark 3.5; a later major release is taken to run Spark 4. */
    public static SparkRuntime forEmrRelease(String releaseLabel) {
        Matcher m = releaseLabel == null ? null : EMR.matcher(releaseLabel);
        return m != null && m.find() && Integer.parseInt(m.group(1)) >= 8 ? SPARK_4 : SPARK_3_5;
    }

    /** The line of the Spark installed at {@code sparkHome}, from its {@code jars/spark-core_*} jar; empty when unknown. */
    public static Optional<SparkRuntime> forSparkHome(Path sparkHome) {
        Path jars = sparkHome.resolve("jars");
        if (!Files.isDirectory(jars)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(jars)) {
            return files.map(p -> SPARK_CORE_JAR.matcher(p.getFileName().toString())).filter(Matcher::matches).findFirst()
                    .map(m -> Integer.parseInt(m.group(1)) >= 4 ? SPARK_4 : SPARK_3_5);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
