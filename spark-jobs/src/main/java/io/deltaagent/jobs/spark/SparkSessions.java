package io.deltaagent.jobs.spark;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Finds the Spark session to run in. A platform that already made one (a Databricks {@code spark_jar_task},
 * a notebook, a test) keeps its own; otherwise one is built from what the launcher passed in (spark-submit's
 * conf, or {@code -Dspark.*} system properties in a plain child JVM), adding Delta's session extension and
 * catalog only when they are absent. The master always comes from outside.
 */
public final class SparkSessions {
    public static final String EXTENSIONS = "spark.sql.extensions";
    public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
    public static final String SESSION_CATALOG = "spark.sql.catalog.spark_catalog";
    public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
    static final String DEFAULT_APP_NAME = "delta-agent-maintenance";

    private SparkSessions() {
    }

    /** The active or default session of this JVM, if one exists; never creates one. */
    public static Optional<SparkSession> existing() {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return Optional.of(active.get());
        }
        scala.Option<SparkSession> fallback = SparkSession.getDefaultSession();
        return fallback.isDefined() ? Optional.of(fallback.get()) : Optional.empty();
    }

    public static SparkSession getOrCreate() {
        Optional<SparkSession> existing = existing();
        if (existing.isPresent()) {
            return existing.get();
        }
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder();
        if (!conf.contains("spark.app.name")) {
            builder.appName(DEFAULT_APP_NAME);
        }
        if (!conf.contains(EXTENSIONS)) {
            builder.config(EXTENSIONS, DELTA_EXTENSION);
        }
        if (!conf.contains(SESSION_CATALOG)) {
            builder.config(SESSION_CATALOG, DELTA_CATALOG);
        }
        return builder.getOrCreate();
    }
}
