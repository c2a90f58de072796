package io.deltaagent.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the commits of one run did, summed from their commitInfo.operationMetrics as Delta wrote them (OPTIMIZE:
 * numRemovedFiles, numRemovedBytes, numAddedFiles, numAddedBytes; one commit per batch when the job commits in batches).
 */
public record CommitMetrics(long filesRemoved, long bytesRemoved, long filesAdded, long bytesAdded) {

    public static final CommitMetrics NONE = new CommitMetrics(0, 0, 0, 0);

    public static CommitMetrics sum(List<JsonNode> commitInfos) {
        long fr = 0;
        long br = 0;
        long fa = 0;
        long ba = 0;
        for (JsonNode info : commitInfos) {
            JsonNode m = info.path("operationMetrics");
            fr += m.path("numRemovedFiles").asLong(0);
            br += m.path("numRemovedBytes").asLong(0);
            fa += m.path("numAddedFiles").asLong(0);
            ba += m.path("numAddedBytes").asLong(0);
        }
        return new CommitMetrics(fr, br, fa, ba);
    }
}
