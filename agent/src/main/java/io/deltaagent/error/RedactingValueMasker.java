package io.deltaagent.error;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/**
 * The JSON log format's redaction: every string value of a JSON log line (message, exception, MDC fields) passes
 * through {@link Redaction}, as every text line does through {@link RedactingMessageConverter}.
 */
public final class RedactingValueMasker implements ValueMasker {
    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String original = text.toString();
            String redacted = Redaction.redact(original);
            return redacted.equals(original) ? null : redacted;
        }
        return null;
    }
}
