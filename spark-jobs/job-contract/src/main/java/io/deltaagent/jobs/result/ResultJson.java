package io.deltaagent.jobs.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;

/** Serialises a {@link JobResult} to one line of JSON (Jackson, which every Spark runtime carries). */
public final class ResultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {
    }

    /** One line, no trailing newline; null fields are written as {@code null} so the shape never changes. */
    public static String toLine(JobResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise the job result", e);
        }
    }
}
