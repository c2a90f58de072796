package io.deltaagent.submit.emr;

import io.deltaagent.submit.BackendException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an SDK failure (after the SDK's own retries) into a {@link BackendException}: throttling, 5xx and
 * unreachable endpoints are retryable; refused credentials or permissions and rejected requests are not, and say
 * what to fix. Messages never carry credentials: only the service's error code and message, with anything shaped
 * like an access key id masked.
 */
final class AwsFailures {

    private static final Set<String> THROTTLING = Set.of("ThrottlingException", "Throttling", "ThrottledException",
            "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
            "SlowDown");
    private static final Set<String> DENIED = Set.of("AccessDeniedException", "AccessDenied", "UnauthorizedOperation",
            "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredTokenException",
            "ExpiredToken", "InvalidSignatureException", "MissingAuthenticationTokenException");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\\b");

    private AwsFailures() {
    }

    /**
     * @param backend  {@code emr} or {@code emr-serverless}
     * @param doing    what the agent tried, e.g. "RunJobFlow for s3://lake/events"
     * @param settings the config key to point at when the request itself was wrong
     */
    static BackendException map(String backend, String doing, String settings, SdkException e) {
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            String message = mask(ase.awsErrorDetails() == null ? ase.getMessage() : ase.awsErrorDetails().errorMessage());
            int status = ase.statusCode();
            String said = "HTTP " + status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
            if (ase.isThrottlingException() || (code != null && THROTTLING.contains(code)) || status == 429) {
                return new BackendException(backend + ": " + doing + " was throttled by AWS through every retry (" + said
                        + "); try again later or lower the number of concurrent jobs", true, ase);
            }
            if (status >= 500 || (code != null && code.toLowerCase(Locale.ROOT).startsWith("internalserver"))) {
                return new BackendException(backend + ": " + doing + " failed on the AWS side through every retry (" + said
                        + "); try again later", true, ase);
            }
            if ((code != null && DENIED.contains(code)) || status == 401 || status == 403) {
                return new BackendException(backend + ": " + doing + " was refused (" + said + "): the agent's AWS identity "
                        + "(default credentials chain: environment, profile or instance role) lacks the permission or its "
                        + "credentials are invalid; grant the permission or fix the credentials", false, ase);
            }
            return new BackendException(backend + ": " + doing + " was rejected (" + said + "); check the " + settings
                    + " settings", false, ase);
        }
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("Unable to load credentials")) {
            return new BackendException(backend + ": " + doing + ": no AWS credentials found in the default chain; set "
                    + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run with an instance or container role", false, e);
        }
        if (e instanceof SdkClientException) {
            return new BackendException(backend + ": " + doing + " could not reach AWS: " + mask(e.getMessage())
                    + "; check the network and the " + settings + ".endpoint / .region settings", true, e);
        }
        return new BackendException(backend + ": " + doing + " failed: " + mask(e.getMessage()), false, e);
    }

    static String mask(String text) {
        return text == null ? null : ACCESS_KEY_ID.matcher(text).replaceAll("$1****");
    }
}
