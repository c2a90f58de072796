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
        // an audit should fail in seconds on a dead endpoint, not retry for minutes
        conf.setIfUnset("fs.s3a.attempts.maximum", "3");
        conf.setIfUnset("fs.s3a.retry.limit", "3");
        conf.setIfUnset("fs.s3a.connection.establish.timeout", "5s");
        conf.setIfUnset("fs.s3a.connection.timeout", "60s");
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
