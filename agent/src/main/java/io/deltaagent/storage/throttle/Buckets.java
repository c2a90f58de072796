package io.deltaagent.storage.throttle;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The bucket a table lives in, the unit object stores throttle by: the authority of an {@code s3a://}, {@code s3://},
 * {@code s3n://} or {@code gs://} URI, the {@code container@account} of an {@code abfss://} one. Local and HDFS paths
 * have none (nothing throttles them per bucket).
 */
public final class Buckets {

    private static final Set<String> BUCKETED = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss");

    private Buckets() {
    }

    /** The bucket of {@code table} (a URI or a local path), or empty when its store has no buckets. */
    public static Optional<String> of(String table) {
        int colon = table.indexOf("://");
        if (colon <= 0) {
            return Optional.empty();
        }
        String scheme = table.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!BUCKETED.contains(scheme)) {
            return Optional.empty();
        }
        try {
            String authority = URI.create(table).getAuthority();
            return authority == null || authority.isEmpty() ? Optional.empty() : Optional.of(authority);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // an unparseable URI is refused elsewhere, with the table's name
        }
    }
}
