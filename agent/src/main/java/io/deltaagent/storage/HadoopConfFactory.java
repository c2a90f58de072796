package io.deltaagent.storage;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Builds the Hadoop configuration the readers use: S3A serving {@code s3://} and {@code s3n://} too, defaults that
 * suit short audits (S3A, GCS), the config file's {@code hadoop:} settings, and credentials from the environment
 * (never from the config file): AWS keys for S3A, a service-account key file for GCS, an account key or a service
 * principal for ABFS.
 */
public final class HadoopConfFactory {

    private HadoopConfFactory() {
    }

    public static Configuration create(Map<String, String> settings, Map<String, String> env) {
        Configuration conf = new Configuration();
        // an audit should fail in seconds on a dead endpoint, not retry for minutes: a closed port took 3 minutes per
        // table with the earlier settings, 2 minutes still with retry.limit 2 (S3A's connectivity retries back off
        // steeply). Measured with these: a refused connection fails in ~2 s, an endpoint that accepts and never answers
        // in ~30 s (S3A raises request timeouts below 15 s to 15 s; two calls probe a path); audit-timeout caps the
        // rest. Throttling (503) keeps S3A's own separate retries (fs.s3a.retry.throttle.*).
        // set, not setIfUnset: Hadoop's core-default.xml defines every one of these, so setIfUnset never applied them
        // (which is why a dead endpoint still took minutes). The config's hadoop: settings below override them.
        conf.set("fs.s3a.attempts.maximum", "1");
        conf.set("fs.s3a.retry.limit", "1");
        conf.set("fs.s3a.retry.interval", "200ms");
        conf.set("fs.s3a.connection.establish.timeout", "5s");
        conf.set("fs.s3a.connection.timeout", "15s");
        conf.set("fs.s3a.connection.request.timeout", "15s");
        // the GCS connector retries a request 10 times by default: fail fast as with S3A
        conf.set("fs.gs.http.max.retry", "2");
        conf.set("fs.gs.http.connect-timeout", "5s");
        conf.set("fs.gs.http.read-timeout", "15s");
        StorageSchemes.s3Aliases().forEach(conf::set);
        settings.forEach(conf::set);
        String accessKey = env.get("AWS_ACCESS_KEY_ID");
        String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey != null && secretKey != null && conf.get("fs.s3a.access.key") == null) {
            conf.set("fs.s3a.access.key", accessKey);
            conf.set("fs.s3a.secret.key", secretKey);
            String token = env.get("AWS_SESSION_TOKEN");
            if (token != null) {
                conf.set("fs.s3a.session.token", token);
            }
        }
        String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        if (region != null && conf.get("fs.s3a.endpoint.region") == null) {
            conf.set("fs.s3a.endpoint.region", region);
        }
        gcsCredentials(conf, env);
        azureCredentials(conf, env);
        return conf;
    }

    /** A service-account key file named by the environment, unless the config chose how the connector authenticates. */
    private static void gcsCredentials(Configuration conf, Map<String, String> env) {
        String keyFile = env.get("GOOGLE_APPLICATION_CREDENTIALS");
        if (keyFile != null && !keyFile.isBlank() && conf.get("fs.gs.auth.type") == null) {
            conf.set("fs.gs.auth.type", "SERVICE_ACCOUNT_JSON_KEYFILE");
            conf.set("fs.gs.auth.service.account.json.keyfile", keyFile);
        }
    }

    /**
     * ABFS credentials the way the Azure SDKs read them: the shared key of {@code AZURE_STORAGE_ACCOUNT} from
     * {@code AZURE_STORAGE_KEY}, or a service principal ({@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID},
     * {@code AZURE_CLIENT_SECRET}) through OAuth client credentials, unless the config chose an auth type.
     */
    private static void azureCredentials(Configuration conf, Map<String, String> env) {
        String account = env.get("AZURE_STORAGE_ACCOUNT");
        String key = env.get("AZURE_STORAGE_KEY");
        if (account != null && key != null) {
            String host = account.contains(".") ? account : account + ".dfs.core.windows.net";
            if (conf.get("fs.azure.account.key." + host) == null) {
                conf.set("fs.azure.account.key." + host, key);
            }
        }
        String tenant = env.get("AZURE_TENANT_ID");
        String client = env.get("AZURE_CLIENT_ID");
        String secret = env.get("AZURE_CLIENT_SECRET");
        if (tenant != null && client != null && secret != null && conf.get("fs.azure.account.auth.type") == null) {
            conf.set("fs.azure.account.auth.type", "OAuth");
            conf.set("fs.azure.account.oauth.provider.type", "org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider");
            conf.set("fs.azure.account.oauth2.client.endpoint", "https://login.microsoftonline.com/" + tenant + "/oauth2/token");
            conf.set("fs.azure.account.oauth2.client.id", client);
            conf.set("fs.azure.account.oauth2.client.secret", secret);
        }
    }
}
