package io.deltaagent.error;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %redactedEx} in logback.xml: stack traces with credentials masked. Exceptions from libraries (S3A, JDBC
 * drivers, SDKs) carry URLs and settings the agent does not control.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return Redaction.redact(super.throwableProxyToString(tp));
    }
}
