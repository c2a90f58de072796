package io.deltaagent.jobs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape of the result document: every key always present, in the documented order, on one line. */
class ResultJsonTest {
    static final List<String> TOP_LEVEL_KEYS = List.of("schemaVersion", "action", "table", "status", "versionBefore",
            "versionAfter", "commitVersion", "commitVersions", "filesRemoved", "filesAdded", "bytesRemoved", "bytesAdded",
            "partitionColumns", "clusteringColumns", "where", "zOrderBy", "minFileSize", "maxFileSize", "maxBytesPerCommit", "partitionsOptimized", "log", "vacuum", "attempts", "durationMs",
            "startedAt", "endedAt", "sparkApplicationId", "error");

    @Test
    void aFailedRunHasEveryKeyWithNullsForTheUnknown() throws Exception {
        JobResult result = JobResult.builder().action("checkpoint").table("s3a://lake/events").status(Status.FAILED)
                .error(new ErrorInfo("io.deltaagent.jobs.error.TableNotFoundException",
                        "s3a://lake/events: the table path does not exist", false, null))
                .timing("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", 1000).build();

        String line = ResultJson.toLine(result);

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isEqualTo(TOP_LEVEL_KEYS);
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(json.get("versionBefore").isNull()).isTrue();
        assertThat(json.get("filesRemoved").isNull()).isTrue();
        assertThat(json.at("/error/class").asText()).isEqualTo("io.deltaagent.jobs.error.TableNotFoundException");
        assertThat(json.at("/error/retryable").asBoolean()).isFalse();
        assertThat(json.get("attempts").asInt()).isZero();
    }

    @Test
    void statusAndErrorMustAgree() {
        assertThatThrownBy(() -> JobResult.builder().status(Status.SUCCEEDED)
                .error(new ErrorInfo("x", "y", false, null)).timing("a", "b", 0).build())
                .hasMessageContaining("a FAILED result needs an error");
        assertThatThrownBy(() -> JobResult.builder().status(Status.FAILED).timing("a", "b", 0).build())
                .hasMessageContaining("a FAILED result needs an error");
    }
}
