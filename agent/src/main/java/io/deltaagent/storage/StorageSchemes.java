package io.deltaagent.storage;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The URI schemes the agent reads tables from, and the Hadoop FileSystem behind each: the one place that knows which
 * schemes are one store. {@code s3://} and {@code s3n://} (what Glue, Athena, EMR and Unity Catalog store) are read
 * through S3A exactly as {@code s3a://}; {@code gs://} through the GCS connector; {@code abfss://}/{@code abfs://}
 * through hadoop-azure. Any other scheme is refused up front with the list, instead of Hadoop's "No FileSystem for
 * scheme" deep in a read.
 */
public final class StorageSchemes {

    /** The store a scheme is read from. */
    public enum Store {
        LOCAL, S3, GCS, AZURE, HDFS
    }

    private static final Map<String, Store> SCHEMES = Map.of(
            "file", Store.LOCAL,
            "s3a", Store.S3, "s3", Store.S3, "s3n", Store.S3,
            "gs", Store.GCS,
            "abfss", Store.AZURE, "abfs", Store.AZURE,
            "hdfs", Store.HDFS);

    /** In the order the errors list them. */
    static final List<String> SUPPORTED = List.of("file:", "s3a://", "s3://", "s3n://", "gs://", "abfss://", "abfs://", "hdfs://");

    /** Hints for schemes users reach for that the agent does not serve, naming what to use instead. */
    private static final Map<String, String> INSTEAD = Map.of(
            "wasb", "the Blob endpoint (hadoop-azure's deprecated WASB driver) is not in the agent; name the table as "
                    + "abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH",
            "wasbs", "the Blob endpoint (hadoop-azure's deprecated WASB driver) is not in the agent; name the table as "
                    + "abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH",
            "adl", "Azure Data Lake Gen1 is retired; name the table as abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH",
            "dbfs", "DBFS paths resolve inside Databricks only; name the table by its cloud storage location (s3://, "
                    + "abfss://, gs://)");

    /**
     * S3A serves these schemes: the Hadoop settings that map them to it (Hadoop maps only s3a:// itself). FileSystem
     * only: S3A's AbstractFileSystem ({@code fs.AbstractFileSystem.*}) insists on the s3a scheme, and readers use FileSystem.
     */
    static final Map<String, String> S3_ALIASES = Map.of(
            "fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem",
            "fs.s3n.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");

    private StorageSchemes() {
    }

    /**
     * The store of a table URI's scheme.
     *
     * @throws IllegalArgumentException naming the scheme, why it is not served and the schemes that are
     */
    public static Store store(String scheme) {
        String s = scheme.toLowerCase(Locale.ROOT);
        Store store = SCHEMES.get(s);
        if (store == null) {
            String hint = INSTEAD.get(s);
            throw new IllegalArgumentException(s + ":// is not supported: " + (hint != null ? hint + "; " : "")
                    + "the agent reads tables at local paths and " + String.join(", ", SUPPORTED) + " URIs");
        }
        return store;
    }

    /** True for the schemes S3A serves ({@code s3a}, {@code s3}, {@code s3n}). */
    public static boolean isS3(String scheme) {
        return scheme != null && SCHEMES.get(scheme.toLowerCase(Locale.ROOT)) == Store.S3;
    }

    /** The Hadoop settings that make S3A serve {@code s3://} and {@code s3n://} as it serves {@code s3a://}. */
    public static Map<String, String> s3Aliases() {
        return S3_ALIASES;
    }
}
