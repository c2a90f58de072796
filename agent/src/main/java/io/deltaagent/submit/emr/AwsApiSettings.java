package io.deltaagent.submit.emr;

import java.net.URI;
import java.time.Duration;

/**
 * How the agent reaches the AWS APIs of a backend. Credentials are not part of it: production uses the SDK's
 * default chain (environment, profile, instance or container role), so no key ever sits in the config file.
 *
 * @param prefix             the config key of the backend ({@code backends.emr}), so errors name the setting
 * @param endpoint           the EMR / EMR Serverless API endpoint, null for the region's own (tests, VPC endpoints)
 * @param s3Endpoint         where result documents are read from, null for the region's S3 (tests: path-style)
 * @param maxAttempts        attempts per API call, the first included, before the failure is reported
 * @param throttleBaseDelay  first wait after a throttling answer; it doubles per retry (half of it random), up to
 *                           20 s; a longer Retry-After from the service wins
 */
public record AwsApiSettings(String prefix, String region, URI endpoint, URI s3Endpoint, int maxAttempts,
                             Duration throttleBaseDelay) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_THROTTLE_BASE_DELAY = Duration.ofSeconds(1);

    public AwsApiSettings {
        Settings.require(prefix != null && !prefix.isBlank(), "prefix", "the backend's config key is missing");
        Settings.require(region != null && region.matches("[a-z]{2}(-[a-z0-9]+)+-\\d+"), prefix + ".region",
                "must be an AWS region such as us-east-1, got " + region);
        Settings.requireHttpUri(endpoint, prefix + ".endpoint");
        Settings.requireHttpUri(s3Endpoint, prefix + ".s3-endpoint");
        Settings.require(maxAttempts >= 1 && maxAttempts <= 10, prefix + ".api-max-attempts",
                "must be 1 to 10 (attempts per API call, the first included), got " + maxAttempts);
        Settings.require(throttleBaseDelay != null && !throttleBaseDelay.isNegative() && !throttleBaseDelay.isZero()
                        && throttleBaseDelay.compareTo(Duration.ofSeconds(20)) <= 0, prefix + ".api-throttle-delay",
                "must be more than 0 and at most 20s, got " + throttleBaseDelay);
    }

    /** The region's own endpoints, default retries. */
    public static AwsApiSettings of(String prefix, String region) {
        return new AwsApiSettings(prefix, region, null, null, DEFAULT_MAX_ATTEMPTS, DEFAULT_THROTTLE_BASE_DELAY);
    }
}
