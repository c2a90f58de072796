package io.deltaagent.submit.emr;

import io.deltaagent.error.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Validation of the EMR settings: every error starts with the config key at fault. */
final class Settings {

    private Settings() {
    }

    static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(key + ": " + problem);
        }
    }

    static String requireText(String value, String key, String example) {
        require(value != null && !value.isBlank(), key, "is required (for example " + example + ")");
        return value;
    }

    static void requireHttpUri(URI uri, String key) {
        if (uri != null) {
            require(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null, key,
                    "must be an http(s) URL, got " + uri);
        }
    }

    /** An {@code s3://} (or {@code s3a://}) URI, returned without a trailing slash. */
    static String requireS3(String uri, String key, String example) {
        requireText(uri, key, example);
        require(S3Location.isS3(uri), key, "must be an s3:// URI such as " + example + ", got " + uri);
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    static void requirePositive(Duration d, String key, String example) {
        require(d != null && !d.isNegative() && !d.isZero(), key, "must be a positive duration such as " + example + ", got " + d);
    }

    /** Spark settings travel as {@code --conf k=v} words: no blanks, keys of the spark namespace. */
    static Map<String, String> requireSparkConf(Map<String, String> conf, String key) {
        if (conf == null) {
            return Map.of();
        }
        conf.forEach((k, v) -> {
            require(k != null && k.startsWith("spark.") && !k.matches(".*\\s.*"), key,
                    "keys must be Spark settings (spark.*) without blanks, got '" + k + "'");
            require(v != null && !v.isEmpty() && !v.matches(".*\\s.*"), key + "." + k,
                    "values must be non-empty and without blanks, got '" + v + "'");
        });
        return Map.copyOf(conf);
    }
}
