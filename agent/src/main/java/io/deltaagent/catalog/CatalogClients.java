package io.deltaagent.catalog;

import io.deltaagent.config.CatalogOptions;
import io.deltaagent.config.CatalogsConfig;
import io.deltaagent.error.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.GlueClientBuilder;

/**
 * Builds the client of a configured catalog. Credentials come from the environment only: AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) or the SDK's default chain for Glue; the token variable or file for Unity;
 * none for Hive (unsecured Thrift).
 */
public final class CatalogClients {

    private CatalogClients() {
    }

    /** @param env the process environment (tests pass their own) */
    public static CatalogClient open(CatalogsConfig.Catalog c, Map<String, String> env) {
        NameFilter filter = new NameFilter(c.get(CatalogOptions.INCLUDE), c.get(CatalogOptions.EXCLUDE));
        int pageSize = c.get(CatalogOptions.PAGE_SIZE);
        Duration timeout = c.get(CatalogOptions.TIMEOUT);
        return switch (c.type()) {
            case CatalogOptions.GLUE -> new GlueCatalogClient(c.name(), glue(c, env, timeout), c.get(CatalogOptions.CATALOG_ID),
                    c.get(CatalogOptions.DATABASES), filter, pageSize);
            case CatalogOptions.UNITY -> new UnityCatalogClient(c.name(), URI.create(c.get(CatalogOptions.URI)),
                    c.get(CatalogOptions.UC_CATALOG), c.get(CatalogOptions.SCHEMAS), filter, pageSize,
                    c.get(CatalogOptions.MAINTAIN_MANAGED), token(c, env), timeout);
            case CatalogOptions.HIVE -> new HiveCatalogClient(c.name(), new HiveMetastoreConnection.Factory(c.name(),
                    c.get(CatalogOptions.URIS).stream().map(URI::create).toList(), timeout), c.get(CatalogOptions.HIVE_DATABASES),
                    filter, pageSize);
            default -> throw new IllegalArgumentException("unknown catalog type " + c.type());
        };
    }

    private static GlueClient glue(CatalogsConfig.Catalog c, Map<String, String> env, Duration timeout) {
        GlueClientBuilder b = GlueClient.builder()
                .credentialsProvider(credentials(env))
                // CatalogTables bounds each listing by the catalog's timeout (one message naming the setting); these bound
                // the thread it leaves behind, as a blocked socket read ignores interrupts
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(min(timeout, Duration.ofSeconds(10)))
                        .socketTimeout(timeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(timeout.multipliedBy(2)).build());
        String region = c.get(CatalogOptions.REGION);
        if (region == null) {
            region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        }
        if (region != null) {
            b.region(Region.of(region));
        }
        String endpoint = c.get(CatalogOptions.ENDPOINT);
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        return b.build();
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key == null || secret == null) {
            return DefaultCredentialsProvider.create();
        }
        String session = env.get("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(session == null ? AwsBasicCredentials.create(key, secret)
                : AwsSessionCredentials.create(key, secret, session));
    }

    /** The Unity bearer token: the file wins over the variable; neither set means no token. */
    static String token(CatalogsConfig.Catalog c, Map<String, String> env) {
        String file = c.get(CatalogOptions.TOKEN_FILE);
        if (file != null) {
            try {
                String t = Files.readString(Path.of(file)).trim();
                if (t.isEmpty()) {
                    throw new ConfigException("catalogs." + c.name() + ".token-file: " + file + " is empty");
                }
                return t;
            } catch (IOException e) {
                throw new ConfigException("catalogs." + c.name() + ".token-file: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        String t = env.get(c.get(CatalogOptions.TOKEN_ENV));
        return t == null || t.isBlank() ? null : t.trim();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
