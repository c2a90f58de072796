package io.deltaagent.storage;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Builds the Hadoop configuration the readers use: S3A defaults that suit short audits, the config
 * file's {@code hadoop:} settings, and credentials from the environment (never from the config file).
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
        return conf;
    }
}
