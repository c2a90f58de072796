package io.deltaagent.submit.local;

import io.deltaagent.error.ConfigException;
import io.deltaagent.jobs.runtime.RuntimeFeatures;
import io.deltaagent.submit.SparkRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where a jobs runtime's build output (its jar and {@code spark-runtime/}) sits beside the 3.5 one the agent is pointed
 * at: {@code jobs/spark4/} in the release archive, {@code spark-jobs/spark4/target/} next to {@code spark-jobs/target/}
 * in a source tree.
 */
public final class JobsBuild {
    /** The Spark 4 build's folder inside the 3.5 one in the release archive ({@code jobs/spark4/}). */
    public static final String SPARK4_DIR = "spark4";

    private JobsBuild() {
    }

    /**
     * The build of {@code runtime} given the 3.5 build {@code base}.
     *
     * @throws ConfigException naming the places looked at and how to get the Spark 4 jobs
     */
    public static Path locate(Path base, SparkRuntime runtime) {
        if (runtime == SparkRuntime.SPARK_3_5) {
            return base;
        }
        Path archive = base.resolve(SPARK4_DIR);
        Path sourceTree = base.toAbsolutePath().normalize().resolveSibling(SPARK4_DIR).resolve("target");
        for (Path candidate : new Path[] {archive, sourceTree}) {
            if (Files.isDirectory(candidate.resolve("spark-runtime"))) {
                return candidate;
            }
        }
        throw new ConfigException("backends.local.spark-runtime: 4 needs the Spark 4 jobs build, which is neither in " + archive
                + " nor in " + sourceTree + "; use the full release archive (it carries jobs/spark4/), build spark-jobs/spark4"
                + " (mvn -B -DskipTests package), or set backends.local.spark-jobs-dir to a Spark 4 jobs build");
    }

    /**
     * The runtime a jobs jar was built for, from its {@link RuntimeFeatures#RESOURCE}; empty for a jar built before the
     * file existed (a 3.5 one).
     */
    public static Optional<RuntimeFeatures> features(Path jobsJar) {
        try (ZipFile zip = new ZipFile(jobsJar.toFile())) {
            ZipEntry entry = zip.getEntry(RuntimeFeatures.RESOURCE);
            if (entry == null) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return Optional.of(RuntimeFeatures.read(in));
            }
        } catch (IOException e) {
            throw new ConfigException("local backend: cannot read " + RuntimeFeatures.RESOURCE + " in " + jobsJar + ": " + e.getMessage(), e);
        }
    }

    /** @throws ConfigException when {@code jobsJar} was built for another runtime than {@code runtime} */
    public static void requireRuntime(Path jobsJar, SparkRuntime runtime) {
        String built = features(jobsJar).map(RuntimeFeatures::runtime).orElse(SparkRuntime.SPARK_3_5.configName());
        if (!built.equals(runtime.configName())) {
            throw new ConfigException("backends.local.spark-runtime is " + runtime.configName() + " but " + jobsJar
                    + " is the Spark " + built + " jobs build; point backends.local.spark-jobs-dir at the Spark "
                    + runtime.configName() + " build or change spark-runtime");
        }
    }
}
