package io.deltaagent.jobs.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reader of a job's result document (docs/JOB-RESULT.md, written as {@link JobResult}) needs from it, read in
 * one place: its status, the commits it made, the error, its times. Tolerant of fields a newer job adds.
 *
 * @param status SUCCEEDED or FAILED; null when the document has none
 * @param commitVersion the commit the job reports ({@code commitVersion}; the last one when it committed in batches)
 * @param commitVersions every commit the job reports, oldest first: {@code commitVersions} when it committed in
 *                       batches, else its one {@code commitVersion}; empty for none
 * @param errorMessage the error's message, null when none
 */
public record ResultDocument(Status status, Long commitVersion, List<Long> commitVersions, String errorMessage, String startedAt,
                             String endedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ResultDocument {
        commitVersions = List.copyOf(commitVersions);
    }

    /** The document in {@code text}; empty when there is none or it is not a JSON object. */
    public static Optional<ResultDocument> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (doc == null || !doc.isObject()) {
            return Optional.empty();
        }
        Status status = switch (doc.path("status").asText("")) {
            case "SUCCEEDED" -> Status.SUCCEEDED;
            case "FAILED" -> Status.FAILED;
            default -> null;
        };
        Long commit = doc.hasNonNull("commitVersion") ? doc.get("commitVersion").asLong() : null;
        List<Long> commits = new ArrayList<>();
        JsonNode many = doc.get("commitVersions");
        if (many != null && many.isArray() && !many.isEmpty()) {
            many.forEach(v -> commits.add(v.asLong()));
        } else if (commit != null) {
            commits.add(commit);
        }
        String error = doc.path("error").hasNonNull("message") ? doc.path("error").get("message").asText() : null;
        return Optional.of(new ResultDocument(status, commit, commits, error, text(doc, "startedAt"), text(doc, "endedAt")));
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    private static String text(JsonNode doc, String field) {
        return doc.hasNonNull(field) ? doc.get(field).asText() : null;
    }
}
