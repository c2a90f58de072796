package io.deltaagent.jobs.result;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Why a run failed.
 *
 * @param className fully qualified class of the exception that ended the run (JSON {@code class})
 * @param message what failed, starting with the table
 * @param retryable true when running the same request later may succeed unchanged (conflicts)
 * @param cause class and message of the innermost cause, when there is one
 */
@JsonPropertyOrder({"class", "message", "retryable", "cause"})
public record ErrorInfo(
        @JsonProperty("class") String className, String message, boolean retryable, String cause) {

    public ErrorInfo {
        requireNonNull(className, "className");
        message = message == null ? "" : message;
    }
}
