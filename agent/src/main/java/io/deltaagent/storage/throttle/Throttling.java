package io.deltaagent.storage.throttle;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a failed read was the store shedding load (S3's {@code 503 SlowDown}, a 429, S3A's
 * {@code AWSServiceThrottledException} after its own throttle retries) rather than the store being down or the request
 * being wrong. Narrower than {@link io.deltaagent.error.Transience}, which also counts timeouts and refused connections:
 * only throttling makes the daemon back off a whole bucket.
 */
public final class Throttling {

    /** S3A's, the AWS SDK's and the GCS connector's classes for throttling, by name: the agent does not compile against them. */
    private static final Set<String> CLASSES = Set.of("AWSServiceThrottledException", "SdkClientException$Throttled",
            "ThrottlingException");

    /** S3's error code, Azure's ServerBusy and the HTTP statuses of load shedding, as the connectors print them. */
    private static final Pattern THROTTLED = Pattern.compile("(?i)\\bslow ?down\\b|status code: (?:429|503)\\b"
            + "|\\b503 service unavailable|\\bthrottl|too many requests|request rate|\\bServerBusy\\b");

    private Throttling() {
    }

    /** True when {@code e}, or something it wraps, says the store throttled the request. */
    public static boolean isThrottled(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (CLASSES.contains(t.getClass().getSimpleName()) || THROTTLED.matcher(String.valueOf(t.getMessage())).find()) {
                return true;
            }
        }
        return false;
    }
}
