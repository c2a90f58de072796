package io.deltaagent.submit.sparksubmit;

import io.deltaagent.error.ConfigException;
import io.deltaagent.submit.ClusterSizing;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code spark-submit} backend: any Spark master ({@code k8s://}, {@code yarn}, {@code spark://}) through
 * Spark's launcher and a Spark installation.
 *
 * @param sparkHome  a Spark 3.5 installation (its {@code bin/spark-submit})
 * @param deployMode {@code cluster} (the driver runs on the cluster: an ephemeral driver pod on Kubernetes) or
 *                   {@code client} (the driver runs beside the agent, the executors on the cluster)
 * @param jobsJar    the spark-jobs jar as the cluster sees it ({@code local:///...} in an image, s3a://, or a path)
 * @param jars       extra jars for the job (delta-spark and delta-storage when the cluster's Spark lacks them)
 * @param resultDir  where the job writes its result document and the agent reads it back: a local directory
 *                   in client mode, a shared URI (s3a://, hdfs://, file: on a shared mount) in cluster mode
 * @param killGrace  how long a cancelled spark-submit gets to stop its application before it is killed
 */
public record SparkSubmitSettings(Path sparkHome, String master, String deployMode, String jobsJar, List<String> jars,
                                  Map<String, String> conf, String resultDir, ClusterSizing sizing, Duration killGrace) {

    public SparkSubmitSettings {
        Objects.requireNonNull(sparkHome, "sparkHome");
        jars = List.copyOf(jars);
        conf = Map.copyOf(conf);
        Objects.requireNonNull(sizing, "sizing");
        Objects.requireNonNull(killGrace, "killGrace");
        if (master == null || master.isBlank()) {
            throw new ConfigException("backends.spark-submit.master: set the Spark master (k8s://https://HOST:PORT, yarn, spark://HOST:PORT)");
        }
        if (!"cluster".equals(deployMode) && !"client".equals(deployMode)) {
            throw new ConfigException("backends.spark-submit.deploy-mode: '" + deployMode + "' is neither cluster nor client");
        }
        if (master.startsWith("local")) {
            throw new ConfigException("backends.spark-submit.master: '" + master + "' is a local master; use the local backend for that");
        }
        if (jobsJar == null || jobsJar.isBlank()) {
            throw new ConfigException("backends.spark-submit.jobs-jar: set the spark-jobs jar as the cluster sees it");
        }
        if (resultDir == null || resultDir.isBlank()) {
            throw new ConfigException("backends.spark-submit.result-dir: set where jobs write their result documents");
        }
        if ("cluster".equals(deployMode) && URI.create(resultDir).getScheme() == null) {
            throw new ConfigException("backends.spark-submit.result-dir: '" + resultDir + "' is a path on this machine, but in "
                    + "cluster deploy mode the driver runs elsewhere: use a URI both can reach (s3a://..., hdfs://..., or file:/ on a shared mount)");
        }
    }

    /** Refuses a Spark home without spark-submit, naming the setting. */
    public Path sparkSubmit() {
        Path submit = sparkHome.resolve("bin").resolve("spark-submit");
        if (!Files.isExecutable(submit)) {
            throw new ConfigException("backends.spark-submit.spark-home: " + sparkHome + " has no executable bin/spark-submit; "
                    + "point it at a Spark 3.5 installation (scripts/install-spark installs one)");
        }
        return submit;
    }

    boolean isKubernetes() {
        return master.startsWith("k8s://");
    }

    boolean isStandalone() {
        return master.startsWith("spark://");
    }
}
