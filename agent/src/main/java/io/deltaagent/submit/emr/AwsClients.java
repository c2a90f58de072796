package io.deltaagent.submit.emr;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the SDK clients of the EMR backends. Retries are the SDK's standard strategy (throttling and 5xx, with
 * its retry quota so a struggling service is not stormed), bounded by {@link AwsApiSettings#maxAttempts()}; waits
 * grow exponentially with half of each wait random, so retries never come back-to-back, and a Retry-After the
 * service sends is honoured when it asks for longer.
 */
final class AwsClients {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    private AwsClients() {
    }

    static EmrClient emr(AwsApiSettings api, AwsCredentialsProvider credentials) {
        return configure(EmrClient.builder().httpClientBuilder(ApacheHttpClient.builder()), api, credentials).build();
    }

    static EmrServerlessClient serverless(AwsApiSettings api, AwsCredentialsProvider credentials) {
        return configure(EmrServerlessClient.builder().httpClientBuilder(ApacheHttpClient.builder()), api, credentials).build();
    }

    static S3Client s3(AwsApiSettings api, AwsCredentialsProvider credentials) {
        var builder = S3Client.builder()
                .region(Region.of(api.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(overrides(api));
        if (api.s3Endpoint() != null) {
            builder.endpointOverride(api.s3Endpoint()).forcePathStyle(true);
        }
        return builder.build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsApiSettings api, AwsCredentialsProvider credentials) {
        builder.region(Region.of(api.region())).credentialsProvider(credentials).overrideConfiguration(overrides(api));
        if (api.endpoint() != null) {
            builder.endpointOverride(api.endpoint());
        }
        return builder;
    }

    private static ClientOverrideConfiguration overrides(AwsApiSettings api) {
        return ClientOverrideConfiguration.builder().retryStrategy(retryStrategy(api)).build();
    }

    static RetryStrategy retryStrategy(AwsApiSettings api) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(api.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(100), MAX_BACKOFF))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelayHalfJitter(api.throttleBaseDelay(), MAX_BACKOFF))
                .build();
    }
}
