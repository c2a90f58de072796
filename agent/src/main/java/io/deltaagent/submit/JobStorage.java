package io.deltaagent.submit;

import io.deltaagent.storage.StorageSchemes;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a job the agent starts itself (the local backend, spark-submit) reaches the table's storage as the agent does:
 * the config's {@code hadoop:} settings as {@code spark.hadoop.*} (the config refuses secrets, so none is on a command
 * line), the storage credentials of the agent's environment in the child's environment, and S3A serving
 * {@code s3://}/{@code s3n://} tables, which Spark with hadoop-aws does not map by itself. Clusters that map s3://
 * themselves (EMR's EMRFS, Databricks) get the table as named and none of this.
 */
public record JobStorage(Map<String, String> hadoop, Map<String, String> env) {

    public static final JobStorage NONE = new JobStorage(Map.of(), Map.of());

    /** Environment variables the stores' credential chains read (S3A's, the GCS connector's, Azure's). */
    private static final List<String> CREDENTIAL_PREFIXES = List.of("AWS_", "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_");

    public JobStorage {
        hadoop = Map.copyOf(Objects.requireNonNull(hadoop, "hadoop"));
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** The config's {@code hadoop:} settings, and the credential variables of {@code agentEnv}. */
    public static JobStorage of(Map<String, String> hadoopSettings, Map<String, String> agentEnv) {
        Map<String, String> credentials = new TreeMap<>();
        agentEnv.forEach((k, v) -> {
            if (CREDENTIAL_PREFIXES.stream().anyMatch(k::startsWith)) {
                credentials.put(k, v);
            }
        });
        return new JobStorage(hadoopSettings, credentials);
    }

    /**
     * The Hadoop settings for a job on {@code table}: the config's, and S3A for an {@code s3://} or {@code s3n://}
     * table unless they name another implementation.
     */
    public Map<String, String> hadoopFor(String table) {
        Map<String, String> out = new TreeMap<>(hadoop);
        String scheme = scheme(table);
        if (StorageSchemes.isS3(scheme) && !"s3a".equals(scheme)) {
            StorageSchemes.s3Aliases().forEach(out::putIfAbsent);
        }
        return out;
    }

    /** {@link #hadoopFor} as Spark settings ({@code spark.hadoop.KEY}). */
    public Map<String, String> sparkConfFor(String table) {
        Map<String, String> out = new LinkedHashMap<>();
        hadoopFor(table).forEach((k, v) -> out.put("spark.hadoop." + k, v));
        return out;
    }

    /** {@link #sparkConfFor} as JVM system properties, which a local SparkSession reads. */
    public List<String> systemPropertiesFor(String table) {
        List<String> out = new ArrayList<>();
        sparkConfFor(table).forEach((k, v) -> out.add("-D" + k + "=" + v));
        return out;
    }

    private static String scheme(String table) {
        try {
            return URI.create(table).getScheme();
        } catch (IllegalArgumentException e) {
            return null; // a local path with characters a URI does not take
        }
    }
}
